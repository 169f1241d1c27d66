import { securityProtocolOf } from '../kind/clusters';
import { parseKafkaClusters, validateKafkaClusterConfig } from './cluster';
import { formatProblems } from './problems';

const base = {
  brokers: ['kafka1.dc1.example.com:9093'],
  dataCentre: 'dc1',
  topicSuffix: 'dc1',
};

const sasl = { mechanism: 'SCRAM-SHA-512', username: 'mm', password: 'pw' };

function problemsOf(config: Record<string, unknown>): string {
  return formatProblems(validateKafkaClusterConfig('dc1', config));
}

describe('validateKafkaClusterConfig: client', () => {
  it('accepts a complete client block on a TLS cluster', () => {
    const { clusters, problems } = parseKafkaClusters({
      dc1: {
        ...base,
        security: { protocol: 'SASL_SSL', sasl },
        client: {
          tls: {
            ca: '/etc/backstage/kafka/ca.pem',
            cert: '/etc/backstage/kafka/client cert.pem',
            key: '/etc/backstage/kafka/client.key',
            rejectUnauthorized: false,
          },
          connectionTimeoutMs: 100,
          requestTimeoutMs: 120000,
        },
      },
    });
    expect(problems).toEqual([]);
    expect(clusters[0].client?.tls?.ca).toBe('/etc/backstage/kafka/ca.pem');
  });

  it('accepts timeouts without TLS', () => {
    expect(
      problemsOf({
        ...base,
        client: { connectionTimeoutMs: 60000, requestTimeoutMs: 100 },
      }),
    ).toBe('');
  });

  it('names each field and what is accepted', () => {
    expect(
      problemsOf({
        ...base,
        security: { protocol: 'SSL' },
        client: {
          tls: { ca: 'ca.pem', cert: '/c.pem' },
          connectionTimeoutMs: 99,
          requestTimeoutMs: 120001,
        },
      }),
    ).toBe(
      [
        'mirrorMaker.clusters.dc1.client.tls.ca: "ca.pem" is not an absolute path; give the full path of a PEM file on the Backstage host, e.g. /etc/backstage/kafka/ca.pem',
        'mirrorMaker.clusters.dc1.client.tls.key: is required when client.tls.cert or client.tls.key is set: mutual TLS needs both the certificate and its private key',
        'mirrorMaker.clusters.dc1.client.connectionTimeoutMs: 99 is out of range; use an integer from 100 to 60000 (milliseconds)',
        'mirrorMaker.clusters.dc1.client.requestTimeoutMs: 120001 is out of range; use an integer from 100 to 120000 (milliseconds)',
      ].join('\n'),
    );
  });

  it('rejects client.tls when the protocol does not use TLS', () => {
    expect(problemsOf({ ...base, client: { tls: { ca: '/ca.pem' } } })).toBe(
      "mirrorMaker.clusters.dc1.client.tls: is set but the cluster's protocol is PLAINTEXT, which does not use TLS; set security.protocol to SSL or SASL_SSL, or remove client.tls",
    );
    // SASL without tls and without a protocol is SASL_PLAINTEXT, as rendered.
    expect(
      problemsOf({
        ...base,
        security: { sasl },
        client: { tls: { ca: '/ca.pem' } },
      }),
    ).toContain('protocol is SASL_PLAINTEXT');
  });

  it('checks types and unknown keys through the schema', () => {
    expect(
      problemsOf({
        ...base,
        client: {
          connectionTimeoutMs: 1.5,
          requestTimeoutMs: '5000',
          tls: { rejectUnauthorized: 'no', cafile: '/x' },
          timeout: 1,
        },
      }),
    ).toBe(
      [
        'mirrorMaker.clusters.dc1.client.connectionTimeoutMs: must be integer, not number',
        'mirrorMaker.clusters.dc1.client.requestTimeoutMs: must be integer, not string',
        'mirrorMaker.clusters.dc1.client.tls.rejectUnauthorized: must be boolean, not string',
        'mirrorMaker.clusters.dc1.client.tls.cafile: is not a known field. Accepted: ca, cert, key, rejectUnauthorized',
        'mirrorMaker.clusters.dc1.client.timeout: is not a known field. Accepted: tls, connectionTimeoutMs, requestTimeoutMs',
      ].join('\n'),
    );
  });

  it('rejects control characters in PEM paths', () => {
    expect(
      problemsOf({
        ...base,
        security: { protocol: 'SSL' },
        client: { tls: { ca: '/etc/ca.pem\n' } },
      }),
    ).toBe(
      'mirrorMaker.clusters.dc1.client.tls.ca: contains the control character U+000a at position 11; control characters and line breaks are not accepted',
    );
  });
});

describe('securityProtocolOf', () => {
  it('prefers the configured protocol and otherwise infers it', () => {
    expect(securityProtocolOf({})).toBe('PLAINTEXT');
    expect(securityProtocolOf({ security: { protocol: 'SSL' } })).toBe('SSL');
    expect(securityProtocolOf({ security: { tls: {} } })).toBe('SSL');
    expect(
      securityProtocolOf({
        security: {
          sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' },
        },
      }),
    ).toBe('SASL_PLAINTEXT');
    expect(
      securityProtocolOf({
        security: {
          tls: {},
          sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' },
        },
      }),
    ).toBe('SASL_SSL');
  });
});
