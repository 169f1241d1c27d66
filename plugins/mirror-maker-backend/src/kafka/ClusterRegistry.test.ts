import * as net from 'net';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { KafkaClusterConfig } from '@mirrormaker/plugin-mirror-maker-common';
import { Kafka, logLevel } from 'kafkajs';
import { ClusterRegistry } from './ClusterRegistry';
import { kafkaClientConfig } from './clientConfig';
import { kafkaLogCreator } from './logging';

const PASSWORD = 'correct-horse-battery-staple';

function cluster(
  name: string,
  overrides: Partial<KafkaClusterConfig> = {},
): KafkaClusterConfig {
  return {
    name,
    brokers: ['127.0.0.1:9092'],
    dataCentre: name,
    topicSuffix: name,
    ...overrides,
  };
}

/** A loopback port nothing listens on: bound once, then released. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Accepts connections and never answers, like a hung broker. */
async function silentServer(): Promise<{
  port: number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      sockets.forEach(s => s.destroy());
      await new Promise(resolve => server.close(resolve));
    },
  };
}

function logText(logger: ReturnType<typeof mockServices.logger.mock>): string {
  return JSON.stringify([
    logger.error.mock.calls,
    logger.warn.mock.calls,
    logger.info.mock.calls,
    logger.debug.mock.calls,
  ]);
}

describe('ClusterRegistry.fromConfig', () => {
  const logger = mockServices.logger.mock();

  it('reads mirrorMaker.clusters, sorted by name', () => {
    const registry = ClusterRegistry.fromConfig(
      new ConfigReader({
        mirrorMaker: {
          clusters: {
            dc2: {
              brokers: ['k.dc2:9092'],
              dataCentre: 'dc2',
              topicSuffix: 'dc2',
            },
            dc1: {
              brokers: ['k.dc1:9093'],
              dataCentre: 'dc1',
              topicSuffix: 'dc1',
              security: {
                protocol: 'SASL_SSL',
                sasl: {
                  mechanism: 'PLAIN',
                  username: 'mm',
                  password: PASSWORD,
                },
              },
              client: { tls: { ca: '/etc/ca.pem' }, connectionTimeoutMs: 500 },
            },
          },
        },
      }),
      logger,
    );
    expect(registry.list().map(c => c.name)).toEqual(['dc1', 'dc2']);
    expect(registry.get('dc1').client).toEqual({
      tls: { ca: '/etc/ca.pem' },
      connectionTimeoutMs: 500,
    });
  });

  it('gives an empty registry when the key is absent', () => {
    const registry = ClusterRegistry.fromConfig(new ConfigReader({}), logger);
    expect(registry.list()).toEqual([]);
    expect(() => registry.get('dc1')).toThrow(
      'No cluster "dc1" under mirrorMaker.clusters; configured: none',
    );
  });

  it('throws an InputError that lists every problem by field', () => {
    const read = () =>
      ClusterRegistry.fromConfig(
        new ConfigReader({
          mirrorMaker: {
            clusters: {
              dc1: {
                brokers: ['k:9092'],
                dataCentre: 'dc1',
                topicSuffix: '.dc1',
              },
              dc2: {
                brokers: ['k:9092'],
                dataCentre: 'dc2',
                topicSuffix: 'dc2',
                client: { requestTimeoutMs: 10 },
              },
            },
          },
        }),
        logger,
      );
    expect(read).toThrow(InputError);
    expect(read).toThrow(
      [
        'Invalid Kafka cluster configuration:',
        'mirrorMaker.clusters.dc1.topicSuffix: ".dc1" is not accepted; use 1 to 64 of [A-Za-z0-9_-], without the dot',
        'mirrorMaker.clusters.dc2.client.requestTimeoutMs: 10 is out of range; use an integer from 100 to 120000 (milliseconds)',
      ].join('\n'),
    );
  });
});

