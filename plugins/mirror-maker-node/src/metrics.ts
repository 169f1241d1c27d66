import { ProcessAddress } from './deploy';

/** One MirrorMaker process of a deployment, and where its exporter listens. */
export interface MetricProcess extends ProcessAddress {
  /** URL of its Prometheus JMX exporter (`http://<host>:<port>/metrics`). */
  metricsUrl?: string;
}

/** What a metric source is asked about: one deployment's processes. */
export interface ProcessMetricsRequest {
  /** Entity ref of the MirrorMaker, e.g. `mirrormaker:default/dc1-to-dc2`. */
  deploymentRef: string;
  /** `metadata.name` of the MirrorMaker (the `deployment` label of its metrics). */
  deploymentName: string;
  /** The MirrorMaker consumer group. */
  groupId: string;
  /** Every process the deployment's placement has, in rollout order. */
  processes: MetricProcess[];
  /**
   * Reads one process's exporter page where it listens, when the deploy
   * target can (an ssh node's exporter binds to the node's loopback).
   * Undefined when the target cannot; the source then fetches `metricsUrl`.
   */
  readExporter?(process: ProcessAddress): Promise<string | undefined>;
}

/**
 * The figures of one MirrorMaker process at one moment. Every figure is
 * optional: a source reports what it has, and `up: false` with `error`
 * when it could not read the process at all.
 */
export interface ProcessMetrics extends ProcessAddress {
  /** Name of the {@link MetricSource} that produced the figures. */
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

/**
 * Where per-process figures come from: the embedded `prometheus` source
 * scrapes each process's JMX exporter; a module may add one that queries a
 * monitoring SaaS (the embedded `newrelic` source queries NerdGraph).
 */
export interface MetricSource {
  /** Unique name; lower-case letters, digits and dashes. */
  readonly name: string;
  /** The figures of every process of the request, in the request's order. */
  processMetrics(request: ProcessMetricsRequest): Promise<ProcessMetrics[]>;
}
