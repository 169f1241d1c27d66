/** Parse-back tests: every rendered file reads back as the structure it was meant to be. */
import { placedFiles } from './__testUtils__/bundleFiles';
import { seedInput, twoDcInput } from './__testUtils__/inputs';
import { parseJavaProperties } from './__testUtils__/javaProperties';
import { parseYaml } from './__testUtils__/yaml';
import { renderBundle } from './bundle';

const twoDc = placedFiles(renderBundle(twoDcInput));
const seed = placedFiles(renderBundle(seedInput));

function byName(files: typeof twoDc, name: string, host?: string) {
  const found = files.filter(
    f => f.path.endsWith(`/${name}`) || f.path === name,
  );
  const one = host ? found.filter(f => f.host === host) : found;
  if (one.length === 0) throw new Error(`no ${name}`);
  return one[0];
}

const SECURITY_KEYS = [
  'sasl.jaas.config',
  'sasl.mechanism',
  'security.protocol',
  'ssl.endpoint.identification.algorithm',
  'ssl.truststore.location',
  'ssl.truststore.password',
  'ssl.truststore.type',
];

describe('properties files', () => {
  it('the two-DC consumer has exactly the expected keys and values', () => {
    const props = parseJavaProperties(
      byName(twoDc, 'kafka-mirror-maker-consumer.properties').content,
    );
    expect([...props.keys()].sort()).toEqual(
      [
        'bootstrap.servers',
        'group.id',
        ...SECURITY_KEYS,
        'allow.auto.create.topics',
        'auto.offset.reset',
        'exclude.internal.topics',
        'fetch.max.bytes',
        'max.partition.fetch.bytes',
        'max.poll.records',
        'partition.assignment.strategy',
        'session.timeout.ms',
        'fetch.min.bytes',
        'fetch.max.wait.ms',
      ].sort(),
    );
    expect(props.get('bootstrap.servers')).toBe(
      twoDcInput.source.brokers.join(','),
    );
    expect(props.get('group.id')).toBe('mirror-maker-dc1-to-dc2');
    expect(props.get('sasl.jaas.config')).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="mirror-maker-dc2" password="Kx9#q\\"Lm\\\\2=!";',
    );
    expect(props.get('fetch.min.bytes')).toBe('65536');
    expect(props.get('ssl.endpoint.identification.algorithm')).toBe('https');
  });

  it('gives every producer its own client.id and the target brokers', () => {
    const producers = twoDc.filter(f =>
      /producer-\d\.properties$/.test(f.path),
    );
    expect(producers).toHaveLength(4);
    const ids = producers.map(f =>
      parseJavaProperties(f.content).get('client.id'),
    );
    expect(new Set(ids).size).toBe(4);
    expect(ids).toContain('mirror-maker-dc1-to-dc2-mm2.dc2.example.com-2');
    const props = parseJavaProperties(producers[0].content);
    expect([...props.keys()].sort()).toEqual(
      [
        'bootstrap.servers',
        'client.id',
        ...SECURITY_KEYS,
        'acks',
        'batch.size',
        'buffer.memory',
        'compression.type',
        'delivery.timeout.ms',
        'enable.idempotence',
        'linger.ms',
        'max.block.ms',
        'max.in.flight.requests.per.connection',
        'request.timeout.ms',
      ].sort(),
    );
    expect(props.get('compression.type')).toBe('zstd');
    expect(props.get('bootstrap.servers')).toBe(
      twoDcInput.target.brokers.join(','),
    );
  });

  it("keeps the seed's development values, minus its unsafe overrides", () => {
    const consumer = parseJavaProperties(
      byName(seed, 'kafka-mirror-maker-consumer.properties').content,
    );
    expect(Object.fromEntries(consumer)).toEqual({
      'bootstrap.servers':
        '192.168.56.100:9092,192.168.56.101:9092,192.168.56.102:9092',
      'group.id': 'kafka-mirror-maker-consumer-development-kafka',
      'security.protocol': 'PLAINTEXT',
      'allow.auto.create.topics': 'false',
      'auto.offset.reset': 'earliest',
      'exclude.internal.topics': 'true',
      'fetch.max.bytes': '52428800',
      'fetch.max.wait.ms': '500',
      'fetch.min.bytes': '1000012',
      'max.partition.fetch.bytes': '10485760',
      'max.poll.records': '2000',
      'partition.assignment.strategy':
        'org.apache.kafka.clients.consumer.RoundRobinAssignor',
      'session.timeout.ms': '45000',
    });
    const producer = parseJavaProperties(
      byName(seed, 'kafka-mirror-maker-producer-1.properties', '10.0.0.1')
        .content,
    );
    expect(Object.fromEntries(producer)).toEqual({
      'bootstrap.servers':
        '192.168.57.100:9092,192.168.57.101:9092,192.168.57.102:9092',
      'client.id': 'kafka-mirror-maker-consumer-development-kafka-10.0.0.1-1',
      'security.protocol': 'PLAINTEXT',
      acks: 'all',
      'batch.size': '500000',
      'buffer.memory': '200000000',
      'compression.type': 'none',
      'delivery.timeout.ms': '2147483647',
      'enable.idempotence': 'true',
      'linger.ms': '15000',
      'max.block.ms': '9223372036854775807',
      'max.in.flight.requests.per.connection': '1',
      'max.request.size': '1000000',
      'request.timeout.ms': '30000',
    });
  });

  it('log4j files roll by size into the log directory', () => {
    const props = parseJavaProperties(
      byName(seed, 'kafka-mirror-log4j-2.properties').content,
    );
    expect(props.get('log4j.appender.mirrorMaker')).toBe(
      'org.apache.log4j.RollingFileAppender',
    );
    expect(props.get('log4j.appender.mirrorMaker.File')).toBe(
      '/kafka/kafka-logs/kafka-mirror-maker-2.log',
    );
    expect(props.get('log4j.appender.mirrorMaker.MaxFileSize')).toBe('100MB');
    expect(props.get('log4j.appender.mirrorMaker.MaxBackupIndex')).toBe('10');
    expect(props.get('log4j.rootLogger')).toBe('INFO, mirrorMaker');
  });
});