describe('ClusterRegistry', () => {
  let registry: ClusterRegistry | undefined;
  afterEach(async () => {
    await registry?.close();
    registry = undefined;
    jest.restoreAllMocks();
  });

  it('lists clusters by name and explains an unknown one', async () => {
    registry = new ClusterRegistry({
      clusters: [cluster('dc2'), cluster('dc1')],
      logger: mockServices.logger.mock(),
    });
    expect(registry.list().map(c => c.name)).toEqual(['dc1', 'dc2']);
    expect(registry.get('dc2').dataCentre).toBe('dc2');
    const message =
      'No cluster "dc3" under mirrorMaker.clusters; configured: dc1, dc2';
    expect(() => registry!.get('dc3')).toThrow(NotFoundError);
    expect(() => registry!.get('dc3')).toThrow(message);
    await expect(registry.describe('dc3')).rejects.toThrow(NotFoundError);
    await expect(registry.listTopics('dc3')).rejects.toThrow(message);
    await expect(registry.admin('dc3')).rejects.toThrow(message);
  });

  it('answers quickly for a dead loopback port', async () => {
    const port = await deadPort();
    registry = new ClusterRegistry({
      clusters: [cluster('dead', { brokers: [`127.0.0.1:${port}`] })],
      logger: mockServices.logger.mock(),
    });
    const start = Date.now();
    const description = await registry.describe('dead');
    const elapsed = Date.now() - start;
    expect(description).toEqual({
      reachable: false,
      error: expect.stringContaining('ECONNREFUSED'),
    });
    expect(elapsed).toBeLessThan(15_000);

    const listing = registry.listTopics('dead');
    await expect(listing).rejects.toThrow(ServiceUnavailableError);
    await expect(listing).rejects.toThrow(
      new RegExp(
        `^Cluster "dead" \\(brokers 127\\.0\\.0\\.1:${port}\\) cannot be reached: .*ECONNREFUSED`,
      ),
    );
    await expect(registry.admin('dead')).rejects.toThrow(
      ServiceUnavailableError,
    );
  });

  it('gives up on a broker that accepts but never answers', async () => {
    const server = await silentServer();
    try {
      registry = new ClusterRegistry({
        clusters: [
          cluster('hung', {
            brokers: [`127.0.0.1:${server.port}`],
            client: { connectionTimeoutMs: 300, requestTimeoutMs: 300 },
          }),
        ],
        logger: mockServices.logger.mock(),
      });
      const start = Date.now();
      const description = await registry.describe('hung');
      expect(description.reachable).toBe(false);
      // Bounded by connection + request timeout plus the registry's slack.
      expect(Date.now() - start).toBeLessThan(5_000);
    } finally {
      await server.close();
    }
  });

  it('does not hang on a black-holed address', async () => {
    registry = new ClusterRegistry({
      clusters: [
        cluster('void', {
          brokers: ['10.255.255.1:9092'],
          client: { connectionTimeoutMs: 500, requestTimeoutMs: 500 },
        }),
      ],
      logger: mockServices.logger.mock(),
    });
    const start = Date.now();
    expect((await registry.describe('void')).reachable).toBe(false);
    expect(Date.now() - start).toBeLessThan(5_000);
  });

  it('shares one connection attempt and retries after a failure', async () => {
    const createAdmin = jest.spyOn(Kafka.prototype, 'admin');
    const port = await deadPort();
    registry = new ClusterRegistry({
      clusters: [cluster('dead', { brokers: [`127.0.0.1:${port}`] })],
      logger: mockServices.logger.mock(),
    });
    const answers = await Promise.all([
      registry.describe('dead'),
      registry.describe('dead'),
      registry.listTopics('dead').catch(e => e),
      registry.admin('dead').catch(e => e),
    ]);
    expect(answers[0].reachable).toBe(false);
    expect(answers[2]).toBeInstanceOf(ServiceUnavailableError);
    expect(createAdmin).toHaveBeenCalledTimes(1);

    await registry.describe('dead');
    expect(createAdmin).toHaveBeenCalledTimes(2);
  });

  it('reports a missing PEM file by config key and path', async () => {
    registry = new ClusterRegistry({
      clusters: [
        cluster('tls', {
          security: { protocol: 'SSL' },
          client: { tls: { ca: '/nonexistent/ca.pem' } },
        }),
      ],
      logger: mockServices.logger.mock(),
    });
    expect(await registry.describe('tls')).toEqual({
      reachable: false,
      error:
        'mirrorMaker.clusters.tls.client.tls.ca: cannot read /nonexistent/ca.pem (ENOENT); give the absolute path of a PEM file readable by the Backstage backend',
    });
  });

  it('never logs a password', async () => {
    const logger = mockServices.logger.mock();
    const server = await silentServer();
    const port = await deadPort();
    try {
      registry = new ClusterRegistry({
        clusters: [
          ...[server.port, port].map(p =>
            cluster(`sasl${p}`, {
              brokers: [`127.0.0.1:${p}`],
              security: {
                protocol: 'SASL_PLAINTEXT',
                sasl: {
                  mechanism: 'SCRAM-SHA-512',
                  username: 'mm',
                  password: PASSWORD,
                },
              },
              client: { connectionTimeoutMs: 300, requestTimeoutMs: 300 },
            }),
          ),
        ],
        logger,
      });
      for (const c of registry.list()) {
        expect((await registry.describe(c.name)).reachable).toBe(false);
      }
    } finally {
      await server.close();
    }
    expect(logger.warn).toHaveBeenCalled();
    expect(logText(logger)).not.toContain(PASSWORD);
  });

  it('closes idempotently and refuses work afterwards', async () => {
    const port = await deadPort();
    registry = new ClusterRegistry({
      clusters: [cluster('dead', { brokers: [`127.0.0.1:${port}`] })],
      logger: mockServices.logger.mock(),
    });
    const pending = registry.describe('dead');
    await registry.close();
    await registry.close();
    expect((await pending).reachable).toBe(false);
    expect(await registry.describe('dead')).toEqual({
      reachable: false,
      error: 'the cluster registry is closed',
    });
    await expect(registry.admin('dead')).rejects.toThrow(
      ServiceUnavailableError,
    );
  });
});

