/**
 * Replication requests: a product team asks for its topics to be copied
 * from one data centre to another; the owners of the MirrorMaker deployment
 * that would carry them approve or reject. These are the shapes of the
 * backend's `/requests` routes, shared by the backend, the frontend and the
 * scaffolder actions.
 */

/**
 * Where a request is in its life:
 * - `pending`: submitted and validated, waiting for an owner's decision;
 * - `approved`: approved; its topics are part of the deployment's effective
 *   topic set and a rollout runs, or waits for the deployment's maintenance
 *   window (`scheduledFor`);
 * - `applied`: the rollout carrying its topics succeeded (`revision`);
 * - `failed`: the rollout failed; the topics left the effective set again;
 * - `rejected`: an owner said no (`decision.reason`);
 * - `cancelled`: the requester (or an approver) withdrew it before it applied.
 */
export type ReplicationRequestStatus =
  | 'pending'
  | 'approved'
  | 'applied'
  | 'failed'
  | 'rejected'
  | 'cancelled';

export const REPLICATION_REQUEST_STATUSES: ReplicationRequestStatus[] = [
  'pending',
  'approved',
  'applied',
  'failed',
  'rejected',
  'cancelled',
];

/** What a requester submits (`POST /requests`). */
export interface ReplicationRequestInput {
  /** Group entity ref of the team that needs the topics, e.g. `group:default/team-dc1`. The requester must belong to it. */
  team: string;
  /** Component entity ref of the service whose topics these are (optional; shown on its page). */
  service?: string;
  /** Topic names to replicate. Exactly one of `topics` and `suffix` is given. */
  topics?: string[];
  /** A data-centre suffix: every topic ending in `.<suffix>` (only with `newDeployment`). */
  suffix?: string;
  /** Data centre the topics are written in (a cluster's `dataCentre`, e.g. `dc1`). */
  sourceDataCentre: string;
  /** Data centre they must be readable in. */
  targetDataCentre: string;
  /** Why; shown to the approvers. 1-2000 characters. */
  reason: string;
  /** The date the team needs it by, `YYYY-MM-DD` (optional). */
  desiredDate?: string;
  /** Ask for a new deployment when none carries source -> target yet. */
  newDeployment?: boolean;
}

/** One step in a request's life. */
export interface ReplicationRequestEvent {
  at: string;
  /** `submitted`, `validated`, `approved`, `rejected`, `cancelled`, `scheduled`, `rollout-started`, `applied`, `failed`. */
  type: string;
  /** User entity ref, or `plugin:mirror-maker` for the plugin's own steps. */
  actor: string;
  message: string;
}

/** A field-level problem found when validating a request. */
export interface RequestProblem {
  /** The input field, e.g. `topics[1]`, `sourceDataCentre`. */
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

/** A stored replication request (`GET /requests/{id}`). */
export interface ReplicationRequest {
  id: string;
  status: ReplicationRequestStatus;
  /** User entity ref of who filed it. */
  requester: string;
  team: string;
  service?: string;
  topics: string[];
  suffix?: string;
  sourceDataCentre: string;
  targetDataCentre: string;
  /** Cluster names behind the data centres. */
  sourceCluster: string;
  targetCluster: string;
  /** Entity ref of the MirrorMaker deployment that carries (or will carry) the topics. */
  deploymentRef?: string;
  newDeployment: boolean;
  reason: string;
  desiredDate?: string;
  /** Warnings found at validation (errors refuse the request instead). */
  warnings: RequestProblem[];
  /** Who approved or rejected it, and why. */
  decision?: { by: string; at: string; reason?: string };
  /** When an approved request waits for the deployment's maintenance window. */
  scheduledFor?: string;
  /** The rollout that carries it, once started. */
  rolloutId?: string;
  /** The revision that carries it, once applied. */
  revision?: number;
  /** Why it failed. */
  failure?: string;
  createdAt: string;
  updatedAt: string;
  events: ReplicationRequestEvent[];
}

/** `GET /requests` */
export interface ReplicationRequestList {
  items: ReplicationRequest[];
}

/** Body of `POST /requests/{id}/approve`. */
export interface ApproveRequestBody {
  /** Optional note. */
  reason?: string;
}

/** Body of `POST /requests/{id}/reject` and `/cancel`. */
export interface RejectRequestBody {
  /** Required for reject (1-2000 characters); optional for cancel. */
  reason: string;
}

/** Annotation on a MirrorMaker entity: when approved requests may roll out. */
export const ANNOTATION_MAINTENANCE_WINDOW =
  'mirrormaker.io/maintenance-window';
