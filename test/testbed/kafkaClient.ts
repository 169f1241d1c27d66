import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type {
  Admin,
  GroupDescription,
  ITopicConfig,
  KafkaConfig,
  Message,
} from 'kafkajs';
import { registerLz4Codec } from './lz4Codec';

/** Anything with a bootstrap address: a test bed cluster, or a plain `host:port[,host:port]` string. */
export type KafkaTarget = { bootstrap: string } | string;

function brokersOf(target: KafkaTarget): string[] {
  const bootstrap = typeof target === 'string' ? target : target.bootstrap;
  return bootstrap
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

let clientCounter = 0;

/**
 * Creates a kafkajs client for a cluster. Logging is off by default
 * (`logLevel.NOTHING`) to keep test output readable; pass `logLevel` to change.
 */
export function createKafkaClient(
  target: KafkaTarget,
  config: Partial<KafkaConfig> = {},
): Kafka {
  clientCounter += 1;
  registerLz4Codec();
  return new Kafka({
    clientId: `kafka-testbed-${process.pid}-${clientCounter}`,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    logLevel: logLevel.NOTHING,
    ...config,
    brokers: config.brokers ?? brokersOf(target),
  });
}

/** Runs `fn` with a connected admin client and always disconnects it. */
export async function withAdmin<T>(
  target: KafkaTarget,
  fn: (admin: Admin) => Promise<T>,
  config: Partial<KafkaConfig> = {},
): Promise<T> {
  const admin = createKafkaClient(target, config).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface WaitOptions {
  /** Overall limit; default 60 s. */
  timeoutMs?: number;
  /** Pause between attempts; default 250 ms. */
  intervalMs?: number;
  /** Used in the timeout error. */
  description?: string;
}

/**
 * Polls `check` until it returns a value other than `undefined`/`false`, and
 * returns it. Exceptions from `check` count as "not yet"; the last one is
 * reported on timeout.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const reason =
        lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${
          options.description ?? 'condition'
        }${reason}`,
      );
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  /** Topic configs, e.g. `{ 'retention.ms': '-1' }`. */
  configs?: Record<string, string>;
}

/**
 * Creates topics (replication factor 1) and waits until they have leaders.
 * Topics that already exist are left alone.
 */
export async function createTopics(
  target: KafkaTarget,
  topics: Array<TopicSpec | string>,
): Promise<void> {
  const specs: ITopicConfig[] = topics.map(t => {
    const spec = typeof t === 'string' ? { topic: t } : t;
    return {
      topic: spec.topic,
      numPartitions: spec.numPartitions ?? 1,
      replicationFactor: 1,
      configEntries: Object.entries(spec.configs ?? {}).map(
        ([name, value]) => ({ name, value }),
      ),
    };
  });
  await withAdmin(target, async admin => {
    await admin.createTopics({ topics: specs, waitForLeaders: true });
    // Make sure metadata for every topic is visible before anyone subscribes.
    await waitFor(
      async () => {
        const { topics: meta } = await admin.fetchTopicMetadata({
          topics: specs.map(s => s.topic),
        });
        return meta.every(
          m =>
            m.partitions.length > 0 && m.partitions.every(p => p.leader >= 0),
        );
      },
      {
        timeoutMs: 30_000,
        description: `leaders for ${specs.map(s => s.topic).join(', ')}`,
      },
    );
  });
}

/** Log end offsets (high watermarks) per partition. */
export async function topicEndOffsets(
  target: KafkaTarget,
  topic: string,
): Promise<Map<number, number>> {
  return withAdmin(target, async admin => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map(o => [o.partition, Number(o.high)]));
  });
}

/** Sum of the high watermarks of all partitions = number of records ever written (no compaction/deletion). */
export async function sumEndOffsets(
  target: KafkaTarget,
  topic: string,
): Promise<number> {
  let sum = 0;
  for (const high of (await topicEndOffsets(target, topic)).values())
    sum += high;
  return sum;
}

