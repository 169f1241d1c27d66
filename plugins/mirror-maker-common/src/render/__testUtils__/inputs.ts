import { RenderInput } from '../types';

/**
 * Realistic two-DC example: DC2's MirrorMaker nodes read `.dc1` topics from
 * DC1 over SASL_SSL/SCRAM and write them into DC2, also over SASL_SSL.
 */
export const twoDcInput: RenderInput = {
  entity: {
    apiVersion: 'mirrormaker.io/v1alpha1',
    kind: 'MirrorMaker',
    metadata: {
      name: 'dc1-to-dc2',
      namespace: 'default',
      title: 'DC1 to DC2 replication',
    },
    spec: {
      owner: 'group:default/kafka-platform',
      system: 'cross-dc-replication',
      lifecycle: 'production',
      source: 'resource:default/kafka-dc1',
      target: 'resource:default/kafka-dc2',
      topics: { suffix: 'dc1', exclude: '.*\\.internal\\.dc1' },
      placement: {
        nodes: ['mm1.dc2.example.com', 'mm2.dc2.example.com'],
        processesPerNode: 2,
        numStreams: 4,
      },
      jvm: { heap: '2G' },
      consumer: { 'fetch.min.bytes': 65536, 'fetch.max.wait.ms': 200 },
      producer: { 'compression.type': 'zstd', 'request.timeout.ms': 60000 },
      monitoring: {
        newRelic: { enabled: true, accountId: 3141592 },
        prometheus: { enabled: true },
        labels: { env: 'production', team: 'kafka-platform' },
        alerts: { lagGrowingMinutes: 15, heartbeatLatencySeconds: 120 },
      },
    },
  },
  source: {
    name: 'kafka-dc1',
    brokers: [
      'kafka1.dc1.example.com:9093',
      'kafka2.dc1.example.com:9093',
      'kafka3.dc1.example.com:9093',
    ],
    dataCentre: 'dc1',
    topicSuffix: 'dc1',
    security: {
      protocol: 'SASL_SSL',
      tls: {
        truststorePath: '/etc/kafka-mirror-maker/tls/dc1-truststore.p12',
        truststorePassword: 'trust-dc1',
        truststoreType: 'PKCS12',
      },
      sasl: {
        mechanism: 'SCRAM-SHA-512',
        username: 'mirror-maker-dc2',
        password: 'Kx9#q"Lm\\2=!',
      },
    },
  },
  target: {
    name: 'kafka-dc2',
    brokers: [
      'kafka1.dc2.example.com:9093',
      'kafka2.dc2.example.com:9093',
      'kafka3.dc2.example.com:9093',
    ],
    dataCentre: 'dc2',
    topicSuffix: 'dc2',
    security: {
      protocol: 'SASL_SSL',
      tls: {
        truststorePath: '/etc/kafka-mirror-maker/tls/dc2-truststore.p12',
        truststorePassword: 'trust-dc2',
        truststoreType: 'PKCS12',
      },
      sasl: {
        mechanism: 'SCRAM-SHA-256',
        username: 'mirror-maker-dc2',
        password: 'w7$Tz%pQ',
      },
    },
  },
  approvedTopics: ['billing.internal.dc1'],
};

/**
 * The seed's development values (inventory/development/group_vars), except
 * the overrides it made unsafely (max.in.flight.requests.per.connection,
 * max.block.ms) and its loop: the target is a different cluster here.
 */
export const seedInput: RenderInput = {
  entity: {
    apiVersion: 'mirrormaker.io/v1alpha1',
    kind: 'MirrorMaker',
    metadata: { name: 'development-kafka' },
    spec: {
      owner: 'group:default/kafka-platform',
      source: 'resource:default/development-kafka-source',
      target: 'resource:default/development-kafka-destination',
      topics: { include: '.*kafka-perf-test.*' },
      groupId: 'kafka-mirror-maker-consumer-development-kafka',
      placement: {
        nodes: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
        processesPerNode: 2,
      },
      install: { kafkaHome: '/kafka/kafka', logDir: '/kafka/kafka-logs' },
      jvm: { heap: '2G' },
      jmx: { initialPort: 9980 },
      consumer: {
        'auto.offset.reset': 'earliest',
        'partition.assignment.strategy':
          'org.apache.kafka.clients.consumer.RoundRobinAssignor',
        'fetch.max.bytes': 52428800,
        'fetch.min.bytes': 1000012,
        'fetch.max.wait.ms': 500,
      },
      producer: {
        acks: 'all',
        'compression.type': 'none',
        'request.timeout.ms': 30000,
        'max.request.size': 1000000,
        'batch.size': 500000,
        'buffer.memory': 200000000,
        'linger.ms': 15000,
      },
      monitoring: {
        newRelic: { enabled: true, accountId: 1234567, legacyFormat: true },
        labels: { env: 'development-kafka' },
      },
    },
  },
  source: {
    name: 'development-kafka-source',
    brokers: [
      '192.168.56.100:9092',
      '192.168.56.101:9092',
      '192.168.56.102:9092',
    ],
    dataCentre: 'development',
    topicSuffix: 'dev',
  },
  target: {
    name: 'development-kafka-destination',
    brokers: [
      '192.168.57.100:9092',
      '192.168.57.101:9092',
      '192.168.57.102:9092',
    ],
    dataCentre: 'development-dr',
    topicSuffix: 'devdr',
  },
};

/**
 * Values validation would mostly reject, but that rendering must still carry
 * inertly: quotes, `$()`, backticks, `%`, `{{ }}`, spaces, backslashes.
 */
export const hostileInput: RenderInput = {
  entity: {
    ...twoDcInput.entity,
    metadata: { name: 'hostile', namespace: 'team-$(id)' },
    spec: {
      ...twoDcInput.entity.spec,
      topics: { include: '^(?:orders|payments)\\.dc1$' },
      groupId: 'mm-{{ 7 * 7 }}-$(id)-`id`-%n-"q"',
      placement: { nodes: ['mm1.dc2.example.com'], processesPerNode: 1 },
      install: {
        kafkaHome: `/opt/kafka $(touch pwned) 'q' "d" \`id\` %n ;`,
        configDir: `/etc/mm/it's "odd" $HOME %i #x`,
        binDir: '/opt/mm/bin dir/$(id)/\\n',
        logDir: '/var/log/mm/100% $x/{{ y }}',
        javaBin: '/usr/lib/jvm/java 17/bin/java',
        jmxExporterJar: "/opt/jmx exporter/$agent's.jar",
        user: 'kafka',
        group: 'kafka',
      },
      consumer: { 'client.rack': 'rack "1" $(id) \\ %n' },
      producer: { 'compression.type': 'zstd' },
      monitoring: {
        newRelic: { enabled: true, accountId: 42 },
        prometheus: { enabled: true },
        labels: { env: '$1 \\ "quoted" {{ x }}', team: '100% ${team}' },
      },
    },
  },
  source: {
    ...twoDcInput.source,
    name: 'kafka-dc1',
    security: {
      protocol: 'SASL_SSL',
      tls: {
        truststorePath: '/etc/tls/trust store$(id).p12',
        truststorePassword: 'pa ss\\"#!',
      },
      sasl: {
        mechanism: 'PLAIN',
        username: 'user "x"',
        password: '\\"; evil=1 required x="',
      },
    },
  },
  target: twoDcInput.target,
  approvedTopics: [],
};
