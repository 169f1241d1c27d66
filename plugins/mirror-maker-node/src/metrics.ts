import type { ProcessMetrics } from '@mirrormaker/plugin-mirror-maker-common';
import { ProcessAddress } from './deploy';

export type { ProcessMetrics };

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