describe('kafkaLogCreator', () => {
  it('passes warnings and errors only, without secrets', () => {
    const logger = mockServices.logger.mock();
    const log = kafkaLogCreator(logger, 'dc1', [PASSWORD])(logLevel.WARN);
    const entry = (level: logLevel, message: string, extra = {}) =>
      log({
        namespace: 'Connection',
        level,
        label: '',
        log: { timestamp: 'now', logger: 'kafkajs', message, ...extra },
      });
    entry(logLevel.INFO, 'chatty');
    entry(logLevel.DEBUG, 'chattier');
    entry(logLevel.ERROR, `auth failed for ${PASSWORD}`, {
      broker: '127.0.0.1:9092',
      sasl: { password: PASSWORD },
      error: new Error(`bad ${PASSWORD}`),
      nested: { note: `x${PASSWORD}x` },
      payload: Buffer.from('abc'),
    });
    entry(logLevel.WARN, 'slow');
    expect(logger.info).not.toHaveBeenCalled();
    expect(logger.debug).not.toHaveBeenCalled();
    expect(logger.error).toHaveBeenCalledWith(
      'Kafka client of cluster "dc1": auth failed for [redacted]',
      {
        broker: '127.0.0.1:9092',
        sasl: '[redacted]',
        error: 'bad [redacted]',
        nested: { note: 'x[redacted]x' },
        payload: '<3 bytes>',
        cluster: 'dc1',
        kafkajs: 'Connection',
      },
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Kafka client of cluster "dc1": slow',
      { cluster: 'dc1', kafkajs: 'Connection' },
    );
  });
});

