import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  effectiveTopics,
  KafkaClusterConfig,
  quoteTopicName,
} from '@mirrormaker/plugin-mirror-maker-common';
import { Consumer, KafkaMessage, Partitioners, Producer } from 'kafkajs';
import { MetricsStore } from '../database/MetricsStore';
import { ClusterRegistry } from '../kafka/ClusterRegistry';
import { clientTimeouts } from '../kafka/clientConfig';
import { withDeadline } from '../kafka/deadline';
import { LoadedDeployment } from '../service/CatalogDeployments';
import type { HeartbeatStatus } from '@mirrormaker/plugin-mirror-maker-common';

export type { HeartbeatStatus };

export const HEARTBEAT_TOPIC_PREFIX = 'mirrormaker-heartbeat.';

export const DEFAULT_HEARTBEAT_GROUP_ID = 'backstage-mirror-maker-heartbeat';

/**
 * The topic heartbeats are produced into on a source cluster. It carries
 * the source's suffix, so a deployment's suffix rule replicates it like any
 * other topic of that data centre.
 */
export function heartbeatTopic(cluster: KafkaClusterConfig): string {
  return `${HEARTBEAT_TOPIC_PREFIX}${cluster.topicSuffix}`;
}

/** Whether a topic is a heartbeat topic rather than application data. */
export function isHeartbeatTopic(topic: string): boolean {
  return topic.startsWith(HEARTBEAT_TOPIC_PREFIX);
}

/** Counts of heartbeat records since the service was created. */
export interface HeartbeatStats {
  produced: number;
  received: number;
  stored: number;
  ignored: {
    /** Keyed by no deployment known to write into the cluster it came from. */
    unknownDeployment: number;
    /** Not the JSON this service produces. */
    badValue: number;
    /** Sent further in the future than clocks disagree. */
    future: number;
    /** Already seen: a replay, or a copy by a second deployment. */
    duplicate: number;
  };
}

/** The JSON value of a heartbeat record. */
interface HeartbeatValue {
  deployment: string;
  sentAt: number;
  v: 1;
}

// Heartbeats from a producer whose clock is ahead by less than this still
// count (with latency 0); further ahead, the latency would be fiction.
const CLOCK_SKEW_ALLOWANCE_MS = 30_000;

// A day of heartbeats is plenty to catch up after an outage, and keeps the
// topic small on both clusters.
const HEARTBEAT_RETENTION_MS = 24 * 60 * 60 * 1000;

// Creating a topic waits for its leader, which a busy cluster takes a while to
// elect; longer than one request.
const CREATE_TOPIC_DEADLINE_MS = 30_000;

// How long a cluster whose consumer could not start is left alone, so a
// cluster that is down costs one attempt per period rather than one per beat.
const CONSUMER_RETRY_MS = 30_000;

const CONSUMER_RETRY = {
  retries: 8,
  initialRetryTime: 300,
  maxRetryTime: 10_000,
};

// Joining a group waits out the broker's initial rebalance delay and any
// other members' rebalance; longer than one request.
const JOIN_DEADLINE_MS = 60_000;

const DEADLINE_SLACK_MS = 1_000;

interface Eligibility {
  topic?: string;
  replicated: boolean;
  reason?: string;
}

/** Why a deployment's topic set leaves out the heartbeat topic, and the fix. */
function eligibility(d: LoadedDeployment): Eligibility {
  if (!d.source) {
    return {
      replicated: false,
      reason:
        'spec.source does not resolve to a cluster under mirrorMaker.clusters; fix the deployment problems first',
    };
  }
  const topic = heartbeatTopic(d.source);
  if (!d.target) {
    return {
      topic,
      replicated: false,
      reason:
        'spec.target does not resolve to a cluster under mirrorMaker.clusters; fix the deployment problems first',
    };
  }
  const spec = d.entity.spec.topics;
  let matches: boolean;
  let matchesWithoutExclude: boolean;
  try {
    matches = effectiveTopics(spec, d.approvedTopics).matches(topic);
    matchesWithoutExclude =
      matches ||
      effectiveTopics(
        { ...spec, exclude: undefined },
        d.approvedTopics,
      ).matches(topic);
  } catch (e) {
    return {
      topic,
      replicated: false,
      reason: `spec.topics cannot be read (${
        e instanceof Error ? e.message : String(e)
      }); fix the deployment problems first`,
    };
  }
  if (matches) return { topic, replicated: true };
  const quoted = quoteTopicName(topic);
  let reason: string;
  if (matchesWithoutExclude) {
    reason = `spec.topics.exclude matches ${topic}, so heartbeats are not replicated; change spec.topics.exclude so it no longer matches ${topic}`;
  } else if (spec.suffix !== undefined) {
    reason = `spec.topics.suffix "${spec.suffix}" does not match ${topic}, so heartbeats are not replicated; set spec.topics.suffix to ${d.source.topicSuffix}, the source's own suffix`;
  } else if (spec.include !== undefined) {
    reason = `spec.topics.include does not match ${topic}, so heartbeats are not replicated; extend it, e.g. include: "(?:${spec.include})|${quoted}"`;
  } else {
    reason = `spec.topics.names does not list ${topic}, so heartbeats are not replicated; add ${topic} to spec.topics.names`;
  }
  return { topic, replicated: false, reason };
}

