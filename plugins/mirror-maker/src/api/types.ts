import type {
  SuffixMapRow,
  TopicClass,
  TopicReach,
  Topology,
  TopologyEdge,
  TopologyFinding,
  TopologyNode,
  ValidationProblem,
} from '@mirrormaker/plugin-mirror-maker-common';

// The shapes the mirror-maker backend answers with (see its
// src/schema/openapi.yaml). The backend's own types cannot be imported into a
// frontend package, so they are repeated here; each names its route.

/** Which entity a route is about: its kind, namespace and name. */
export interface CompoundEntityRef {
  kind: string;
  namespace: string;
  name: string;
}

/** A plain JSON object, as a stored entity or audit details come back. */
export type JsonObject = { [key: string]: unknown };

/** `GET /health`, answered with 503 (and the same document) when the database is down. */
export interface MirrorMakerHealth {
  status: 'ok' | 'error';
  database: { ok: boolean; message?: string };
  deployTargets: { name: string; ready: boolean; message?: string }[];
}

/** A configured cluster as `GET /clusters` lists it, without secrets. */
interface ClusterConfigSummary {
  name: string;
  dataCentre: string;
  topicSuffix: string;
  brokers: string[];
  securityProtocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  saslMechanism?: string;
  /** ISO 8601, when the live state was read. */
  checkedAt: string;
}

/** One item of `GET /clusters`: the configuration and whether the brokers answered. */
export type ClusterStatus = ClusterConfigSummary &
  (
    | {
        reachable: true;
        brokerCount: number;
        clusterId: string;
        controllerId?: number;
      }
    | { reachable: false; error: string }
  );

/** `GET /clusters`, sorted by name. */
export interface ClusterList {
  items: ClusterStatus[];
}

/** A MirrorMaker entity left out of the topology, and why (`topologyErrors`, `deploymentProblems`). */
export interface DeploymentProblem {
  ref: string;
  problems: ValidationProblem[];
}

/** One item of `GET /clusters/:name/topics`; the class fields are set when the topic is classified. */
export interface LiveTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Kafka-internal topic (`__consumer_offsets` and the like); never classified. */
  internal: boolean;
  class?: TopicClass;
  home?: string;
  via?: string[];
  writers?: string[];
  copiedBy?: string[];
}

/** `GET /clusters/:name/topics`. */
export interface TopicList {
  cluster: string;
  dataCentre: string;
  topicSuffix: string;
  /** Sorted by name. */
  items: LiveTopic[];
  topologyErrors: DeploymentProblem[];
}

/** Per cluster, whether its topics were read, and why not. */
export type LiveMarks = Record<string, { reachable: boolean; error?: string }>;

/** `GET /topology`. */
export interface TopologyResult extends Topology {
  live: LiveMarks;
  deploymentProblems: DeploymentProblem[];
  /** ISO 8601. */
  generatedAt: string;
}

/** One topic of a service's `mirrormaker.io/topics` annotation, traced through the topology. */
export interface ServiceTopic {
  topic: string;
  /** Why the name is not a valid topic name or has no data-centre suffix. */
  problem?: string;
  suffix?: string;
  /** The cluster owning the suffix; `exists` is unset when its topics are unknown. */
  home?: { cluster: string; dataCentre: string; exists?: boolean };
  reaches: (TopicReach & { exists?: boolean })[];
}

interface EntityTopologyBase {
  entityRef: string;
  edges: TopologyEdge[];
  findings: TopologyFinding[];
  live: LiveMarks;
  /** ISO 8601. */
  generatedAt: string;
}

/** `GET /entities/:kind/:namespace/:name/topology`, by the role of the entity. */
export type EntityTopology =
  | (EntityTopologyBase & { role: 'deployment'; suffixMap: SuffixMapRow[] })
  | (EntityTopologyBase & {
      role: 'cluster';
      node: TopologyNode;
      suffixMap: SuffixMapRow[];
    })
  | (EntityTopologyBase & { role: 'service'; topics: ServiceTopic[] });

/** One file of `GET /entities/:kind/:namespace/:name/bundle`. */
export interface EntityBundleFile {
  /** Path in the bundle; node files start with `nodes/<host>/`. */
  path: string;
  node?: string;
  /** Octal file mode, e.g. `0755`. */
  mode: string;
  description: string;
  content: string;
}

/** `GET /entities/:kind/:namespace/:name/bundle`. */
export interface EntityBundle {
  name: string;
  entityRef: string;
  /** Secrets were replaced by `secretMarker`. */
  redacted: boolean;
  secretMarker: string;
  files: EntityBundleFile[];
}

