import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  effectiveTopics,
  KafkaClusterConfig,
} from '@mirrormaker/plugin-mirror-maker-common';
import { FlowSample, MetricsStore } from '../database/MetricsStore';
import { ClusterRegistry } from '../kafka/ClusterRegistry';
import { clientTimeouts } from '../kafka/clientConfig';
import { withDeadline } from '../kafka/deadline';
import { LoadedDeployment } from '../service/CatalogDeployments';
import { isHeartbeatTopic } from './Heartbeat';
import type { ThroughputPoint } from '@mirrormaker/plugin-mirror-maker-common';

export type { ThroughputPoint };

// Topics whose end offsets are read at once on one cluster: enough to sample
// hundreds of topics within one period, few enough not to crowd the broker.
const OFFSET_READ_CONCURRENCY = 8;

// Beyond the client's own timeouts, as the registry allows itself.
const DEADLINE_SLACK_MS = 1_000;

type Side = 'source' | 'target';

/**
 * The reads of one sampling round, shared by the deployments that read the
 * same cluster or topic: a cluster's topic list once, a topic's end offsets
 * once.
 */
class ClusterReads {
  private readonly topicLists = new Map<string, Promise<string[]>>();
  private readonly offsets = new Map<string, Promise<number>>();

  constructor(private readonly clusters: ClusterRegistry) {}

  async endOffsetSum(
    cluster: KafkaClusterConfig,
    matches: (topic: string) => boolean,
  ): Promise<number> {
    // What MirrorMaker writes keeps its source name, so the include set picks
    // the flow's topics out on the target as well; this also keeps the set
    // stable when the source cannot be read.
    const topics = (await this.topics(cluster.name)).filter(matches);
    let sum = 0;
    for (let i = 0; i < topics.length; i += OFFSET_READ_CONCURRENCY) {
      const chunk = topics.slice(i, i + OFFSET_READ_CONCURRENCY);
      const sums = await Promise.all(
        chunk.map(topic => this.topicEndOffset(cluster, topic)),
      );
      for (const s of sums) sum += s;
    }
    return sum;
  }

  private topics(cluster: string): Promise<string[]> {
    let list = this.topicLists.get(cluster);
    if (!list) {
      list = this.clusters
        .listTopics(cluster)
        .then(topics => topics.filter(t => !t.internal).map(t => t.name));
      this.topicLists.set(cluster, list);
    }
    return list;
  }

  private topicEndOffset(
    cluster: KafkaClusterConfig,
    topic: string,
  ): Promise<number> {
    const key = `${cluster.name}\n${topic}`;
    let offsets = this.offsets.get(key);
    if (!offsets) {
      const { connectionTimeoutMs, requestTimeoutMs } = clientTimeouts(cluster);
      offsets = withDeadline(
        this.clusters
          .admin(cluster.name)
          .then(admin => admin.fetchTopicOffsets(topic)),
        connectionTimeoutMs + requestTimeoutMs + DEADLINE_SLACK_MS,
        `Reading the end offsets of ${topic} on cluster "${cluster.name}"`,
      ).then(partitions =>
        partitions.reduce((sum, p) => sum + Number(p.high), 0),
      );
      this.offsets.set(key, offsets);
    }
    return offsets;
  }
}

/**
 * Samples, per deployment, the summed log-end offsets of the flow's topics
 * on both clusters plus the lag, and keeps them for `retentionMs`. Rates are
 * derived when read, from consecutive samples, so a missed or failed sample
 * widens the interval instead of skewing it.
 *
 * One backend instance runs `sampleOnce` (the scheduler sees to it); reads
 * work on any instance.
 */
export class ThroughputSampler {
  private readonly store: MetricsStore;
  private readonly clusters: ClusterRegistry;
  private readonly deployments: () => Promise<LoadedDeployment[]>;
  private readonly lagOf: (d: LoadedDeployment) => Promise<number | null>;
  private readonly retentionMs: number;
  private readonly logger: LoggerService;
  private readonly now: () => number;
  /** Sides that failed last time, so a lasting outage warns once. */
  private readonly failing = new Set<string>();