describe('YAML files', () => {
  it('all parse', () => {
    for (const file of [...twoDc, ...seed].filter(f =>
      f.path.endsWith('.yml'),
    )) {
      expect(() => parseYaml(file.content)).not.toThrow();
    }
  });

  it('JMX exporter rules carry the deployment labels and capture the partition', () => {
    const config = parseYaml(
      byName(twoDc, 'jmx-exporter-2.yml', 'mm2.dc2.example.com').content,
    ) as any;
    const dropped = config.rules.find(
      (r: any) => r.name === 'kafka_mirrormaker_dropped_messages',
    );
    expect(dropped.pattern).toBe(
      'kafka.tools<type=MirrorMaker, name=MirrorMaker-numDroppedMessages><>Value',
    );
    expect(dropped.labels).toEqual({
      deployment: 'dc1-to-dc2',
      env: 'production',
      host: 'mm2.dc2.example.com',
      process: '2',
      team: 'kafka-platform',
    });
    const lag = config.rules.find(
      (r: any) => r.name === 'kafka_consumer_records_lag',
    );
    expect(lag.labels).toMatchObject({
      client_id: '$1',
      topic: '$2',
      partition: '$3',
    });
    expect(config.rules.map((r: any) => r.name)).toEqual(
      expect.arrayContaining([
        'kafka_consumer_records_lag_max',
        'kafka_consumer_records_consumed_rate',
        'kafka_consumer_bytes_consumed_rate',
        'kafka_consumer_commit_rate',
        'kafka_consumer_assigned_partitions',
        'kafka_producer_record_send_rate',
        'kafka_producer_record_error_rate',
        'kafka_producer_request_latency_avg',
        'kafka_producer_buffer_available_bytes',
      ]),
    );
  });

  it('nri-jmx has one instance per process, current and legacy formats', () => {
    const current = parseYaml(
      byName(twoDc, 'kafka-mirror-maker-dc1-to-dc2-jmx-config.yml').content,
    ) as any;
    expect(current.integrations.map((i: any) => i.env.JMX_PORT)).toEqual([
      '9981',
      '9982',
    ]);
    expect(current.integrations[1].labels.mirrorMakerProcessName).toBe(
      'kafka-mirror-maker-2',
    );
    expect(current.integrations[0].env.COLLECTION_FILES.split(',')).toEqual([
      '/etc/newrelic-infra/integrations.d/kafka-mirror-maker-dc1-to-dc2-jvm-metrics.yml',
      '/etc/newrelic-infra/integrations.d/kafka-mirror-maker-dc1-to-dc2-metrics.yml',
    ]);
    const legacy = parseYaml(
      byName(seed, 'kafka-mirror-maker-development-kafka-jmx-config.yml')
        .content,
    ) as any;
    expect(legacy.integration_name).toBe('com.newrelic.jmx');
    expect(legacy.instances.map((i: any) => i.arguments.jmx_port)).toEqual([
      9981, 9982,
    ]);
    const metrics = parseYaml(
      byName(seed, 'kafka-mirror-maker-development-kafka-metrics.yml').content,
    ) as any;
    expect(metrics.collect.map((c: any) => c.domain)).toEqual([
      'kafka.consumer',
      'kafka.producer',
      'kafka.tools',
    ]);
    expect(
      metrics.collect.every(
        (c: any) => c.event_type === 'kafkaMirrorMakerMonitoring',
      ),
    ).toBe(true);
  });

  it('alert rules select the deployment', () => {
    const alerts = parseYaml(
      byName(twoDc, 'prometheus/alerts.yml').content,
    ) as any;
    const rules = alerts.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual([
      'KafkaMirrorMakerProcessDown',
      'KafkaMirrorMakerDroppedMessages',
      'KafkaMirrorMakerLagGrowing',
      'KafkaMirrorMakerHeartbeatLate',
    ]);
    expect(rules[2].expr).toBe(
      'deriv(sum by (deployment, topic) (kafka_consumer_records_lag{deployment="dc1-to-dc2"})[15m:1m]) > 0',
    );
    expect(rules[2].for).toBe('15m');
    expect(rules[3].expr).toContain(
      'mirror_maker_heartbeat_latency_seconds{deployment="dc1-to-dc2"}) > 120',
    );
  });

  it('group_vars use the seed names, with every string !unsafe', () => {
    const file = byName(seed, 'ansible/group_vars/kafka-mirror-maker.yml');
    const vars = parseYaml(file.content) as Record<string, unknown>;
    expect(vars).toMatchObject({
      kafkaMirrorMakerReplicateTopicWhiteListPattern: '.*kafka-perf-test.*',
      kafkaMirrorMakerHeapSize: '2G',
      kafkaMirrorMakerProcessCountPerNode: 2,
      kafkaMirrorMakerJmxInitialPort: 9980,
      kafkaMirrorMakerSourceDcClusterAddressString:
        '192.168.56.100:9092,192.168.56.101:9092,192.168.56.102:9092',
      kafkaMirrorMakerDestinationDcClusterAddressString:
        '192.168.57.100:9092,192.168.57.101:9092,192.168.57.102:9092',
      kafkaMirrorMakerGroupId: 'kafka-mirror-maker-consumer-development-kafka',
      kafkaMirrorMakerFetchMinBytes: 1000012,
      kafkaMirrorMakerLingerMs: 15000,
      kafkaMirrorMakerAcks: 'all',
    });
    expect(file.content).not.toMatch(/: "/);
  });
});

describe('New Relic dashboard', () => {
  const dashboard = JSON.parse(
    byName(twoDc, 'newrelic/dashboard.json').content,
  );
  const widgets = dashboard.pages.flatMap((p: any) => p.widgets);

  it('is in the NerdGraph schema with 26 or more line charts, each with a query', () => {
    expect(dashboard).toMatchObject({
      permissions: 'PUBLIC_READ_WRITE',
      variables: [],
    });
    expect(widgets.length).toBeGreaterThanOrEqual(26);
    for (const w of widgets) {
      expect(w.visualization).toEqual({ id: 'viz.line' });
      expect(w.rawConfiguration.nrqlQueries).toHaveLength(1);
      expect(w.rawConfiguration.nrqlQueries[0].accountIds).toEqual([3141592]);
      expect(w.rawConfiguration.nrqlQueries[0].query).toMatch(
        /^SELECT .+ FROM \w+ WHERE .+ TIMESERIES$/,
      );
      expect(w.layout.column + w.layout.width - 1).toBeLessThanOrEqual(12);
    }
  });

  it("filters by the deployment label, not the seed's env pattern", () => {
    const queries: string[] = widgets.map(
      (w: any) => w.rawConfiguration.nrqlQueries[0].query,
    );
    const mm = queries.filter(q =>
      q.includes('FROM kafkaMirrorMakerMonitoring'),
    );
    expect(mm.length).toBeGreaterThanOrEqual(23);
    for (const q of mm)
      expect(q).toContain("`label.deployment` = 'dc1-to-dc2'");
    expect(queries.join('\n')).not.toMatch(/-kafka'|kafka-mirror%/);
    expect(
      queries.some(q => q.includes('FACET `key:topic`, `key:partition`')),
    ).toBe(true);
  });

  it('has no widget twice in the same place', () => {
    const cells = new Set<string>();
    for (const w of widgets) {
      for (let r = 0; r < w.layout.height; r++) {
        for (let c = 0; c < w.layout.width; c++) {
          const cell = `${w.layout.row + r}:${w.layout.column + c}`;
          expect(cells.has(cell)).toBe(false);
          cells.add(cell);
        }
      }
    }
  });
});

describe('inventory', () => {
  it('lists the nodes in the seed group', () => {
    const lines = byName(seed, 'ansible/inventory.ini')
      .content.split('\n')
      .filter(l => l && !l.startsWith('#'));
    expect(lines).toEqual([
      '[kafka-mirror-maker]',
      '10.0.0.1',
      '10.0.0.2',
      '10.0.0.3',
    ]);
  });
});