/** `POST /validate` when the entity is valid; `problems` holds warnings. */
export interface ValidateResponse {
  valid: true;
  problems: ValidationProblem[];
}

/** A deployment the plugin manages itself (`/managed-deployments`). */
export interface ManagedDeployment {
  entityRef: string;
  entity: JsonObject;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/** `GET /managed-deployments`, sorted by ref. */
export interface ManagedDeploymentList {
  items: ManagedDeployment[];
}

/** One entry of `GET /audit`. */
export interface AuditEvent {
  id: number;
  /** ISO 8601. */
  at: string;
  actor: string;
  action: string;
  entityRef?: string;
  outcome: 'succeeded' | 'failed' | 'denied';
  details?: JsonObject;
}

/** `GET /audit`, newest first. */
export interface AuditList {
  items: AuditEvent[];
}

/** A stored revision without its files (`current`, `revisions`, diff `from`/`to`). */
export interface RevisionSummary {
  id: string;
  deploymentRef: string;
  /** 1, 2, 3... per deployment. */
  number: number;
  /** SHA-256 of the files with secrets redacted. */
  contentHash: string;
  createdBy: string;
  createdAt: string;
  reason: string;
}

export type RolloutStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'stopped';

/** One deployment (rollout) of a revision: `POST .../deployments`, `POST /deployments/:id/rollback`. */
export interface Rollout {
  id: string;
  deploymentRef: string;
  revisionId: string;
  revisionNumber: number;
  previousRevisionId?: string;
  kind: 'deploy' | 'rollback';
  status: RolloutStatus;
  reason: string;
  actor: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why it failed or stopped, and what runs now. */
  message?: string;
  totalSteps: number;
  doneSteps: number;
  autoRollback: boolean;
}

/** One step of a rollout, as `GET /deployments/:id` lists them. */
export interface RolloutEvent {
  id: number;
  rolloutId: string;
  at: string;
  step: number;
  total: number;
  host?: string;
  processIndex?: number;
  /** started, topics, stop, write, start, gate-wait, gate-passed, gate-failed, succeeded, failed, stopped, rollback */
  kind: string;
  message: string;
  durationMs?: number;
}

/** `GET /deployments/:id`. */
export interface RolloutDetail extends Rollout {
  events: RolloutEvent[];
}

/** A process as its deploy target sees it. */
export interface ProcessStatus {
  host: string;
  index: number;
  state: 'running' | 'starting' | 'restarting' | 'stopped' | 'failed';
  pid?: number;
  restarts: number;
  /** When the process entered its state (ISO 8601). */
  since: string;
  revisionId?: string;
  metricsUrl?: string;
  message?: string;
}

/** `GET /entities/:kind/:namespace/:name/deployments`. */
export interface DeploymentHistory {
  deploymentRef: string;
  target: string;
  /** The revision that last deployed successfully. */
  current?: RevisionSummary;
  /** The rollout pending or running now. */
  running?: Rollout;
  processes: ProcessStatus[];
  /** Newest first. */
  rollouts: Rollout[];
  revisions: RevisionSummary[];
}

/** `POST /entities/:kind/:namespace/:name/stop`: the processes after stopping. */
export interface StopResult {
  processes: ProcessStatus[];
}

/** One file of `GET /deployments/:id/diff`. */
export interface FileDiff {
  path: string;
  status: 'added' | 'removed' | 'changed' | 'same';
  /** Mode change, e.g. `0644 -> 0755`. */
  mode?: string;
  /** Unified diff of the contents (empty when they are equal). */
  patch: string;
}

/** `GET /deployments/:id/diff`. */
export interface RevisionDiff {
  from: RevisionSummary;
  to: RevisionSummary;
  files: FileDiff[];
}

// The metrics routes' answers are shared with the backend that computes them.
export type {
  DeploymentMetrics,
  GroupLag,
  HeartbeatStatus,
  MetricsStatus,
  PartitionLag,
  ProcessMetrics,
  ServiceMetrics,
  ServiceTopicReach,
  ThroughputPoint,
  TopicLag,
} from '@mirrormaker/plugin-mirror-maker-common';

// The replication request routes' shapes are shared with the backend and the
// scaffolder actions.
export type {
  ReplicationRequest,
  ReplicationRequestEvent,
  ReplicationRequestInput,
  ReplicationRequestList,
  ReplicationRequestStatus,
  RequestProblem,
} from '@mirrormaker/plugin-mirror-maker-common';