  constructor(options: {
    store: MetricsStore;
    clusters: ClusterRegistry;
    deployments: () => Promise<LoadedDeployment[]>;
    lagOf?: (d: LoadedDeployment) => Promise<number | null>;
    retentionMs: number;
    logger: LoggerService;
    now?: () => number;
  }) {
    if (!Number.isFinite(options.retentionMs) || options.retentionMs <= 0) {
      throw new Error(
        `The metrics retention must be a positive number of milliseconds; got ${options.retentionMs}`,
      );
    }
    this.store = options.store;
    this.clusters = options.clusters;
    this.deployments = options.deployments;
    this.lagOf = options.lagOf ?? (async () => null);
    this.retentionMs = options.retentionMs;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /**
   * Stores one sample per deployment with both clusters known, then deletes
   * samples past the retention. A cluster that cannot be read gives nulls
   * for its side; only a failing store makes this throw.
   */
  async sampleOnce(): Promise<void> {
    let deployments: LoadedDeployment[];
    try {
      deployments = await this.deployments();
    } catch (e) {
      this.logger.warn(
        `Throughput sampling skipped: the deployments could not be listed: ${errorText(
          e,
        )}`,
      );
      deployments = [];
    }
    const reads = new ClusterReads(this.clusters);
    const samples = await Promise.all(
      deployments
        .filter(d => d.source && d.target)
        .map(d => this.sampleDeployment(d, reads)),
    );
    await this.store.addFlowSamples(samples);
    const pruned = await this.store.prune(this.now() - this.retentionMs);
    if (pruned.flowSamples > 0) {
      this.logger.debug(
        `Pruned ${pruned.flowSamples} throughput samples and ${pruned.heartbeats} heartbeats past the retention`,
      );
    }
  }

  /** The throughput of a deployment since `sinceMs`, oldest first. */
  async series(
    deploymentRef: string,
    sinceMs: number,
  ): Promise<ThroughputPoint[]> {
    return throughputSeries(
      await this.store.flowSamples(deploymentRef, sinceMs),
    );
  }

  private async sampleDeployment(
    d: LoadedDeployment,
    reads: ClusterReads,
  ): Promise<FlowSample> {
    const sampledAt = this.now();
    let matches: (topic: string) => boolean;
    try {
      const topics = effectiveTopics(d.entity.spec.topics, d.approvedTopics);
      matches = topic => topics.matches(topic) && !isHeartbeatTopic(topic);
    } catch (e) {
      this.logger.warn(
        `Throughput of ${
          d.ref
        } not sampled: its spec.topics cannot be read: ${errorText(e)}`,
      );
      return {
        deploymentRef: d.ref,
        sampledAt,
        sourceEndOffsets: null,
        targetEndOffsets: null,
        lag: null,
      };
    }
    const [sourceEndOffsets, targetEndOffsets, lag] = await Promise.all([
      this.side(d, 'source', () => reads.endOffsetSum(d.source!, matches)),
      this.side(d, 'target', () => reads.endOffsetSum(d.target!, matches)),
      this.side(d, 'lag', () => this.lagOf(d)),
    ]);
    return {
      deploymentRef: d.ref,
      sampledAt,
      sourceEndOffsets,
      targetEndOffsets,
      lag: lag === null ? null : Math.max(0, Math.round(lag)),
    };
  }

  private async side(
    d: LoadedDeployment,
    side: Side | 'lag',
    read: () => Promise<number | null>,
  ): Promise<number | null> {
    const key = `${d.ref}\n${side}`;
    const what =
      side === 'lag' ? 'the lag' : `the ${side} cluster "${d[side]!.name}"`;
    try {
      const value = await read();
      if (this.failing.delete(key)) {
        this.logger.info(`Throughput of ${d.ref}: ${what} can be read again`);
      }
      return value !== null && Number.isFinite(value) ? value : null;
    } catch (e) {
      if (!this.failing.has(key)) {
        this.failing.add(key);
        this.logger.warn(
          `Throughput of ${
            d.ref
          }: ${what} could not be read, leaving a gap until it can: ${errorText(
            e,
          )}`,
        );
      }
      return null;
    }
  }
}

/**
 * Points from consecutive samples: the first sample, a missing side, a
 * non-advancing clock or a shrinking sum (a topic deleted or recreated)
 * give a gap rather than a made-up or negative rate.
 */
export function throughputSeries(samples: FlowSample[]): ThroughputPoint[] {
  return samples.map((current, i) => {
    const previous = i > 0 ? samples[i - 1] : undefined;
    return {
      at: new Date(current.sampledAt).toISOString(),
      inPerSec: rate(previous, current, 'sourceEndOffsets'),
      outPerSec: rate(previous, current, 'targetEndOffsets'),
      lag: current.lag,
    };
  });
}

function rate(
  previous: FlowSample | undefined,
  current: FlowSample,
  field: 'sourceEndOffsets' | 'targetEndOffsets',
): number | null {
  const before = previous?.[field];
  const after = current[field];
  if (before === null || before === undefined || after === null) return null;
  const seconds = (current.sampledAt - previous!.sampledAt) / 1000;
  if (seconds <= 0 || after < before) return null;
  return (after - before) / seconds;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
