import { mockServices } from '@backstage/backend-test-utils';
import { exampleEntity } from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import {
  DeployTarget,
  DeployTargetRegistry,
  MetricSource,
  MetricSourceRegistry,
  ProcessMetrics,
  ProcessMetricsRequest,
  ProcessStatus,
} from '@mirrormaker/plugin-mirror-maker-node';

import { ProcessMetricsService } from './ProcessMetricsService';

const REF = 'mirrormaker:default/dc1-to-dc2';

function fakeTarget(
  name: string,
  status: () => Promise<ProcessStatus[]>,
  metrics?: DeployTarget['metrics'],
): DeployTarget {
  const unused = () => {
    throw new Error('not used by metrics');
  };
  return {
    name,
    checkReadiness: async () => ({ ready: true }),
    plan: unused,
    stopProcess: unused,
    writeFiles: unused,
    startProcess: unused,
    status,
    stopDeployment: unused,
    ...(metrics ? { metrics } : {}),
  };
}

/** Answers every process up, and remembers what it was asked. */
class FakeSource implements MetricSource {
  readonly requests: ProcessMetricsRequest[] = [];
  constructor(
    readonly name: string,
    private readonly answer?: (r: ProcessMetricsRequest) => ProcessMetrics[],
  ) {}
  async processMetrics(r: ProcessMetricsRequest): Promise<ProcessMetrics[]> {
    this.requests.push(r);
    if (this.answer) return this.answer(r);
    return r.processes.map(p => ({
      host: p.host,
      index: p.index,
      source: this.name,
      up: true,
      droppedMessages: 0,
      observedAt: '2026-11-24T12:00:00.000Z',
    }));
  }
}

const status = (
  host: string,
  index: number,
  metricsUrl?: string,
): ProcessStatus => ({
  host,
  index,
  state: 'running',
  restarts: 0,
  since: '2026-11-24T11:00:00.000Z',
  ...(metricsUrl ? { metricsUrl } : {}),
});

function setup(options: {
  targets?: DeployTarget[];
  sources?: MetricSource[];
}) {
  const targets = new DeployTargetRegistry();
  targets.addDeployTarget(...(options.targets ?? []));
  const sources = new MetricSourceRegistry();
  sources.addMetricSource(...(options.sources ?? []));
  const logger = mockServices.logger.mock();
  return {
    service: new ProcessMetricsService({ targets, sources, logger }),
    logger,
  };
}