interface Route {
  target: string;
  topic: string;
}

interface ConsumerEntry {
  consumer: Consumer;
  /** Sorted, comma-joined: whether the subscription must change. */
  topicsKey: string;
  crashed: boolean;
}

/**
 * End-to-end replication latency. Every few seconds one backend instance
 * produces a small record per deployment into the heartbeat topic of the
 * deployment's source; MirrorMaker copies it like any other record, and a
 * consumer on each target cluster (in every instance, one consumer group, so
 * one instance reads each record) stores how long it took.
 */
export class HeartbeatService {
  private readonly store: MetricsStore;
  private readonly clusters: ClusterRegistry;
  private readonly deployments: () => Promise<LoadedDeployment[]>;
  private readonly logger: LoggerService;
  private readonly groupId: string;
  private readonly now: () => number;

  private readonly producers = new Map<string, Promise<Producer>>();
  private readonly consumers = new Map<string, ConsumerEntry>();
  private readonly consumerRetryAt = new Map<string, number>();
  /**
   * `cluster\ntopic` known to exist or being created, shared by concurrent
   * callers; forgotten when creating or a send fails.
   */
  private readonly ensured = new Map<string, Promise<void>>();
  /** Where each deployment's heartbeats arrive, as of the last refresh. */
  private routes = new Map<string, Route>();
  /** Newest sentAt stored per deployment, to drop copies. */
  private readonly lastSentAt = new Map<string, number>();
  /** Problems already warned about, so a lasting one warns once. */
  private readonly failing = new Set<string>();
  private started = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly counts: HeartbeatStats = {
    produced: 0,
    received: 0,
    stored: 0,
    ignored: { unknownDeployment: 0, badValue: 0, future: 0, duplicate: 0 },
  };

  constructor(options: {
    store: MetricsStore;
    clusters: ClusterRegistry;
    deployments: () => Promise<LoadedDeployment[]>;
    logger: LoggerService;
    groupId?: string;
    now?: () => number;
  }) {
    const groupId = options.groupId ?? DEFAULT_HEARTBEAT_GROUP_ID;
    if (typeof groupId !== 'string' || groupId.trim() === '') {
      throw new InputError(
        `The heartbeat consumer group id must be a non-empty string; got ${JSON.stringify(
          groupId,
        )}`,
      );
    }
    this.store = options.store;
    this.clusters = options.clusters;
    this.deployments = options.deployments;
    this.logger = options.logger;
    this.groupId = groupId;
    this.now = options.now ?? Date.now;
  }

  /**
   * Produces one heartbeat per deployment that replicates its heartbeat
   * topic, creating the topic on both clusters first. Refreshes the
   * consumers when started and the deployments changed. A cluster that
   * cannot be reached is warned about and skipped.
   */
  async beatOnce(): Promise<void> {
    const deployments = await this.deployments();
    if (this.started) {
      await this.serially(() => this.refresh(deployments));
    }
    const bySource = new Map<
      string,
      { cluster: KafkaClusterConfig; topic: string; refs: string[] }
    >();
    await Promise.all(
      deployments.map(async d => {
        const { replicated, topic } = eligibility(d);
        if (!replicated || !topic) return;
        // Both ends first: MirrorMaker cannot write into a target topic that
        // does not exist, and with abort.on.send.failure it stops.
        const ready = await this.attempt(
          `topics ${d.ref}`,
          `Heartbeat topic ${topic} of ${d.ref} could not be created`,
          () => this.ensureTopics(d),
        );
        if (!ready) return;
        const source = d.source!;
        const group = bySource.get(source.name) ?? {
          cluster: source,
          topic,
          refs: [],
        };
        group.refs.push(d.ref);
        bySource.set(source.name, group);
      }),
    );
    await Promise.all(
      [...bySource.values()].map(group =>
        this.attempt(
          `produce ${group.cluster.name}`,
          `Heartbeats could not be sent to ${group.topic} on cluster "${group.cluster.name}"`,
          () => this.send(group.cluster, group.topic, group.refs.sort()),
        ),
      ),
    );
  }

