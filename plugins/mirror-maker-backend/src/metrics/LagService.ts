import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { Admin } from 'kafkajs';
import type { ClusterRegistry } from '../kafka/ClusterRegistry';
import { withDeadline } from '../kafka/deadline';
import type { LoadedDeployment } from '../service/CatalogDeployments';
import {
  effectiveTopics,
  resolveSpec,
} from '@mirrormaker/plugin-mirror-maker-common';
import type {
  GroupLag,
  PartitionLag,
  TopicLag,
} from '@mirrormaker/plugin-mirror-maker-common';

export type { GroupLag, PartitionLag, TopicLag };

export interface LagServiceOptions {
  clusters: Pick<ClusterRegistry, 'admin' | 'listTopics'>;
  logger: LoggerService;
  /** How long an answer is reused; default 2000 ms, 0 for none. */
  cacheMs?: number;
  /** Topics whose end offsets are asked for at once; default 8. */
  concurrency?: number;
  /** Limit for the whole computation, connecting included; default 10000 ms. */
  timeoutMs?: number;
}

const DEFAULT_CACHE_MS = 2_000;
const DEFAULT_CONCURRENCY = 8;
const DEFAULT_TIMEOUT_MS = 10_000;

/** What the brokers said at one moment, before any topic filter. */
interface Snapshot {
  observedAt: string;
  /** Every topic the cluster listed. */
  listed: Set<string>;
  /** Every committed offset of the group, by topic and partition. */
  committed: Map<string, Map<number, number>>;
  /** The topics whose end offsets were asked for. */
  asked: Set<string>;
  /** Their log end offsets, by topic and partition; a deleted one is absent. */
  ends: Map<string, Map<number, number>>;
}

interface CacheEntry {
  /** When the snapshot settled; undefined while it is being taken. */
  settledAt?: number;
  snapshot: Promise<Snapshot>;
}