describe('ProcessMetricsService', () => {
  it("asks the prometheus source about the processes the target runs, through the target's reader", async () => {
    const read: string[] = [];
    const target = fakeTarget(
      'ssh',
      async () => [
        status('mm1.dc2.example.com', 1, 'http://10.0.0.1:9991/metrics'),
        status('mm1.dc2.example.com', 2, 'http://10.0.0.1:9992/metrics'),
      ],
      async (ref, p) => {
        read.push(`${ref} ${p.host}/${p.index}`);
        return 'kafka_mirrormaker_dropped_messages 0\n';
      },
    );
    const prometheus = new FakeSource('prometheus');
    const { service } = setup({
      targets: [target],
      sources: [prometheus, new FakeSource('newrelic')],
    });
    const entity = exampleEntity({ deploy: { target: 'ssh' } });

    const result = await service.forDeployment({ ref: REF, entity });

    expect(result.source).toBe('prometheus');
    // The placement's other node has no process on the target yet: it is
    // listed as not running, and not scraped.
    expect(result.processes.map(p => [p.host, p.index, p.up])).toEqual([
      ['mm1.dc2.example.com', 1, true],
      ['mm1.dc2.example.com', 2, true],
      ['mm2.dc2.example.com', 1, false],
      ['mm2.dc2.example.com', 2, false],
    ]);
    expect(result.processes[2].error).toBe(
      'process 1 on mm2.dc2.example.com is not running on the ssh target (not deployed yet, or stopped)',
    );
    const [request] = prometheus.requests;
    expect(request).toMatchObject({
      deploymentRef: REF,
      deploymentName: 'dc1-to-dc2',
      groupId: 'mirror-maker-dc1-to-dc2',
      processes: [
        {
          host: 'mm1.dc2.example.com',
          index: 1,
          metricsUrl: 'http://10.0.0.1:9991/metrics',
        },
        {
          host: 'mm1.dc2.example.com',
          index: 2,
          metricsUrl: 'http://10.0.0.1:9992/metrics',
        },
      ],
    });
    await request.readExporter!({ host: 'mm1.dc2.example.com', index: 2 });
    expect(read).toEqual([`${REF} mm1.dc2.example.com/2`]);
  });

  it('falls back to the placement and its exporter ports when the target knows no process', async () => {
    const local = fakeTarget('local', async () => []);
    const prometheus = new FakeSource('prometheus');
    const { service } = setup({ targets: [local], sources: [prometheus] });
    const entity = exampleEntity({
      placement: {
        nodes: ['mm1.dc2.example.com', 'fd00::7'],
        processesPerNode: 2,
      },
      jmx: { exporterInitialPort: 7000 },
    });

    const result = await service.forDeployment({ ref: REF, entity });

    expect(result.processes).toHaveLength(4);
    expect(prometheus.requests[0].readExporter).toBeUndefined();
    expect(prometheus.requests[0].processes).toEqual([
      {
        host: 'mm1.dc2.example.com',
        index: 1,
        metricsUrl: 'http://mm1.dc2.example.com:7001/metrics',
      },
      {
        host: 'mm1.dc2.example.com',
        index: 2,
        metricsUrl: 'http://mm1.dc2.example.com:7002/metrics',
      },
      {
        host: 'fd00::7',
        index: 1,
        metricsUrl: 'http://[fd00::7]:7001/metrics',
      },
      {
        host: 'fd00::7',
        index: 2,
        metricsUrl: 'http://[fd00::7]:7002/metrics',
      },
    ]);
  });

  it('uses the default exporter port, and the placement when the target is unknown or fails', async () => {
    const failing = fakeTarget('local', async () => {
      throw new Error('state file unreadable');
    });
    const prometheus = new FakeSource('prometheus');
    const { service, logger } = setup({
      targets: [failing],
      sources: [prometheus],
    });

    await service.forDeployment({
      ref: REF,
      entity: exampleEntity({ placement: { nodes: ['a'] } }),
    });
    await service.forDeployment({
      ref: REF,
      entity: exampleEntity({
        placement: { nodes: ['b'] },
        deploy: { target: 'kubernetes' },
      }),
    });

    expect(prometheus.requests.map(r => r.processes)).toEqual([
      [{ host: 'a', index: 1, metricsUrl: 'http://a:9991/metrics' }],
      [{ host: 'b', index: 1, metricsUrl: 'http://b:9991/metrics' }],
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('state file unreadable'),
    );
  });

  it('asks New Relic only when the spec turned the exporters off and the source exists', async () => {
    const prometheus = new FakeSource('prometheus');
    const newrelic = new FakeSource('newrelic');
    const both = setup({ sources: [prometheus, newrelic] }).service;
    const onlyPrometheus = setup({ sources: [prometheus] }).service;
    const nrOnly = exampleEntity({
      monitoring: {
        newRelic: { enabled: true, accountId: 1 },
        prometheus: { enabled: false },
      },
    });
    const nrAndPrometheus = exampleEntity({
      monitoring: { newRelic: { enabled: true, accountId: 1 } },
    });

    expect(
      (await both.forDeployment({ ref: REF, entity: nrOnly })).source,
    ).toBe('newrelic');
    expect(
      (await both.forDeployment({ ref: REF, entity: nrAndPrometheus })).source,
    ).toBe('prometheus');
    expect(
      (await onlyPrometheus.forDeployment({ ref: REF, entity: nrOnly })).source,
    ).toBe('prometheus');
    expect(newrelic.requests).toHaveLength(1);
    expect(prometheus.requests).toHaveLength(2);
  });

  it('has a prometheus source of its own when none is registered', async () => {
    const { service } = setup({});
    const result = await service.forDeployment({
      ref: REF,
      entity: exampleEntity({
        placement: { nodes: ['127.0.0.1'] },
        // Nothing listens on port 1: the embedded source reports it down.
        jmx: { exporterInitialPort: 0 },
      }),
    });
    expect(result.source).toBe('prometheus');
    expect(result.processes).toEqual([
      expect.objectContaining({
        host: '127.0.0.1',
        index: 1,
        up: false,
        error: expect.stringContaining('http://127.0.0.1:1/metrics'),
      }),
    ]);
  });

  it('returns one entry per process in order, whatever the source answers', async () => {
    const sloppy = new FakeSource('prometheus', r => [
      {
        host: r.processes[1].host,
        index: r.processes[1].index,
        source: 'prometheus',
        up: true,
        observedAt: '2026-11-24T12:00:00.000Z',
      },
    ]);
    const { service } = setup({ sources: [sloppy] });
    const result = await service.forDeployment({
      ref: REF,
      entity: exampleEntity({ placement: { nodes: ['a', 'b'] } }),
    });
    expect(result.processes.map(p => [p.host, p.up, p.error])).toEqual([
      [
        'a',
        false,
        'the prometheus metric source gave no figures for process 1 on a',
      ],
      ['b', true, undefined],
    ]);

    const throwing = new FakeSource('prometheus', () => {
      throw new Error('boom');
    });
    const failed = await setup({ sources: [throwing] }).service.forDeployment({
      ref: REF,
      entity: exampleEntity({ placement: { nodes: ['a'] } }),
    });
    expect(failed.processes).toEqual([
      expect.objectContaining({
        host: 'a',
        up: false,
        error: 'the prometheus metric source failed, not the process: boom',
      }),
    ]);
  });
});
