import { KafkaClusterConfig } from '../kind/clusters';
import { MirrorMakerTopics } from '../kind/types';

/** One MirrorMaker deployment as the topology sees it. */
export interface TopologyDeployment {
  /** Entity ref, e.g. `mirrormaker:default/dc1-to-dc2`. */
  ref: string;
  title?: string;
  /** Name of the cluster consumed from (key under `mirrorMaker.clusters`). */
  source: string;
  /** Name of the cluster produced into. */
  target: string;
  topics: MirrorMakerTopics;
  /** Topics added by approved replication requests. */
  approvedTopics?: string[];
}

/** What a cluster's live topic listing returned when the cluster could not be read. */
export interface UnreachableTopics {
  unreachable: true;
  error?: string;
}

export interface TopologyInput {
  clusters: KafkaClusterConfig[];
  deployments: TopologyDeployment[];
  /**
   * Live topic names per cluster name. A cluster left out has unknown topics;
   * an `unreachable` entry marks a cluster whose listing failed.
   */
  liveTopics?: Record<string, string[] | UnreachableTopics>;
}

export interface TopologyDataCentre {
  name: string;
  /** Names of the clusters in this data centre, sorted. */
  clusters: string[];
}

/** A Kafka cluster. */
export interface TopologyNode {
  name: string;
  dataCentre: string;
  topicSuffix: string;
  /** Number of live topics (Kafka-internal topics left out); set when they are known. */
  liveTopicCount?: number;
  /** Set when the cluster's live topics could not be read. */
  unreachable?: true;
  /** Why the cluster could not be read. */
  error?: string;
  /** Refs of the deployments that write into this cluster, sorted. */
  inbound: string[];
  /** Refs of the deployments that read from this cluster, sorted. */
  outbound: string[];
}

/** A deployment: a flow of topics from its source cluster into its target cluster. */
export interface TopologyEdge {
  ref: string;
  title?: string;
  source: string;
  target: string;
  /** Data centres of source and target, when those clusters are known. */
  sourceDataCentre?: string;
  targetDataCentre?: string;
  /** Which rule of the spec selects the topics. */
  rule: 'suffix' | 'include' | 'names';
  /** The effective `--include` regular expression. */
  include: string;
  /** Explicitly named topics (spec `names` plus approved requests), sorted. */
  names: string[];
  /**
   * False when the edge takes no part in the flow analysis: an unknown
   * source or target cluster, an invalid pattern, or a self-replication.
   */
  valid: boolean;
  /** Source and target are the same cluster (by name or by a shared broker). */
  selfReplication: boolean;
  /** Suffixes (suffix map rows) whose every topic this deployment copies, sorted. */
  carries: string[];
  /** The source's live topics this deployment copies; set when they are known. */
  replicatedTopics?: string[];
  replicatedTopicCount?: number;
}

/** Aggregate of the deployments between two data centres. */
export interface TopologyDataCentreFlow {
  source: string;
  target: string;
  /** Refs of the deployments, sorted. */
  deployments: string[];
}

/**
 * How a reach was found:
 * - `pattern`: the deployments' patterns copy every topic of the suffix
 *   (checked on a synthetic `__probe__.<suffix>` name);
 * - `named-topic`: only explicitly named topics (spec `names` or approved
 *   requests) of the suffix get there;
 * - `pattern-subset`: a pattern copies some topics of the suffix (say
 *   `orders\..*`), found by following an example name it matches
 *   (`orders.dc1`);
 * - `live-topic`: live topics of the suffix were found there, written by a
 *   deployment, although the patterns do not carry the whole suffix.
 */
export type ReachBasis =
  | 'pattern'
  | 'named-topic'
  | 'pattern-subset'
  | 'live-topic';

/** One cluster a suffix reaches. */
export interface SuffixReach {
  cluster: string;
  dataCentre: string;
  /** Length of the shortest chain of deployments from a home cluster. */
  hops: number;
  /** Refs of that shortest chain, in order, starting at the home cluster. */
  via: string[];
  /** Refs of every deployment that writes topics of the suffix into this cluster, sorted. */
  writers: string[];
  by: ReachBasis;
  /** For `named-topic`: the named topics that get there, sorted. */
  topics?: string[];
  /** For `pattern-subset`: example names (not real topics) that get there, sorted. */
  examples?: string[];
  /** Live topics of the suffix on this cluster that a deployment writes (when known). */
  liveTopicCount?: number;
  /**
   * Live topics of a home cluster that the flow should copy here but that
   * this cluster lacks (when both listings are known), sorted.
   */
  missingTopics?: string[];
}

