import { promises as fs } from 'fs';
import type { ConnectionOptions } from 'tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import {
  KAFKA_CLIENT_LIMITS,
  KafkaClusterConfig,
  securityProtocolOf,
} from '@mirrormaker/plugin-mirror-maker-common';
import { boundedSocketFactory } from './socket';

/** Reads a text file; tests pass their own. */
export type ReadFile = (path: string) => Promise<string>;

export const readUtf8File: ReadFile = path => fs.readFile(path, 'utf8');

/** The kafkajs settings of one cluster, without logging. */
export type KafkaClientConfig = Omit<KafkaConfig, 'logLevel' | 'logCreator'>;

const SASL_MECHANISMS = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
} as const;

/** The configured or default timeouts of the backend's client, in ms. */
export function clientTimeouts(cluster: KafkaClusterConfig): {
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
} {
  return {
    connectionTimeoutMs:
      cluster.client?.connectionTimeoutMs ??
      KAFKA_CLIENT_LIMITS.connectionTimeoutMs.default,
    requestTimeoutMs:
      cluster.client?.requestTimeoutMs ??
      KAFKA_CLIENT_LIMITS.requestTimeoutMs.default,
  };
}

async function readPem(
  cluster: KafkaClusterConfig,
  key: 'ca' | 'cert' | 'key',
  readFile: ReadFile,
): Promise<string | undefined> {
  const path = cluster.client?.tls?.[key];
  if (path === undefined) return undefined;
  try {
    return await readFile(path);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(
      `mirrorMaker.clusters.${cluster.name}.client.tls.${key}: cannot read ${path} (${reason}); give the absolute path of a PEM file readable by the Backstage backend`,
    );
  }
}

/**
 * Maps a cluster's config to kafkajs settings for the backend's own client.
 * TLS and SASL follow `security`, so the backend connects the way
 * MirrorMaker does; the PEM files come from `client.tls`.
 */
export async function kafkaClientConfig(
  cluster: KafkaClusterConfig,
  readFile: ReadFile = readUtf8File,
): Promise<KafkaClientConfig> {
  cluster.brokers.forEach((broker, i) => {
    // kafkajs 2.2.4 splits host and port at the first colon.
    if (broker.startsWith('[')) {
      throw new Error(
        `mirrorMaker.clusters.${cluster.name}.brokers[${i}]: the backend's Kafka client cannot connect to an IPv6 literal (${broker}); use a host name that resolves to it`,
      );
    }
  });
  const { connectionTimeoutMs, requestTimeoutMs } = clientTimeouts(cluster);
  const protocol = securityProtocolOf(cluster);
  const config: KafkaClientConfig = {
    clientId: 'backstage-mirror-maker',
    brokers: [...cluster.brokers],
    connectionTimeout: connectionTimeoutMs,
    requestTimeout: requestTimeoutMs,
    authenticationTimeout: requestTimeoutMs,
    enforceRequestTimeout: true,
    socketFactory: boundedSocketFactory(connectionTimeoutMs),
    // One retry only when there is another seed broker to try: an
    // unreachable cluster must answer quickly, and callers poll again.
    retry: {
      retries: cluster.brokers.length > 1 ? 1 : 0,
      initialRetryTime: 250,
      maxRetryTime: 1_000,
    },
  };
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const [ca, cert, key] = await Promise.all([
      readPem(cluster, 'ca', readFile),
      readPem(cluster, 'cert', readFile),
      readPem(cluster, 'key', readFile),
    ]);
    const ssl: ConnectionOptions = {
      rejectUnauthorized: cluster.client?.tls?.rejectUnauthorized ?? true,
    };
    if (ca !== undefined) ssl.ca = ca;
    if (cert !== undefined) ssl.cert = cert;
    if (key !== undefined) ssl.key = key;
    if (cluster.security?.tls?.endpointIdentification === false) {
      // Same as MirrorMaker's empty ssl.endpoint.identification.algorithm.
      ssl.checkServerIdentity = () => undefined;
    }
    config.ssl = ssl;
  }
  const sasl = cluster.security?.sasl;
  if (sasl && protocol.startsWith('SASL_')) {
    const mechanism = SASL_MECHANISMS[sasl.mechanism];
    if (!mechanism) {
      throw new Error(
        `mirrorMaker.clusters.${cluster.name}.security.sasl.mechanism: ${sasl.mechanism} is not supported; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`,
      );
    }
    config.sasl = {
      mechanism,
      username: sasl.username,
      password: sasl.password,
    } as SASLOptions;
  }
  return config;
}

/** The values that must never reach a log line. */
export function clusterSecrets(cluster: KafkaClusterConfig): string[] {
  const tls = cluster.security?.tls;
  return [
    cluster.security?.sasl?.password,
    tls?.truststorePassword,
    tls?.keystorePassword,
    tls?.keyPassword,
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
}
