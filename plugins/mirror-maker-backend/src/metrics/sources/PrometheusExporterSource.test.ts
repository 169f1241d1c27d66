import * as http from 'http';
import { AddressInfo } from 'net';

import { parseExposition, sumMetrics } from '../../deploy/prometheus';
import {
  figuresFromExposition,
  PrometheusExporterSource,
} from './PrometheusExporterSource';

// The shape the jmx_prometheus_javaagent 1.0.1 agent serves with our
// rendered rules: two consumer streams, one producer, JVM collectors.
const PAGE = `# HELP kafka_mirrormaker_dropped_messages Records MirrorMaker failed to produce and skipped.
# TYPE kafka_mirrormaker_dropped_messages gauge
kafka_mirrormaker_dropped_messages{deployment="dc1-to-dc2",env="test",host="localhost",process="1",} 3.0
# HELP kafka_consumer_records_consumed_rate Records consumed per second.
# TYPE kafka_consumer_records_consumed_rate gauge
kafka_consumer_records_consumed_rate{client_id="mm-0",deployment="dc1-to-dc2",} 10.5
kafka_consumer_records_consumed_rate{client_id="mm-1",deployment="dc1-to-dc2",} 4.5
kafka_consumer_records_consumed_rate{client_id="mm-0",topic="orders.dc1",deployment="dc1-to-dc2",} 10.5
kafka_consumer_records_consumed_rate{client_id="mm-1",topic="orders.dc1",deployment="dc1-to-dc2",} 4.5
kafka_consumer_records_lag_max{client_id="mm-0",} 12.0
kafka_consumer_records_lag_max{client_id="mm-1",} NaN
kafka_consumer_assigned_partitions{client_id="mm-0",} 2.0
kafka_consumer_assigned_partitions{client_id="mm-1",} 1.0
kafka_producer_record_send_rate{client_id="producer-1",} 1.5E1
kafka_producer_record_error_rate{client_id="producer-1",} 0.0
kafka_producer_request_latency_avg{client_id="producer-1",} NaN
# HELP jvm_memory_used_bytes Used bytes of a given JVM memory area.
# TYPE jvm_memory_used_bytes gauge
jvm_memory_used_bytes{area="heap"} 1.2196024E7
jvm_memory_used_bytes{area="nonheap"} 2.0046736E7
jvm_memory_max_bytes{area="heap"} 2.68435456E8
jvm_memory_max_bytes{area="nonheap"} -1.0
jvm_gc_collection_seconds_count{gc="G1 Young Generation"} 4
jvm_gc_collection_seconds_sum{gc="G1 Young Generation"} 0.25
jvm_gc_collection_seconds_sum{gc="G1 Old Generation"} 0.0
jvm_gc_collection_seconds_sum{gc="G1 Concurrent GC"} 0.125
`;