  /**
   * Starts a consumer on every target cluster some deployment replicates
   * heartbeats into, or brings the running ones in line with the current
   * deployments. Safe to call again; a cluster that cannot be reached is
   * retried on a later call.
   */
  async start(): Promise<void> {
    this.started = true;
    const deployments = await this.deployments();
    await this.serially(() => this.refresh(deployments));
  }

  /** Disconnects every consumer and producer. */
  async stop(): Promise<void> {
    this.started = false;
    await this.serially(async () => {
      const consumers = [...this.consumers.values()];
      this.consumers.clear();
      this.consumerRetryAt.clear();
      const producers = [...this.producers.values()];
      this.producers.clear();
      await Promise.all([
        ...consumers.map(entry => disconnect(entry.consumer)),
        ...producers.map(p => p.then(disconnect, () => undefined)),
      ]);
    });
  }

  /**
   * Creates the deployment's heartbeat topic on its source and target where
   * absent (1 partition, replication factor up to 3). MirrorMaker only sees
   * new topics after a metadata refresh, so deploys call this before the
   * processes start. Does nothing for a deployment that does not replicate
   * the topic.
   */
  async ensureTopics(d: LoadedDeployment): Promise<void> {
    const { replicated, topic, reason } = eligibility(d);
    if (!d.source || !d.target) {
      throw new InputError(`No heartbeat topic for ${d.ref}: ${reason}`);
    }
    if (!replicated || !topic) return;
    await this.ensureTopic(d.source, topic);
    await this.ensureTopic(d.target, topic);
  }

  async status(d: LoadedDeployment): Promise<HeartbeatStatus> {
    const { topic, replicated, reason } = eligibility(d);
    const status: HeartbeatStatus = { deploymentRef: d.ref, replicated };
    if (topic) status.topic = topic;
    if (reason) status.reason = reason;
    const last = await this.store.latestHeartbeat(d.ref);
    if (last) {
      status.lastLatencyMs = last.latencyMs;
      status.lastReceivedAt = new Date(last.receivedAt).toISOString();
    }
    return status;
  }

  async series(
    deploymentRef: string,
    sinceMs: number,
  ): Promise<{ at: string; latencyMs: number }[]> {
    const records = await this.store.heartbeats(deploymentRef, sinceMs);
    return records.map(r => ({
      at: new Date(r.receivedAt).toISOString(),
      latencyMs: r.latencyMs,
    }));
  }

  /** What came in and what was ignored, since the service was created. */
  stats(): HeartbeatStats {
    return { ...this.counts, ignored: { ...this.counts.ignored } };
  }

  /** Refreshes run one at a time: two would start two consumers for one cluster. */
  private serially(fn: () => Promise<void>): Promise<void> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async refresh(deployments: LoadedDeployment[]): Promise<void> {
    const plan = new Map<string, Set<string>>();
    const routes = new Map<string, Route>();
    for (const d of deployments) {
      const { replicated, topic } = eligibility(d);
      if (!replicated || !topic) continue;
      const target = d.target!.name;
      routes.set(d.ref, { target, topic });
      const topics = plan.get(target) ?? new Set<string>();
      topics.add(topic);
      plan.set(target, topics);
    }
    // Before the consumers change, so records arriving meanwhile are
    // judged by the new deployments.
    this.routes = routes;

    for (const [target, entry] of [...this.consumers]) {
      if (!plan.has(target)) {
        this.consumers.delete(target);
        await disconnect(entry.consumer);
      }
    }
    for (const [target, topicSet] of plan) {
      const topics = [...topicSet].sort();
      const topicsKey = topics.join(',');
      const existing = this.consumers.get(target);
      if (existing && existing.topicsKey === topicsKey && !existing.crashed) {
        continue;
      }
      if ((this.consumerRetryAt.get(target) ?? 0) > this.now()) continue;
      if (existing) {
        // kafkajs cannot change the subscription of a running consumer.
        this.consumers.delete(target);
        await disconnect(existing.consumer);
      }
      const started = await this.attempt(
        `consume ${target}`,
        `Heartbeats cannot be read from cluster "${target}"`,
        () => this.startConsumer(target, topics, topicsKey),
      );
      if (started) this.consumerRetryAt.delete(target);
      else this.consumerRetryAt.set(target, this.now() + CONSUMER_RETRY_MS);
    }
  }

