import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  formatProblems,
  KafkaClusterConfig,
  parseKafkaClusters,
} from '@mirrormaker/plugin-mirror-maker-common';
import { Admin, Kafka, logLevel, RetryOptions } from 'kafkajs';
import { registerLz4Codec } from './lz4Codec';
import {
  clientTimeouts,
  clusterSecrets,
  kafkaClientConfig,
  ReadFile,
  readUtf8File,
} from './clientConfig';
import { withDeadline } from './deadline';
import { kafkaLogCreator, redactString } from './logging';

/** A cluster that answered. */
export interface ClusterDescription {
  reachable: true;
  brokerCount: number;
  clusterId: string;
  controllerId?: number;
}

/** A cluster that could not be asked, and why. */
export interface ClusterUnreachable {
  reachable: false;
  error: string;
}

/** A topic as the brokers report it right now. */
export interface LiveTopicInfo {
  name: string;
  partitions: number;
  replicationFactor: number;
  internal: boolean;
}

/** Beyond the client's own timeouts, for scheduling and a slow disconnect. */
const DEADLINE_SLACK_MS = 1_000;

interface Connection {
  cluster: KafkaClusterConfig;
  deadlineMs: number;
  secrets: string[];
  admin?: Admin;
  connecting?: Promise<Admin>;
  /** Last known state, so a change is logged once rather than every call. */
  reachable?: boolean;
}

/** The error and the errors kafkajs wrapped into it. */
function causes(e: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = e; current && chain.length < 5; ) {
    chain.push(current);
    const next =
      (current as { cause?: unknown }).cause ??
      (current as { originalError?: unknown }).originalError;
    if (next === current) break;
    current = next;
  }
  return chain;
}

/**
 * Error text for callers and logs. kafkajs's texts are terse ("Connection
 * timeout"), so the broker and the setting involved are added; kafkajs
 * builds them, so secrets are cut out.
 */
function messageOf(connection: Connection, e: unknown): string {
  let text = e instanceof Error ? e.message : String(e);
  const broker = causes(e)
    .map(c => (c as { broker?: unknown }).broker)
    .find((b): b is string => typeof b === 'string');
  if (broker && !text.includes(broker)) text += ` (broker ${broker})`;
  if (/^Connection timeout/.test(text)) {
    const { connectionTimeoutMs } = clientTimeouts(connection.cluster);
    text += `: no connection within ${connectionTimeoutMs} ms (client.connectionTimeoutMs)`;
  }
  return redactString(text, connection.secrets);
}

/**
 * Whether a broker replied (with an error code): the connection is fine
 * then, and dropping it would only cost a reconnect.
 */
function brokerAnswered(e: unknown): boolean {
  return causes(e).some(c => (c as Error).name === 'KafkaJSProtocolError');
}

/**
 * The backend's kafkajs clients, one per cluster under
 * `mirrorMaker.clusters`, connected on first use and shared by every caller.
 * Each call has a deadline, so an unreachable cluster answers "unreachable"
 * quickly instead of holding up the API.
 */
export class ClusterRegistry {
  private readonly connections = new Map<string, Connection>();
  private readonly logger: LoggerService;
  private readonly readFile: ReadFile;
  private readonly disconnecting = new Set<Promise<void>>();
  private closed = false;

  /** Reads `mirrorMaker.clusters`; throws an InputError listing every problem. */
  static fromConfig(config: Config, logger: LoggerService): ClusterRegistry {
    const { clusters, problems } = parseKafkaClusters(
      config.getOptional('mirrorMaker.clusters'),
    );
    if (problems.length > 0) {
      throw new InputError(
        `Invalid Kafka cluster configuration:\n${formatProblems(problems)}`,
      );
    }
    return new ClusterRegistry({ clusters, logger });
  }