describe('parseExposition', () => {
  it('reads escaped label values, special values, exponents and timestamps', () => {
    const text = [
      '# HELP odd A "help" line with { braces } 1 2 3',
      '# TYPE odd gauge',
      'odd{path="C:\\\\dir\\\\",quote="say \\"hi\\", then go",multi="a\\nb",} -1.5e-3 1700000000000',
      'odd{empty=""} +Inf',
      'odd{ spaced = "x" , } -Inf',
      'odd NaN',
      'odd\t7\t-12',
      'bare 2',
    ].join('\n');
    const samples = parseExposition(text);
    expect(samples).toHaveLength(6);
    expect({ ...samples[0].labels }).toEqual({
      path: 'C:\\dir\\',
      quote: 'say "hi", then go',
      multi: 'a\nb',
    });
    expect(samples[0].value).toBe(-0.0015);
    expect(samples[0].timestampMs).toBe(1700000000000);
    expect(samples[1].value).toBe(Infinity);
    expect({ ...samples[1].labels }).toEqual({ empty: '' });
    expect(samples[2].value).toBe(-Infinity);
    expect({ ...samples[2].labels }).toEqual({ spaced: 'x' });
    expect(samples[3].value).toBeNaN();
    expect(samples[4]).toMatchObject({ value: 7, timestampMs: -12 });
    expect(samples[5]).toMatchObject({ name: 'bare', value: 2 });
  });

  it('skips malformed lines and keeps the rest', () => {
    const text = [
      'good 1',
      'unclosed{a="b} 2',
      'nolabelvalue{a=} 3',
      'dup{a="1",a="2"} 4',
      'badvalue 0x10',
      'toomany 1 2 3',
      '{a="b"} 5',
      '9starts 6',
      'novalue{a="b"}',
      'trailing{a="b"} 1 notatime',
      'also_good{x="y"} 2',
      '',
      '   ',
    ].join('\r\n');
    expect(parseExposition(text).map(s => s.name)).toEqual([
      'good',
      'also_good',
    ]);
  });

  it('does not let a label named __proto__ reach an object prototype', () => {
    const [sample] = parseExposition('m{__proto__="x",constructor="y"} 1');
    const proto = '__proto__';
    expect(sample.labels[proto]).toBe('x');
    expect(sample.labels.constructor).toBe('y');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('sums for the health gate by exact label match, leaving NaN out', () => {
    expect(
      sumMetrics(PAGE, [
        'kafka_mirrormaker_dropped_messages',
        'kafka_consumer_records_lag_max',
        'kafka_consumer_assigned_partitions',
        'absent',
      ]),
    ).toEqual({
      kafka_mirrormaker_dropped_messages: 3,
      kafka_consumer_records_lag_max: 12,
      kafka_consumer_assigned_partitions: 3,
    });
    expect(
      sumMetrics(PAGE, ['jvm_memory_used_bytes'], { area: 'heap' }),
    ).toEqual({ jvm_memory_used_bytes: 12196024 });
  });
});

describe('figuresFromExposition', () => {
  it('reads every figure, counting client-level consumption once', () => {
    expect(figuresFromExposition(PAGE)).toEqual({
      droppedMessages: 3,
      recordsConsumedRate: 15,
      recordsSentRate: 15,
      recordErrorRate: 0,
      recordsLagMax: 12,
      assignedPartitions: 3,
      heapUsedBytes: 12196024,
      heapMaxBytes: 268435456,
      gcSecondsTotal: 0.375,
    });
  });

  it('leaves out figures Kafka has not measured yet (NaN)', () => {
    const figures = figuresFromExposition(
      'kafka_producer_request_latency_avg{client_id="p"} NaN\n' +
        'kafka_consumer_records_lag_max{client_id="c"} NaN\n',
    );
    expect(figures).toEqual({});
  });
});

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serve(handler: Handler): Promise<{
  url: (path: string) => string;
  close: () => Promise<void>;
}> {
  const server = http.createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: path => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('PrometheusExporterSource', () => {
  const now = () => new Date('2026-11-24T12:00:00.000Z');
  let server: Awaited<ReturnType<typeof serve>>;
  let deadPort: string;

  beforeAll(async () => {
    server = await serve((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
        res.end(PAGE);
      } else if (req.url === '/slow') {
        res.writeHead(200);
        res.write('kafka_mirrormaker_dropped_messages 1\n');
        // Never ends: the deadline must cover the body too.
      } else if (req.url === '/huge') {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = () => {
          while (res.write(chunk)) {
            if (res.destroyed) return;
          }
          res.once('drain', pump);
        };
        res.on('error', () => undefined);
        pump();
      } else if (req.url === '/declared-huge') {
        res.writeHead(200, { 'Content-Length': String(100 * 1024 * 1024) });
        res.write('x');
      } else {
        res.writeHead(500, 'Server Error');
        res.end();
      }
    });
    const dead = await serve(() => undefined);
    deadPort = new URL(dead.url('/')).port;
    await dead.close();
  });

  afterAll(async () => {
    await server.close();
  });

  const request = (
    processes: { host: string; index: number; metricsUrl?: string }[],
  ) => ({
    deploymentRef: 'mirrormaker:default/dc1-to-dc2',
    deploymentName: 'dc1-to-dc2',
    groupId: 'mirror-maker-dc1-to-dc2',
    processes,
  });

  it('reads every process concurrently and reports up and down ones', async () => {
    const source = new PrometheusExporterSource({ now, timeoutMs: 1000 });
    expect(source.name).toBe('prometheus');
    const deadUrl = `http://127.0.0.1:${deadPort}/metrics`;
    const started = Date.now();
    const result = await source.processMetrics(
      request([
        { host: 'localhost', index: 1, metricsUrl: server.url('/metrics') },
        { host: 'localhost', index: 2, metricsUrl: deadUrl },
        { host: 'localhost', index: 3, metricsUrl: server.url('/slow') },
        { host: 'localhost', index: 4, metricsUrl: server.url('/slow') },
        { host: 'localhost', index: 5, metricsUrl: server.url('/broken') },
        { host: 'localhost', index: 6 },
      ]),
    );
    // Two slow pages in series would take two deadlines.
    expect(Date.now() - started).toBeLessThan(1900);
    expect(result.map(r => [r.index, r.up])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, false],
      [5, false],
      [6, false],
    ]);
    expect(result[0]).toEqual({
      host: 'localhost',
      index: 1,
      source: 'prometheus',
      up: true,
      droppedMessages: 3,
      recordsConsumedRate: 15,
      recordsSentRate: 15,
      recordErrorRate: 0,
      recordsLagMax: 12,
      assignedPartitions: 3,
      heapUsedBytes: 12196024,
      heapMaxBytes: 268435456,
      gcSecondsTotal: 0.375,
      observedAt: '2026-11-24T12:00:00.000Z',
    });
    expect(result[1].error).toContain(deadUrl);
    expect(result[1].error).toMatch(/ECONNREFUSED/);
    expect(result[2].error).toBe(
      `exporter at ${server.url(
        '/slow',
      )} cannot be read: no complete answer within 1000 ms`,
    );
    expect(result[4].error).toBe(
      `exporter at ${server.url(
        '/broken',
      )} cannot be read: HTTP 500 Server Error`,
    );
    expect(result[5].error).toBe(
      'exporter at process 6 on localhost cannot be read: the process has no exporter URL',
    );
  });

  it('refuses a page larger than the cap, however it is sent', async () => {
    const source = new PrometheusExporterSource({
      now,
      maxBytes: 1024 * 1024,
      timeoutMs: 5000,
    });
    const [streamed, declared] = await source.processMetrics(
      request([
        { host: 'h', index: 1, metricsUrl: server.url('/huge') },
        { host: 'h', index: 2, metricsUrl: server.url('/declared-huge') },
      ]),
    );
    expect(streamed.up).toBe(false);
    expect(streamed.error).toBe(
      `exporter at ${server.url(
        '/huge',
      )} cannot be read: the page is larger than the 1048576 bytes accepted`,
    );
    expect(declared.error).toBe(
      `exporter at ${server.url(
        '/declared-huge',
      )} cannot be read: the page is ${
        100 * 1024 * 1024
      } bytes, more than the 1048576 bytes accepted`,
    );
  });

  it("reads through the deploy target's reader when the request has one", async () => {
    const source = new PrometheusExporterSource({ now, timeoutMs: 200 });
    const asked: string[] = [];
    const result = await source.processMetrics({
      ...request([
        { host: 'mm1', index: 1, metricsUrl: 'http://mm1:9991/metrics' },
        { host: 'mm1', index: 2, metricsUrl: 'http://mm1:9992/metrics' },
        { host: 'mm2', index: 1, metricsUrl: 'http://mm2:9991/metrics' },
        { host: 'mm2', index: 2, metricsUrl: 'http://mm2:9992/metrics' },
      ]),
      readExporter: async p => {
        asked.push(`${p.host}/${p.index}`);
        if (p.host === 'mm2' && p.index === 1) return undefined;
        if (p.host === 'mm2' && p.index === 2) {
          return new Promise<string>(() => undefined);
        }
        if (p.index === 2) throw new Error('ssh: connection reset');
        return PAGE;
      },
    });
    expect(asked.sort()).toEqual(['mm1/1', 'mm1/2', 'mm2/1', 'mm2/2']);
    expect(result.map(r => r.up)).toEqual([true, false, false, false]);
    expect(result[0].droppedMessages).toBe(3);
    expect(result[1].error).toBe(
      'exporter at http://mm1:9992/metrics cannot be read: ssh: connection reset',
    );
    expect(result[2].error).toMatch(
      /^exporter at http:\/\/mm2:9991\/metrics cannot be read: its deploy target has no page/,
    );
    expect(result[3].error).toBe(
      'exporter at http://mm2:9992/metrics cannot be read: no answer within 200 ms',
    );
  });

  it('ignores the junk of a hostile page and keeps the figures it can read', async () => {
    const hostile = [
      'kafka_mirrormaker_dropped_messages{a="\\"} 99',
      'kafka_mirrormaker_dropped_messages{a="x"} 1e400000',
      `kafka_mirrormaker_dropped_messages{${Array.from(
        { length: 10000 },
        (_, i) => `l${i}="c"`,
      ).join(',')}} 2`,
      'kafka_mirrormaker_dropped_messages{a="} 1000\nkafka_consumer_records_lag_max 5',
      '\u0000\u0001garbage',
    ].join('\n');
    const source = new PrometheusExporterSource({ now });
    const [m] = await source.processMetrics({
      ...request([{ host: 'h', index: 1 }]),
      readExporter: async () => hostile,
    });
    expect(m.up).toBe(true);
    // 1e400000 parses as Infinity: not a count, left out.
    expect(m.droppedMessages).toBe(2);
    expect(m.recordsLagMax).toBe(5);
  });
});
