/**
 * The replication figures the backend's metrics routes answer with, shared
 * by the backend that computes them and the frontend that shows them.
 */

/** One partition of a topic the group reads. */
export interface PartitionLag {
  partition: number;
  logEndOffset: number;
  /** null when the group has no commit for the partition. */
  committedOffset: number | null;
  /** Log-end offset minus committed offset; null without a commit. */
  lag: number | null;
}

export interface TopicLag {
  topic: string;
  /** Sum over the partitions the group has committed on. */
  lag: number;
  partitionsWithoutCommit: number;
  /** Sorted by partition. */
  partitions: PartitionLag[];
}

/**
 * How far a consumer group's commits are behind the log end, per partition,
 * the way `kafka-consumer-groups.sh --describe` counts it.
 */
export interface GroupLag {
  cluster: string;
  groupId: string;
  /** ISO 8601. */
  observedAt: string;
  reachable: boolean;
  /** Which cluster could not be read and why; set when `reachable` is false. */
  error?: string;
  totalLag: number;
  partitionCount: number;
  partitionsWithoutCommit: number;
  /** Sorted by topic name; empty when the cluster could not be read. */
  topics: TopicLag[];
}

/** Throughput of a deployment between two consecutive samples, at the later one. */
export interface ThroughputPoint {
  /** ISO 8601 time of the sample. */
  at: string;
  /** Records per second appended to the flow's topics on the source; null for a gap. */
  inPerSec: number | null;
  /** Records per second appended to the same-named topics on the target; null for a gap. */
  outPerSec: number | null;
  /** Total lag at the sample; null when unknown. */
  lag: number | null;
}

/**
 * The figures of one MirrorMaker process at one moment. Every figure is
 * optional: a source reports what it has, and `up: false` with `error`
 * when it could not read the process at all.
 */
export interface ProcessMetrics {
  /** Host name from `spec.placement.nodes`. */
  host: string;
  /** Process number on that node, 1 to `processesPerNode`. */
  index: number;
  /** Name of the metric source that produced the figures. */
  source: string;
  /** Whether the process answered (its exporter, or the SaaS saw it recently). */
  up: boolean;
  /** Why it is down or the figures are missing. */
  error?: string;
  /** `kafka.tools:type=MirrorMaker,name=MirrorMaker-numDroppedMessages`. */
  droppedMessages?: number;
  /** Records consumed per second, summed over the process's streams. */
  recordsConsumedRate?: number;
  /** Records sent per second. */
  recordsSentRate?: number;
  /** Record sends per second that failed. */
  recordErrorRate?: number;
  /** Average produce request latency, milliseconds. */
  requestLatencyAvgMs?: number;
  /** Largest lag of any partition the process consumes, in records. */
  recordsLagMax?: number;
  /** Partitions assigned to the process's consumers. */
  assignedPartitions?: number;
  /** JVM heap in use and its maximum, bytes. */
  heapUsedBytes?: number;
  heapMaxBytes?: number;
  /** Time spent in garbage collection since the JVM started, seconds. */
  gcSecondsTotal?: number;
  /** When the figures were taken (ISO 8601). */
  observedAt: string;
}

/** Whether a deployment carries heartbeats, and what came through last. */
export interface HeartbeatStatus {
  deploymentRef: string;
  /** The heartbeat topic on the source; absent when the source is unknown. */
  topic?: string;
  /** Whether the deployment's topic set includes the heartbeat topic. */
  replicated: boolean;
  /** Why there are no heartbeats, and the fix. */
  reason?: string;
  lastLatencyMs?: number;
  /** ISO 8601. */
  lastReceivedAt?: string;
}

/** One word for how a deployment is doing, and the reasons behind it. */
export interface MetricsStatus {
  state: 'ok' | 'lagging' | 'degraded' | 'down' | 'unknown';
  messages: string[];
}

/** `GET /entities/mirrormaker/:namespace/:name/metrics`. */
export interface DeploymentMetrics {
  entityRef: string;
  window: { from: string; to: string; seconds: number };
  status: MetricsStatus;
  /** Lag now, from the group's committed offsets on the source. */
  lag: GroupLag | { reachable: false; error: string };
  throughput: ThroughputPoint[];
  processes: { source: string; items: ProcessMetrics[]; error?: string };
  heartbeat: HeartbeatStatus & {
    series: { at: string; latencyMs: number }[];
  };
}

/** Where one of a service's topics is copied to, by which deployment, how far behind. */
export interface ServiceTopicReach {
  cluster: string;
  dataCentre: string;
  /** Deployments that write the topic into this cluster. */
  writers: {
    deploymentRef: string;
    lag: number | null;
    partitionsWithoutCommit: number;
    heartbeatLatencyMs?: number;
    error?: string;
  }[];
}

/** `GET /entities/:kind/:namespace/:name/metrics` for an entity with the `mirrormaker.io/topics` annotation. */
export interface ServiceMetrics {
  entityRef: string;
  /**
   * Data centres the service's system requires its topics in (annotation
   * `mirrormaker.io/data-centres` on the system); absent when none is set.
   */
  requiredDataCentres?: string[];
  topics: {
    topic: string;
    suffix?: string;
    home?: { cluster: string; dataCentre: string };
    reaches: ServiceTopicReach[];
    warnings: string[];
  }[];
  observedAt: string;
}
