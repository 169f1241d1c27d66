import { dc1, dc2, exampleEntity } from '../testing/fixtures';
import { validateMirrorMakerEntity } from './entity';
import { validateDeploymentClusters } from './deployment';
import { parseKafkaClusters } from './cluster';
import { formatProblems } from './problems';

const errorsOf = (entity: unknown) =>
  validateMirrorMakerEntity(entity).filter(p => p.severity === 'error');

describe('validateMirrorMakerEntity', () => {
  it('accepts the example', () => {
    expect(validateMirrorMakerEntity(exampleEntity())).toEqual([]);
  });

  it('names a missing required field', () => {
    const entity: any = exampleEntity();
    delete entity.spec.placement;
    expect(formatProblems(errorsOf(entity))).toBe(
      'spec.placement: is required',
    );
  });

  it('suggests the closest field for a typo', () => {
    const entity: any = exampleEntity();
    entity.spec.placement.processPerNode = 2;
    expect(formatProblems(errorsOf(entity))).toMatch(
      /^spec\.placement\.processPerNode: is not a known field; did you mean "processesPerNode"\?/,
    );
  });

  it('wants exactly one topic rule', () => {
    expect(formatProblems(errorsOf(exampleEntity({ topics: {} })))).toMatch(
      /spec.topics: needs one of suffix/,
    );
    expect(
      formatProblems(
        errorsOf(exampleEntity({ topics: { suffix: 'dc1', include: '.*' } })),
      ),
    ).toMatch(/sets suffix and include; set exactly one/);
  });

  it('rejects an unknown client key with the closest known key', () => {
    const problems = errorsOf(
      exampleEntity({ consumer: { 'fetch.max.byte': 1 } }),
    );
    expect(formatProblems(problems)).toBe(
      'spec.consumer.fetch.max.byte: "fetch.max.byte" is not a consumer configuration key of kafka-clients 3.9.2; did you mean "fetch.max.bytes"?',
    );
  });

  it.each([
    [
      'consumer',
      'bootstrap.servers',
      /brokers come from the cluster configuration/,
    ],
    ['consumer', 'config.providers', /read files on the node/],
    ['consumer', 'group.id', /spec.groupId/],
    [
      'consumer',
      'sasl.jaas.config',
      /security settings come from the cluster config/,
    ],
    ['producer', 'client.id', /client ids per process/],
    ['producer', 'ssl.truststore.password', /security settings/],
  ])('refuses to let %s override %s', (kind, key, message) => {
    const problems = errorsOf(exampleEntity({ [kind]: { [key]: 'x' } }));
    expect(problems).toEqual([
      expect.objectContaining({
        path: `spec.${kind}.${key}`,
        message: expect.stringMatching(message),
      }),
    ]);
  });

  it('checks client values against the key type', () => {
    const problems = errorsOf(
      exampleEntity({
        producer: {
          'linger.ms': 'soon',
          'batch.size': 2147483648,
          acks: 'all',
        },
      }),
    );
    expect(formatProblems(problems)).toBe(
      [
        'spec.producer.linger.ms: "soon" is not an integer',
        'spec.producer.batch.size: 2147483648 is out of range for a int (-2147483648 to 2147483647)',
      ].join('\n'),
    );
  });

  it('refuses the seed silent-loss combination', () => {
    const problems = validateMirrorMakerEntity(
      exampleEntity({
        abortOnSendFailure: false,
        producer: { 'max.block.ms': 60000 },
      }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        path: 'spec.producer.max.block.ms',
        message: expect.stringMatching(/dropped silently/),
      }),
    ]);
  });

  it('finds colliding JMX and exporter ports', () => {
    const problems = errorsOf(
      exampleEntity({ jmx: { initialPort: 9980, exporterInitialPort: 9981 } }),
    );
    expect(formatProblems(problems)).toMatch(
      /spec.jmx.exporterInitialPort: exporter ports 9982-9983 collide with JMX ports 9981-9982/,
    );
  });

  it('rejects a regex that Kafka would mangle', () => {
    expect(
      formatProblems(
        errorsOf(exampleEntity({ topics: { include: 'orders.{1,3}\\.dc1' } })),
      ),
    ).toMatch(/spec.topics.include: contains ","; MirrorMaker replaces commas/);
  });
});

describe('validateDeploymentClusters', () => {
  it('accepts the two-DC example', () => {
    expect(validateDeploymentClusters(exampleEntity(), dc1, dc2)).toEqual([]);
  });

  it('refuses self-replication (the seed default)', () => {
    expect(
      formatProblems(validateDeploymentClusters(exampleEntity(), dc1, dc1)),
    ).toMatch(/spec.target: is the same cluster as spec.source \(dc1\)/);
  });

  it('refuses two names for the same brokers', () => {
    const alias = { ...dc2, brokers: [dc1.brokers[1]] };
    expect(
      formatProblems(validateDeploymentClusters(exampleEntity(), dc1, alias)),
    ).toMatch(
      /shares broker kafka2.dc1.example.com:9093 with source cluster dc1/,
    );
  });

  it("refuses a pattern that matches the target's own suffix", () => {
    const problems = validateDeploymentClusters(
      exampleEntity({ topics: { include: '.*' } }),
      dc1,
      dc2,
    );
    expect(formatProblems(problems)).toMatch(
      /spec.topics: matches topics with the target's own suffix ".dc2"/,
    );
  });
});

describe('parseKafkaClusters', () => {
  it('keeps valid clusters and reports the others by path', () => {
    const { clusters, problems } = parseKafkaClusters({
      dc1: {
        brokers: ['127.0.0.1:9092'],
        dataCentre: 'dc1',
        topicSuffix: 'dc1',
      },
      dc2: {
        brokers: ['kafka;rm -rf /:9092'],
        dataCentre: 'dc2',
        topicSuffix: '.dc2',
      },
      dc3: {
        brokers: ['[2001:db8::1]:9093'],
        dataCentre: 'dc3',
        topicSuffix: 'dc3',
        security: { protocol: 'SASL_SSL' },
      },
    });
    expect(clusters.map(c => c.name)).toEqual(['dc1']);
    expect(formatProblems(problems)).toBe(
      [
        'mirrorMaker.clusters.dc2.brokers[0]: "kafka;rm -rf /" is not a host name; use letters, digits, "-" and "." (RFC 1123) or an IP address',
        'mirrorMaker.clusters.dc2.topicSuffix: ".dc2" is not accepted; use 1 to 64 of [A-Za-z0-9_-], without the dot',
        'mirrorMaker.clusters.dc3.security.sasl: is required with protocol SASL_SSL (mechanism, username, password)',
      ].join('\n'),
    );
  });

  it('never echoes a secret', () => {
    const { problems } = parseKafkaClusters({
      dc1: {
        brokers: ['127.0.0.1:9092'],
        dataCentre: 'dc1',
        topicSuffix: 'dc1',
        security: {
          sasl: { mechanism: 'PLAIN', username: 'u', password: 'hunter2\nx' },
        },
      },
    });
    expect(formatProblems(problems)).toContain(
      'security.sasl.password: contains the control character U+000a',
    );
    expect(formatProblems(problems)).not.toContain('hunter2');
  });
});