describe('kafkaClientConfig', () => {
  const files: Record<string, string> = {
    '/pki/ca.pem': 'CA PEM',
    '/pki/client.pem': 'CERT PEM',
    '/pki/client.key': 'KEY PEM',
  };
  const readFile = async (path: string) => {
    if (files[path] === undefined) {
      throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), {
        code: 'ENOENT',
      });
    }
    return files[path];
  };

  it('uses plain connections, default timeouts and no retry for one broker', async () => {
    expect(await kafkaClientConfig(cluster('dc1'), readFile)).toEqual({
      clientId: 'backstage-mirror-maker',
      brokers: ['127.0.0.1:9092'],
      connectionTimeout: 3000,
      requestTimeout: 5000,
      authenticationTimeout: 5000,
      enforceRequestTimeout: true,
      socketFactory: expect.any(Function),
      retry: { retries: 0, initialRetryTime: 250, maxRetryTime: 1000 },
    });
  });

  it('retries once when another seed broker can be tried', async () => {
    const config = await kafkaClientConfig(
      cluster('dc1', { brokers: ['a:9092', 'b:9092'] }),
      readFile,
    );
    expect(config.retry?.retries).toBe(1);
  });

  it('maps SASL_SSL to PEM contents and a lower-case mechanism', async () => {
    const config = await kafkaClientConfig(
      cluster('dc1', {
        security: {
          protocol: 'SASL_SSL',
          tls: { truststorePath: '/opt/kafka/truststore.jks' },
          sasl: { mechanism: 'SCRAM-SHA-256', username: 'mm', password: 'pw' },
        },
        client: {
          tls: {
            ca: '/pki/ca.pem',
            cert: '/pki/client.pem',
            key: '/pki/client.key',
            rejectUnauthorized: false,
          },
          connectionTimeoutMs: 1000,
          requestTimeoutMs: 2000,
        },
      }),
      readFile,
    );
    expect(config).toMatchObject({
      connectionTimeout: 1000,
      requestTimeout: 2000,
      ssl: {
        ca: 'CA PEM',
        cert: 'CERT PEM',
        key: 'KEY PEM',
        rejectUnauthorized: false,
      },
      sasl: { mechanism: 'scram-sha-256', username: 'mm', password: 'pw' },
    });
  });

  it('uses the system CAs for SSL without client.tls', async () => {
    const config = await kafkaClientConfig(
      cluster('dc1', { security: { protocol: 'SSL' } }),
      readFile,
    );
    expect(config.ssl).toEqual({ rejectUnauthorized: true });
    expect(config.sasl).toBeUndefined();
  });

  it('infers the protocol from security like the renderer', async () => {
    const saslOnly = await kafkaClientConfig(
      cluster('dc1', {
        security: {
          sasl: { mechanism: 'PLAIN', username: 'mm', password: 'pw' },
        },
      }),
      readFile,
    );
    expect(saslOnly.ssl).toBeUndefined();
    expect(saslOnly.sasl).toEqual({
      mechanism: 'plain',
      username: 'mm',
      password: 'pw',
    });
    const tlsOnly = await kafkaClientConfig(
      cluster('dc1', { security: { tls: { endpointIdentification: false } } }),
      readFile,
    );
    const ssl = tlsOnly.ssl as { checkServerIdentity?: () => undefined };
    expect(ssl.checkServerIdentity?.()).toBeUndefined();
    expect(typeof ssl.checkServerIdentity).toBe('function');
  });

  it('names the config key and path of an unreadable PEM file', async () => {
    await expect(
      kafkaClientConfig(
        cluster('dc1', {
          security: { protocol: 'SSL' },
          client: { tls: { ca: '/pki/ca.pem', key: '/pki/missing.key' } },
        }),
        readFile,
      ),
    ).rejects.toThrow(
      'mirrorMaker.clusters.dc1.client.tls.key: cannot read /pki/missing.key (ENOENT)',
    );
  });

  it('refuses IPv6 literals, which kafkajs cannot parse', async () => {
    await expect(
      kafkaClientConfig(
        cluster('dc1', { brokers: ['[2001:db8::1]:9093'] }),
        readFile,
      ),
    ).rejects.toThrow(
      "mirrorMaker.clusters.dc1.brokers[0]: the backend's Kafka client cannot connect to an IPv6 literal",
    );
  });
});
