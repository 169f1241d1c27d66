import { layoutOf, planProcesses } from './layout';
import { NODE, testRequest } from './__testUtils__/requests';

const ROOT = '/srv/mm';

describe('planProcesses', () => {
  it('lists every process node by node with its exporter URL', () => {
    const request = testRequest(ROOT, {
      placement: {
        nodes: ['mm1.example.com', 'mm2.example.com'],
        processesPerNode: 2,
      },
      jmx: { exporterInitialPort: 19990 },
    });
    expect(planProcesses(request)).toEqual([
      {
        host: 'mm1.example.com',
        index: 1,
        metricsUrl: 'http://mm1.example.com:19991/metrics',
      },
      {
        host: 'mm1.example.com',
        index: 2,
        metricsUrl: 'http://mm1.example.com:19992/metrics',
      },
      {
        host: 'mm2.example.com',
        index: 1,
        metricsUrl: 'http://mm2.example.com:19991/metrics',
      },
      {
        host: 'mm2.example.com',
        index: 2,
        metricsUrl: 'http://mm2.example.com:19992/metrics',
      },
    ]);
  });

  it('scrapes a mapped node at its address, brackets IPv6', () => {
    const request = testRequest(ROOT, {
      placement: { nodes: [NODE, 'fd00::5'], processesPerNode: 1 },
    });
    expect(
      planProcesses(request, { [NODE]: { address: '127.0.0.1' } }).map(
        p => p.metricsUrl,
      ),
    ).toEqual([
      'http://127.0.0.1:9991/metrics',
      'http://[fd00::5]:9991/metrics',
    ]);
  });

  it('has no metrics URL without Prometheus', () => {
    const request = testRequest(ROOT, {
      monitoring: { prometheus: { enabled: false } },
    });
    expect(planProcesses(request)).toEqual([
      { host: NODE, index: 1 },
      { host: NODE, index: 2 },
    ]);
  });
});

describe('layoutOf', () => {
  it("takes the process's own files and the node's shared ones", () => {
    const layout = layoutOf(testRequest(ROOT), { host: NODE, index: 2 });
    expect(layout.files.map(f => f.path)).toEqual([
      `${ROOT}/config/kafka-mirror-maker-consumer.properties`,
      `${ROOT}/config/kafka-mirror-maker-producer-2.properties`,
      `${ROOT}/config/kafka-mirror-log4j-2.properties`,
      `${ROOT}/config/jmx-exporter-2.yml`,
      `${ROOT}/bin/kafka-mirror-maker-2.sh`,
      `${ROOT}/config/prometheus-scrape.yml`,
    ]);
    expect(layout).toMatchObject({
      host: NODE,
      index: 2,
      script: `${ROOT}/bin/kafka-mirror-maker-2.sh`,
      producerConfig: `${ROOT}/config/kafka-mirror-maker-producer-2.properties`,
      unit: 'kafka-mirror-maker-dc1-to-dc2-2.service',
      unitFile: {
        path: '/etc/systemd/system/kafka-mirror-maker-dc1-to-dc2-2.service',
      },
      logDir: `${ROOT}/logs`,
      outFile: `${ROOT}/logs/process-2.out`,
      pidFile: `${ROOT}/logs/process-2.pid`,
      user: 'kafka',
      group: 'kafka',
    });
  });

  it('rejects what the request does not hold', () => {
    const request = testRequest(ROOT);
    expect(() =>
      layoutOf(request, { host: 'mm9.example.com', index: 1 }),
    ).toThrow(
      '"mm9.example.com" is not a node of deployment dc1-to-dc2 (nodes: mm1.dc2.example.com)',
    );
    expect(() => layoutOf(request, { host: NODE, index: 0 })).toThrow(
      'process number must be an integer from 1 to 2, got 0',
    );
    const withoutScript = {
      ...request,
      bundle: {
        ...request.bundle,
        nodes: request.bundle.nodes.map(n => ({
          ...n,
          files: n.files.filter(f => !f.path.endsWith('-1.sh')),
        })),
      },
    };
    expect(() => layoutOf(withoutScript, { host: NODE, index: 1 })).toThrow(
      `the bundle of dc1-to-dc2 has no kafka-mirror-maker-1.sh for process 1 on ${NODE}`,
    );
  });

  it('rejects a file listed twice', () => {
    const request = testRequest(ROOT);
    const [node] = request.bundle.nodes;
    const twice = {
      ...request,
      bundle: {
        ...request.bundle,
        nodes: [{ ...node, files: [...node.files, node.files[0]] }],
      },
    };
    expect(() => layoutOf(twice, { host: NODE, index: 1 })).toThrow(
      `the bundle lists ${ROOT}/config/kafka-mirror-maker-consumer.properties twice for ${NODE}`,
    );
  });
});