export interface SuffixHome {
  cluster: string;
  dataCentre: string;
  /** Live topics of the suffix on this home cluster (when known). */
  liveTopicCount?: number;
}

/** One row of the suffix map: where the topics of one suffix are produced and where they go. */
export interface SuffixMapRow {
  suffix: string;
  /** Clusters whose `topicSuffix` is this suffix; empty for a suffix seen only in live topics. */
  homes: SuffixHome[];
  /** Clusters the suffix reaches, by hops then name. */
  reaches: SuffixReach[];
  /** Live topics of this suffix per cluster, any class (only clusters that hold some). */
  liveTopicCounts?: Record<string, number>;
}

export type FindingSeverity = 'error' | 'warning' | 'info';

export type FindingKind =
  | 'unknown-cluster'
  | 'invalid-pattern'
  | 'self-replication'
  | 'replication-loop'
  | 'target-own-suffix'
  | 'duplicate-writers'
  | 'unreplicated-suffix'
  | 'shared-suffix'
  | 'unknown-suffix-topic'
  | 'orphan-topic'
  | 'missing-replica'
  | 'idle-deployment'
  | 'unreachable-cluster'
  | 'unknown-live-cluster'
  | 'duplicate-ref';

export interface TopologyFinding {
  /** Stable across runs for the same input. */
  id: string;
  severity: FindingSeverity;
  kind: FindingKind;
  /** What is wrong, where, and what would fix it. */
  message: string;
  /** Refs of the deployments involved, sorted. */
  deployments: string[];
  /** Names of the clusters involved, sorted. */
  clusters: string[];
  /** Topics involved, sorted (live or named topics; never synthetic probe names). */
  topics?: string[];
}

/**
 * Class of a live topic on one cluster. With H the clusters owning the
 * topic's suffix and W the deployments that write it into this cluster
 * (a deployment writes it when its effective topics match the name and the
 * topic is on its source; a source whose topics are unknown is assumed to
 * hold it):
 * - `conflicting`: two or more deployments write it (W >= 2), or it is
 *   produced here (this cluster is in H) and a deployment writes it in too;
 * - `unknown-suffix`: no cluster owns its suffix, or it has none;
 * - `replica`: exactly one deployment writes it, and this cluster is not in H;
 * - `local-origin`: this cluster is in H, nothing writes it in, and at least
 *   one deployment copies it out;
 * - `unreplicated`: nothing writes it in and either its suffix belongs to
 *   another cluster (a stale copy or a producer in the wrong data centre), or
 *   it is local and no deployment copies it anywhere.
 * The first that applies wins, in this order.
 */
export type TopicClass =
  | 'local-origin'
  | 'replica'
  | 'unreplicated'
  | 'conflicting'
  | 'unknown-suffix';

export interface TopicClassification {
  topic: string;
  class: TopicClass;
  /** Cluster that owns the topic's suffix (for a replica: where its chain starts). */
  home?: string;
  /** For a replica or a conflict: a chain of deployment refs from the home cluster to here. */
  via?: string[];
  /** Refs of the deployments that write the topic into this cluster, sorted. */
  writers?: string[];
  /** Refs of the deployments that copy the topic out of this cluster, sorted. */
  copiedBy?: string[];
}

export interface Topology {
  dataCentres: TopologyDataCentre[];
  /** Clusters, sorted by name. */
  nodes: TopologyNode[];
  /** One per deployment, sorted by ref. */
  edges: TopologyEdge[];
  /** Deployments grouped by source and target data centre. */
  dataCentreFlows: TopologyDataCentreFlow[];
  /** One row per suffix, sorted by suffix. */
  suffixMap: SuffixMapRow[];
  /** Sorted by severity (errors first), kind, then id. */
  findings: TopologyFinding[];
  /** Live topics per reachable cluster with known topics, sorted by name. */
  topics: Record<string, TopicClassification[]>;
  summary: { errors: number; warnings: number; infos: number };
}