function parseOffset(offset: string): number | null {
  const value = Number(offset);
  // -1 is how OffsetFetch says "no commit"; anything below is no offset either.
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function byName(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function isUnknownTopic(e: unknown): boolean {
  return (e as { type?: unknown })?.type === 'UNKNOWN_TOPIC_OR_PARTITION';
}

/** Runs `work` over `items` with at most `limit` running at a time. */
async function forEachBounded<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
}

/**
 * Replication lag of a MirrorMaker's consumer group: committed offsets
 * against log end offsets, read from the source cluster in a handful of
 * requests, shared by concurrent callers and reused for a moment so a page
 * of polling views costs the brokers one computation.
 */
export class LagService {
  private readonly clusters: LagServiceOptions['clusters'];
  private readonly logger: LoggerService;
  private readonly cacheMs: number;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly cache = new Map<string, CacheEntry>();

  constructor(options: LagServiceOptions) {
    this.clusters = options.clusters;
    this.logger = options.logger;
    this.cacheMs = Math.max(0, options.cacheMs ?? DEFAULT_CACHE_MS);
    this.concurrency = Math.max(
      1,
      Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY),
    );
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Lag of `groupId` on `cluster` for every topic on the cluster for which
   * `matches(topic)` is true, plus every topic the group has commits for
   * that matches. Never throws for the cluster's sake: an unreachable
   * cluster, or one that does not answer within `timeoutMs`, is an answer
   * with `reachable: false`.
   */
  /**
   * The lag of a checked deployment's group on its source, over the topics
   * its rule replicates; a source that is not configured is an answer too.
   */
  async deploymentLag(
    d: LoadedDeployment,
  ): Promise<GroupLag | { reachable: false; error: string }> {
    if (!d.source) {
      return {
        reachable: false,
        error: `${d.ref}: spec.source does not resolve to a configured cluster`,
      };
    }
    const spec = resolveSpec(d.entity.spec, d.entity.metadata.name);
    return this.groupLag({
      cluster: d.source.name,
      groupId: spec.groupId,
      matches: effectiveTopics(d.entity.spec.topics, d.approvedTopics).matches,
    });
  }

  async groupLag(args: {
    cluster: string;
    groupId: string;
    matches: (topic: string) => boolean;
  }): Promise<GroupLag> {
    const { cluster, groupId, matches } = args;
    if (typeof groupId !== 'string' || groupId === '') {
      throw new InputError(
        `groupId ${JSON.stringify(
          groupId,
        )} is not a consumer group id; use a non-empty string`,
      );
    }
    try {
      const snapshot = await this.snapshot(cluster, groupId, matches);
      return this.lagOf(cluster, groupId, snapshot, matches);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // The registry's messages already name the cluster.
      const error = message.includes(`"${cluster}"`)
        ? message
        : `Cluster "${cluster}": ${message}`;
      this.logger.debug(`Lag of group "${groupId}" not read: ${error}`);
      return {
        cluster,
        groupId,
        observedAt: new Date().toISOString(),
        reachable: false,
        error,
        totalLag: 0,
        partitionCount: 0,
        partitionsWithoutCommit: 0,
        topics: [],
      };
    }
  }

  /**
   * A fresh enough snapshot that has the end offsets of every topic
   * `matches` accepts. The cache is keyed by cluster and group only; a
   * caller whose filter wants a topic the cached snapshot lacks takes a new
   * one rather than getting a partial answer.
   */
  private async snapshot(
    cluster: string,
    groupId: string,
    matches: (topic: string) => boolean,
  ): Promise<Snapshot> {
    const key = JSON.stringify([cluster, groupId]);
    const cached = this.cache.get(key);
    const fresh =
      cached &&
      (cached.settledAt === undefined ||
        Date.now() - cached.settledAt < this.cacheMs);
    if (cached && fresh) {
      const snapshot = await cached.snapshot;
      if (covers(snapshot, matches)) return snapshot;
    }
    this.forgetExpired();
    const entry: CacheEntry = {
      snapshot: this.take(cluster, groupId, matches),
    };
    this.cache.set(key, entry);
    try {
      await entry.snapshot;
      entry.settledAt = Date.now();
      if (this.cacheMs === 0 && this.cache.get(key) === entry) {
        this.cache.delete(key);
      }
    } catch {
      if (this.cache.get(key) === entry) this.cache.delete(key);
    }
    return entry.snapshot;
  }

  /** Keeps the cache to the groups asked about lately. */
  private forgetExpired(): void {
    const now = Date.now();
    for (const [key, entry] of this.cache) {
      if (
        entry.settledAt !== undefined &&
        now - entry.settledAt >= this.cacheMs
      ) {
        this.cache.delete(key);
      }
    }
  }

  private take(
    cluster: string,
    groupId: string,
    matches: (topic: string) => boolean,
  ): Promise<Snapshot> {
    return withDeadline(
      this.read(cluster, groupId, matches),
      this.timeoutMs,
      `Reading the lag of group "${groupId}" on cluster "${cluster}"`,
    );
  }

  private async read(
    cluster: string,
    groupId: string,
    matches: (topic: string) => boolean,
  ): Promise<Snapshot> {
    const [admin, listedTopics] = await Promise.all([
      this.clusters.admin(cluster),
      this.clusters.listTopics(cluster),
    ]);
    // Only after the listing: on a freshly connected kafkajs client the
    // broker list is empty until metadata is loaded, and the coordinator
    // lookup of fetchOffsets fails then rather than loading it (the
    // registry's clients do not retry). Without topics, OffsetFetch returns
    // every commit of the group in one request; naming topics would make
    // kafkajs look up each topic's partitions first, and fail on one
    // deleted meanwhile.
    const offsets = await admin.fetchOffsets({ groupId });
    // Commits before end offsets, as ConsumerGroupCommand reads them: a
    // commit never passes the log end it was made at, so a group committing
    // meanwhile cannot show a commit beyond the end read after it.
    const observedAt = new Date().toISOString();
    const listed = new Set(listedTopics.map(t => t.name));
    const committed = new Map<string, Map<number, number>>();
    for (const { topic, partitions } of offsets) {
      const byPartition = new Map<number, number>();
      for (const { partition, offset } of partitions) {
        const value = parseOffset(offset);
        if (value !== null) byPartition.set(partition, value);
      }
      if (byPartition.size > 0) committed.set(topic, byPartition);
    }
    const asked = new Set(
      [...listed, ...committed.keys()].filter(t => matches(t)),
    );
    const ends = new Map<string, Map<number, number>>();
    await forEachBounded([...asked], this.concurrency, async topic => {
      const partitions = await this.endOffsets(admin, topic, listed);
      if (partitions) ends.set(topic, partitions);
    });
    return { observedAt, listed, committed, asked, ends };
  }

  private async endOffsets(
    admin: Admin,
    topic: string,
    listed: Set<string>,
  ): Promise<Map<number, number> | undefined> {
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(offsets.map(o => [o.partition, Number(o.high)]));
    } catch (e) {
      // Commits can outlive their topic for a moment after it is deleted;
      // such a topic has no log end and no lag.
      if (!listed.has(topic) && isUnknownTopic(e)) return undefined;
      throw e;
    }
  }

  private lagOf(
    cluster: string,
    groupId: string,
    snapshot: Snapshot,
    matches: (topic: string) => boolean,
  ): GroupLag {
    const result: GroupLag = {
      cluster,
      groupId,
      observedAt: snapshot.observedAt,
      reachable: true,
      totalLag: 0,
      partitionCount: 0,
      partitionsWithoutCommit: 0,
      topics: [],
    };
    const names = [...snapshot.ends.keys()].filter(t => matches(t));
    for (const topic of names.sort(byName)) {
      const ends = snapshot.ends.get(topic)!;
      const commits = snapshot.committed.get(topic);
      const topicLag: TopicLag = {
        topic,
        lag: 0,
        partitionsWithoutCommit: 0,
        partitions: [],
      };
      const partitions = [...ends.keys()].sort((a, b) => a - b);
      for (const partition of partitions) {
        const logEndOffset = ends.get(partition)!;
        const committedOffset = commits?.get(partition) ?? null;
        const lag =
          committedOffset === null
            ? null
            : Math.max(0, logEndOffset - committedOffset);
        topicLag.partitions.push({
          partition,
          logEndOffset,
          committedOffset,
          lag,
        });
        if (lag === null) topicLag.partitionsWithoutCommit += 1;
        else topicLag.lag += lag;
      }
      result.topics.push(topicLag);
      result.totalLag += topicLag.lag;
      result.partitionCount += topicLag.partitions.length;
      result.partitionsWithoutCommit += topicLag.partitionsWithoutCommit;
    }
    return result;
  }
}

/** Whether the snapshot asked for every topic `matches` wants. */
function covers(
  snapshot: Snapshot,
  matches: (topic: string) => boolean,
): boolean {
  for (const topics of [snapshot.listed, snapshot.committed.keys()]) {
    for (const topic of topics) {
      if (matches(topic) && !snapshot.asked.has(topic)) return false;
    }
  }
  return true;
}