export interface GroupLag {
  /** Total lag over all partitions of the given topics. */
  total: number;
  /** Partitions with no committed offset. */
  uncommitted: number;
  partitions: Array<{
    topic: string;
    partition: number;
    committed: number;
    high: number;
    lag: number;
  }>;
}

/**
 * Lag of a consumer group (committed offsets vs log end offsets). A partition
 * without a committed offset counts as lagging by (high - low).
 */
export async function consumerGroupLag(
  target: KafkaTarget,
  groupId: string,
  topics: string[],
): Promise<GroupLag> {
  return withAdmin(target, async admin => {
    const committed = await admin.fetchOffsets({ groupId, topics });
    const result: GroupLag = { total: 0, uncommitted: 0, partitions: [] };
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const byPartition = new Map(
        (committed.find(c => c.topic === topic)?.partitions ?? []).map(p => [
          p.partition,
          Number(p.offset),
        ]),
      );
      for (const end of ends) {
        const high = Number(end.high);
        const offset = byPartition.get(end.partition) ?? -1;
        const lag =
          offset < 0 ? high - Number(end.low) : Math.max(0, high - offset);
        if (offset < 0) result.uncommitted += 1;
        result.total += lag;
        result.partitions.push({
          topic,
          partition: end.partition,
          committed: offset,
          high,
          lag,
        });
      }
    }
    return result;
  });
}

/** Waits until a consumer group's committed offsets reach the log end of the given topics. */
export async function waitForGroupCaughtUp(
  target: KafkaTarget,
  groupId: string,
  topics: string[],
  options: WaitOptions = {},
): Promise<GroupLag> {
  return waitFor(
    async () => {
      const lag = await consumerGroupLag(target, groupId, topics);
      return lag.total === 0 ? lag : undefined;
    },
    {
      intervalMs: 500,
      description: `group ${groupId} to commit up to the log end of ${topics.join(
        ', ',
      )}`,
      ...options,
    },
  );
}

/** Describes a consumer group (state, members). */
export async function describeGroup(
  target: KafkaTarget,
  groupId: string,
): Promise<GroupDescription> {
  return withAdmin(target, async admin => {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0];
  });
}

/** Produces messages with acks=all, in batches, using Java-compatible partitioning. */
export async function produceRecords(
  target: KafkaTarget,
  topic: string,
  messages: Message[],
  options: { batchSize?: number } = {},
): Promise<void> {
  const producer = createKafkaClient(target).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    const batchSize = options.batchSize ?? 500;
    for (let i = 0; i < messages.length; i += batchSize) {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.slice(i, i + batchSize),
      });
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Consumes `topic` from the beginning with a fresh consumer group until
 * `count` records arrived, then returns them. Throws on timeout (default 60 s)
 * with the number received so far.
 */
export async function consumeRecords(
  target: KafkaTarget,
  topic: string,
  count: number,
  options: { timeoutMs?: number; groupId?: string } = {},
): Promise<ConsumedRecord[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const groupId =
    options.groupId ??
    `kafka-testbed-reader-${process.pid}-${Date.now()}-${++clientCounter}`;
  const consumer = createKafkaClient(target).consumer({
    groupId,
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
  });
  const records: ConsumedRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms consuming ${topic}: got ${records.length} of ${count} records`,
            ),
          ),
        timeoutMs,
      );
      if (count <= 0) resolve();
      consumer
        .run({
          eachMessage: async ({ topic: t, partition, message }) => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(message.headers ?? {})) {
              if (value !== undefined)
                headers[name] = Array.isArray(value)
                  ? value.join(',')
                  : value.toString();
            }
            records.push({
              topic: t,
              partition,
              offset: message.offset,
              key: message.key ? message.key.toString() : null,
              value: message.value ? message.value.toString() : null,
              headers,
            });
            if (records.length >= count) resolve();
          },
        })
        .catch(reject);
    });
    return records;
  } finally {
    if (timer) clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}