  constructor(options: {
    clusters: KafkaClusterConfig[];
    logger: LoggerService;
    readFile?: (path: string) => Promise<string>;
  }) {
    registerLz4Codec();
    this.logger = options.logger;
    this.readFile = options.readFile ?? readUtf8File;
    const sorted = [...options.clusters].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const cluster of sorted) {
      if (this.connections.has(cluster.name)) {
        throw new Error(`Cluster "${cluster.name}" is listed twice`);
      }
      const { connectionTimeoutMs, requestTimeoutMs } = clientTimeouts(cluster);
      this.connections.set(cluster.name, {
        cluster,
        deadlineMs: connectionTimeoutMs + requestTimeoutMs + DEADLINE_SLACK_MS,
        secrets: clusterSecrets(cluster),
      });
    }
  }

  /** Every configured cluster, sorted by name. */
  list(): KafkaClusterConfig[] {
    return [...this.connections.values()].map(c => c.cluster);
  }

  get(name: string): KafkaClusterConfig {
    return this.connection(name).cluster;
  }

  /** Never throws for connectivity: an unreachable cluster is an answer. */
  async describe(
    name: string,
  ): Promise<ClusterDescription | ClusterUnreachable> {
    const connection = this.connection(name);
    try {
      const info = await this.run(connection, 'describeCluster', admin =>
        admin.describeCluster(),
      );
      const description: ClusterDescription = {
        reachable: true,
        brokerCount: info.brokers.length,
        clusterId: info.clusterId,
      };
      if (typeof info.controller === 'number' && info.controller >= 0) {
        description.controllerId = info.controller;
      }
      return description;
    } catch (e) {
      return { reachable: false, error: messageOf(connection, e) };
    }
  }

  /** Every topic on the cluster, sorted by name. */
  async listTopics(name: string): Promise<LiveTopicInfo[]> {
    const connection = this.connection(name);
    let metadata: Awaited<ReturnType<Admin['fetchTopicMetadata']>>;
    try {
      metadata = await this.run(connection, 'fetchTopicMetadata', admin =>
        admin.fetchTopicMetadata(),
      );
    } catch (e) {
      throw this.unavailable(connection, e);
    }
    return metadata.topics
      .map(topic => {
        const first =
          topic.partitions.find(p => p.partitionId === 0) ??
          topic.partitions[0];
        return {
          name: topic.name,
          partitions: topic.partitions.length,
          replicationFactor: first?.replicas.length ?? 0,
          // kafkajs 2.2.4 drops the metadata's isInternal flag; use it
          // should a later version pass it on.
          internal:
            (topic as { isInternal?: boolean }).isInternal === true ||
            topic.name.startsWith('__'),
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : Number(a.name > b.name)));
  }

  /**
   * The shared, connected admin client of a cluster. Callers must not
   * disconnect it; calls on it are not bounded by the registry's deadline.
   */
  async admin(name: string): Promise<Admin> {
    const connection = this.connection(name);
    try {
      return await withDeadline(
        this.connect(connection),
        connection.deadlineMs,
        `Connecting to cluster "${name}"`,
      );
    } catch (e) {
      throw this.unavailable(connection, e);
    }
  }

  /**
   * A new kafkajs client of a cluster with the settings and logging of the
   * shared admin, for producers and consumers. The caller owns what it
   * creates from it and must disconnect those; the registry does not track
   * them. PEM files are read again on every call, as for a reconnect.
   *
   * `retry` replaces the admin's, which gives up at once so an unreachable
   * cluster answers quickly; a long-lived consumer wants to ride out a
   * coordinator that is still being elected.
   */
  async kafka(
    name: string,
    options: { retry?: RetryOptions } = {},
  ): Promise<Kafka> {
    const connection = this.connection(name);
    if (this.closed) throw new Error('the cluster registry is closed');
    return this.client(connection, options.retry);
  }

  /** Disconnects every client; later calls report the registry as closed. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.connections.values()].map(async connection => {
        await connection.connecting?.catch(() => undefined);
        this.drop(connection);
      }),
    );
    await Promise.all(this.disconnecting);
  }

  private connection(name: string): Connection {
    const connection = this.connections.get(name);
    if (!connection) {
      const configured = [...this.connections.keys()].join(', ') || 'none';
      throw new NotFoundError(
        `No cluster "${name}" under mirrorMaker.clusters; configured: ${configured}`,
      );
    }
    return connection;
  }

  private unavailable(
    connection: Connection,
    e: unknown,
  ): ServiceUnavailableError {
    const { name, brokers } = connection.cluster;
    return new ServiceUnavailableError(
      `Cluster "${name}" (brokers ${brokers.join(
        ', ',
      )}) cannot be reached: ${messageOf(connection, e)}`,
    );
  }

  /** Runs one admin call under the cluster's deadline (connect included). */
  private async run<T>(
    connection: Connection,
    what: string,
    call: (admin: Admin) => Promise<T>,
  ): Promise<T> {
    const { name } = connection.cluster;
    let admin: Admin | undefined;
    try {
      const result = await withDeadline(
        this.connect(connection).then(connected => {
          admin = connected;
          return call(connected);
        }),
        connection.deadlineMs,
        `${what} on cluster "${name}"`,
      );
      this.noteReachable(connection, true);
      return result;
    } catch (e) {
      if (!brokerAnswered(e)) {
        // A broken connection is not repaired by kafkajs for every call
        // path; a fresh client on the next call is.
        if (admin && connection.admin === admin) this.drop(connection);
        this.noteReachable(connection, false, e);
      }
      throw e;
    }
  }

  /** The connected admin; concurrent callers share one attempt. */
  private connect(connection: Connection): Promise<Admin> {
    if (this.closed) {
      return Promise.reject(new Error('the cluster registry is closed'));
    }
    if (connection.admin) return Promise.resolve(connection.admin);
    if (!connection.connecting) {
      connection.connecting = this.open(connection)
        .then(admin => {
          if (this.closed) {
            this.disconnect(admin);
            throw new Error('the cluster registry is closed');
          }
          connection.admin = admin;
          return admin;
        })
        .finally(() => {
          connection.connecting = undefined;
        });
    }
    return connection.connecting;
  }

  /**
   * A new client per connection attempt, so PEM files rotated on disk are
   * read again after a failure.
   */
  private async open(connection: Connection): Promise<Admin> {
    const { cluster, deadlineMs } = connection;
    const kafka = await this.client(connection);
    const admin = kafka.admin();
    try {
      // Bounded here too, so a hung attempt cannot block later attempts.
      await withDeadline(
        admin.connect(),
        deadlineMs,
        `Connecting to cluster "${cluster.name}"`,
      );
    } catch (e) {
      this.disconnect(admin);
      throw e;
    }
    return admin;
  }

  private async client(
    connection: Connection,
    retry?: RetryOptions,
  ): Promise<Kafka> {
    const { cluster } = connection;
    const config = await kafkaClientConfig(cluster, this.readFile);
    return new Kafka({
      ...config,
      retry: retry ?? config.retry,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(
        this.logger,
        cluster.name,
        connection.secrets,
      ),
    });
  }

  private drop(connection: Connection): void {
    const admin = connection.admin;
    connection.admin = undefined;
    if (admin) this.disconnect(admin);
  }

  private disconnect(admin: Admin): void {
    const done = withDeadline(admin.disconnect(), 5_000, 'Disconnecting')
      .catch(() => undefined)
      .finally(() => this.disconnecting.delete(done));
    this.disconnecting.add(done);
  }

  private noteReachable(
    connection: Connection,
    reachable: boolean,
    e?: unknown,
  ): void {
    if (connection.reachable === reachable || this.closed) return;
    const wasKnown = connection.reachable !== undefined;
    connection.reachable = reachable;
    const { name } = connection.cluster;
    if (!reachable) {
      this.logger.warn(
        `Kafka cluster "${name}" cannot be reached: ${messageOf(
          connection,
          e,
        )}`,
      );
    } else if (wasKnown) {
      this.logger.info(`Kafka cluster "${name}" is reachable again`);
    }
  }
}