  private async startConsumer(
    target: string,
    topics: string[],
    topicsKey: string,
  ): Promise<void> {
    const cluster = this.clusters.get(target);
    // Subscribing to a topic that does not exist fails, and KRaft brokers
    // are slow to show new ones to a consumer that has already asked.
    for (const topic of topics) await this.ensureTopic(cluster, topic);
    // The registry's clients give up at once, right for one admin call but
    // not for a consumer meant to outlive broker restarts, nor for a new
    // cluster still electing the coordinator of its first group.
    const kafka = await this.clusters.kafka(target, { retry: CONSUMER_RETRY });
    const consumer = kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      // Only bounds empty fetches; a record is returned as soon as it arrives.
      maxWaitTimeInMs: 1_000,
      retry: CONSUMER_RETRY,
    });
    const entry: ConsumerEntry = { consumer, topicsKey, crashed: false };
    // run() resolves even when joining fails, reporting it as a crash.
    let joined = false;
    let onJoin!: () => void;
    let onJoinFailure!: (e: Error) => void;
    const joining = new Promise<void>((resolve, reject) => {
      onJoin = resolve;
      onJoinFailure = reject;
    });
    joining.catch(() => undefined);
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
      onJoin();
    });
    consumer.on(consumer.events.CRASH, event => {
      if (event.payload.restart) return;
      entry.crashed = true;
      if (!joined) {
        onJoinFailure(event.payload.error);
        return;
      }
      this.logger.warn(
        `Heartbeat consumer of cluster "${target}" stopped (${event.payload.error.message}); it is restarted on the next heartbeat round`,
      );
    });
    try {
      await withDeadline(
        consumer.connect(),
        deadlineOf(cluster),
        `Connecting the heartbeat consumer to cluster "${target}"`,
      );
      await withDeadline(
        (async () => {
          await consumer.subscribe({ topics, fromBeginning: false });
          await consumer.run({
            eachMessage: async ({ topic, message }) =>
              this.onMessage(target, topic, message),
          });
          await joining;
        })(),
        JOIN_DEADLINE_MS,
        `Joining group ${this.groupId} on cluster "${target}"`,
      );
    } catch (e) {
      await disconnect(consumer);
      throw e;
    }
    this.consumers.set(target, entry);
  }

  /** Never throws: kafkajs would stop the consumer over one bad record. */
  private async onMessage(
    target: string,
    topic: string,
    message: KafkaMessage,
  ): Promise<void> {
    const receivedAt = this.now();
    this.counts.received += 1;
    const ref = message.key?.toString('utf8');
    const route = ref === undefined ? undefined : this.routes.get(ref);
    if (!ref || !route || route.target !== target || route.topic !== topic) {
      this.ignore(
        'unknownDeployment',
        `key ${JSON.stringify(
          ref ?? null,
        )} on ${topic} of cluster "${target}" names no deployment writing there`,
      );
      return;
    }
    const value = parseValue(message.value);
    if (!value || value.deployment !== ref) {
      this.ignore(
        'badValue',
        `the value of ${ref}'s record on ${topic} of cluster "${target}" is not a heartbeat`,
      );
      return;
    }
    if (value.sentAt > receivedAt + CLOCK_SKEW_ALLOWANCE_MS) {
      this.ignore(
        'future',
        `${ref}'s record on cluster "${target}" was sent ${
          value.sentAt - receivedAt
        } ms in the future; clocks disagree`,
      );
      return;
    }
    const last = this.lastSentAt.get(ref);
    if (last !== undefined && value.sentAt <= last) {
      this.ignore(
        'duplicate',
        `${ref}'s record sent at ${value.sentAt} on cluster "${target}" came before`,
      );
      return;
    }
    this.lastSentAt.set(ref, value.sentAt);
    try {
      await this.store.addHeartbeats([
        {
          deploymentRef: ref,
          sentAt: value.sentAt,
          receivedAt,
          latencyMs: Math.max(0, receivedAt - value.sentAt),
        },
      ]);
      this.counts.stored += 1;
    } catch (e) {
      this.logger.warn(
        `Heartbeat of ${ref} could not be stored: ${errorText(e)}`,
      );
    }
  }

  private ignore(
    reason: keyof HeartbeatStats['ignored'],
    detail: string,
  ): void {
    this.counts.ignored[reason] += 1;
    this.logger.debug(`Heartbeat record ignored: ${detail}`);
  }

  private async send(
    cluster: KafkaClusterConfig,
    topic: string,
    refs: string[],
  ): Promise<void> {
    const producer = await this.producer(cluster);
    const sentAt = this.now();
    try {
      await withDeadline(
        producer.send({
          topic,
          acks: -1,
          messages: refs.map(ref => ({
            key: ref,
            value: JSON.stringify({
              deployment: ref,
              sentAt,
              v: 1,
            } satisfies HeartbeatValue),
          })),
        }),
        deadlineOf(cluster),
        `Sending heartbeats to cluster "${cluster.name}"`,
      );
    } catch (e) {
      // A fresh client and a fresh look at the topic next time: either may
      // be what broke.
      this.producers.delete(cluster.name);
      this.ensured.delete(`${cluster.name}\n${topic}`);
      await disconnect(producer);
      throw e;
    }
    this.counts.produced += refs.length;
  }

  private producer(cluster: KafkaClusterConfig): Promise<Producer> {
    let producer = this.producers.get(cluster.name);
    if (!producer) {
      producer = (async () => {
        const kafka = await this.clusters.kafka(cluster.name);
        const created = kafka.producer({
          allowAutoTopicCreation: false,
          createPartitioner: Partitioners.DefaultPartitioner,
        });
        try {
          await withDeadline(
            created.connect(),
            deadlineOf(cluster),
            `Connecting the heartbeat producer to cluster "${cluster.name}"`,
          );
        } catch (e) {
          await disconnect(created);
          throw e;
        }
        return created;
      })();
      const pending = producer;
      this.producers.set(cluster.name, pending);
      pending.catch(() => {
        if (this.producers.get(cluster.name) === pending) {
          this.producers.delete(cluster.name);
        }
      });
    }
    return producer;
  }

  private ensureTopic(
    cluster: KafkaClusterConfig,
    topic: string,
  ): Promise<void> {
    const key = `${cluster.name}\n${topic}`;
    let ensured = this.ensured.get(key);
    if (!ensured) {
      const pending = this.createTopicIfAbsent(cluster, topic);
      ensured = pending;
      this.ensured.set(key, pending);
      pending.catch(() => {
        if (this.ensured.get(key) === pending) this.ensured.delete(key);
      });
    }
    return ensured;
  }

  private async createTopicIfAbsent(
    cluster: KafkaClusterConfig,
    topic: string,
  ): Promise<void> {
    const topics = await this.clusters.listTopics(cluster.name);
    if (!topics.some(t => t.name === topic)) {
      const description = await this.clusters.describe(cluster.name);
      if (!description.reachable) {
        throw new Error(
          `cluster "${cluster.name}" cannot be reached: ${description.error}`,
        );
      }
      const admin = await this.clusters.admin(cluster.name);
      const created = await withDeadline(
        admin.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic,
              numPartitions: 1,
              replicationFactor: Math.min(3, description.brokerCount),
              configEntries: [
                { name: 'retention.ms', value: String(HEARTBEAT_RETENTION_MS) },
              ],
            },
          ],
        }),
        CREATE_TOPIC_DEADLINE_MS,
        `Creating ${topic} on cluster "${cluster.name}"`,
      );
      // false: another backend instance created it meanwhile.
      if (created) {
        this.logger.info(
          `Created heartbeat topic ${topic} on cluster "${cluster.name}"`,
        );
      }
    }
  }

  /** Runs `fn`; a failure is warned about once until it succeeds again. */
  private async attempt(
    key: string,
    what: string,
    fn: () => Promise<void>,
  ): Promise<boolean> {
    try {
      await fn();
      if (this.failing.delete(key)) this.logger.info(`${what}: works again`);
      return true;
    } catch (e) {
      if (!this.failing.has(key)) {
        this.failing.add(key);
        this.logger.warn(`${what}: ${errorText(e)}`);
      }
      return false;
    }
  }
}

function parseValue(value: Buffer | null): HeartbeatValue | undefined {
  if (!value) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { deployment, sentAt, v } = parsed as Record<string, unknown>;
  if (
    v !== 1 ||
    typeof deployment !== 'string' ||
    typeof sentAt !== 'number' ||
    !Number.isSafeInteger(sentAt) ||
    sentAt <= 0
  ) {
    return undefined;
  }
  return { deployment, sentAt, v };
}

function deadlineOf(cluster: KafkaClusterConfig): number {
  const { connectionTimeoutMs, requestTimeoutMs } = clientTimeouts(cluster);
  return connectionTimeoutMs + requestTimeoutMs + DEADLINE_SLACK_MS;
}

async function disconnect(client: {
  disconnect(): Promise<void>;
}): Promise<void> {
  await withDeadline(client.disconnect(), 5_000, 'Disconnecting').catch(
    () => undefined,
  );
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
