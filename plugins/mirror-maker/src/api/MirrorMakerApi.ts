import { createApiRef } from '@backstage/core-plugin-api';
import type {
  MirrorMakerEntity,
  ReplicationRequest,
  ReplicationRequestInput,
  ReplicationRequestList,
  ReplicationRequestStatus,
} from '@mirrormaker/plugin-mirror-maker-common';
import type {
  AuditList,
  ClusterList,
  CompoundEntityRef,
  DeploymentHistory,
  DeploymentMetrics,
  EntityBundle,
  EntityTopology,
  JsonObject,
  ManagedDeployment,
  ManagedDeploymentList,
  MirrorMakerHealth,
  RevisionDiff,
  Rollout,
  RolloutDetail,
  ServiceMetrics,
  StopResult,
  TopicList,
  TopologyResult,
  ValidateResponse,
} from './types';

/** An entity as it would be written in catalog-info.yaml; validation says what is wrong with it. */
export type EntityInput = MirrorMakerEntity | JsonObject;

/**
 * Client of the mirror-maker backend's REST API, one method per route. Every
 * method rejects with a `ResponseError` on a non-OK answer (its `cause`
 * carries the backend's error name and message), except `getHealth`.
 */
export interface MirrorMakerApi {
  /** `GET /health`; a 503 still resolves to the document saying what is down. */
  getHealth(): Promise<MirrorMakerHealth>;

  /** `GET /clusters` */
  listClusters(): Promise<ClusterList>;
  /** `GET /clusters/:name/topics` */
  listClusterTopics(cluster: string): Promise<TopicList>;

  /** `GET /topology` */
  getTopology(): Promise<TopologyResult>;
  /** `GET /entities/:kind/:namespace/:name/topology` */
  getEntityTopology(ref: CompoundEntityRef): Promise<EntityTopology>;

  /** `GET /entities/:kind/:namespace/:name/bundle` */
  getBundle(
    ref: CompoundEntityRef,
    options?: { redact?: boolean },
  ): Promise<EntityBundle>;
  /**
   * The URL of `GET /entities/:kind/:namespace/:name/bundle.tar.gz`. A plain
   * link sends no token, so it only works where the backend lets the caller
   * in without one; `downloadBundleArchive` fetches with the token.
   */
  getBundleArchiveUrl(
    ref: CompoundEntityRef,
    options?: { redact?: boolean },
  ): Promise<string>;
  /** `GET /entities/:kind/:namespace/:name/bundle.tar.gz`, as a Blob. */
  downloadBundleArchive(
    ref: CompoundEntityRef,
    options?: { redact?: boolean },
  ): Promise<Blob>;

  /** `POST /validate`; an invalid entity rejects with a 400 (see `validationProblemsOf`). */
  validate(entity: EntityInput): Promise<ValidateResponse>;

  /** `GET /managed-deployments` */
  listManagedDeployments(): Promise<ManagedDeploymentList>;
  /** `POST /managed-deployments` */
  createManagedDeployment(entity: EntityInput): Promise<ManagedDeployment>;
  /** `PUT /managed-deployments/:namespace/:name` */
  replaceManagedDeployment(
    ref: Pick<CompoundEntityRef, 'namespace' | 'name'>,
    entity: EntityInput,
  ): Promise<ManagedDeployment>;
  /** `DELETE /managed-deployments/:namespace/:name` */
  deleteManagedDeployment(
    ref: Pick<CompoundEntityRef, 'namespace' | 'name'>,
  ): Promise<void>;

  /** `GET /audit` */
  getAudit(options?: {
    entityRef?: string;
    limit?: number;
  }): Promise<AuditList>;

  /** `GET /entities/:kind/:namespace/:name/deployments`: history and processes. */
  listDeployments(ref: CompoundEntityRef): Promise<DeploymentHistory>;
  /** `POST /entities/:kind/:namespace/:name/deployments`: the rollout, queued. */
  deploy(
    ref: CompoundEntityRef,
    options: { reason: string; autoRollback?: boolean },
  ): Promise<Rollout>;
  /** `POST /entities/:kind/:namespace/:name/stop` */
  stop(
    ref: CompoundEntityRef,
    options: { reason: string },
  ): Promise<StopResult>;
  /** `GET /deployments/:id` */
  getDeployment(id: string): Promise<RolloutDetail>;
  /** `GET /deployments/:id/diff`; `against` defaults to the revision that ran before. */
  getDeploymentDiff(id: string, against?: string): Promise<RevisionDiff>;
  /** `POST /deployments/:id/rollback`: the rollback rollout, queued. */
  rollback(
    id: string,
    options: { reason: string; revisionId?: string },
  ): Promise<Rollout>;

  /**
   * `GET /entities/mirrormaker/:namespace/:name/metrics`. `window` is a whole
   * number and a unit (`s`, `m`, `h`, `d`), e.g. `6h`; default `1h`.
   */
  getDeploymentMetrics(
    ref: CompoundEntityRef,
    options?: { window?: string },
  ): Promise<DeploymentMetrics>;
  /** `GET /entities/:kind/:namespace/:name/metrics` of an entity that is not a MirrorMaker. */
  getServiceMetrics(ref: CompoundEntityRef): Promise<ServiceMetrics>;
  /** `GET /metrics`: the Prometheus text exposition. */
  getPrometheusText(): Promise<string>;

  /**
   * `GET /requests`, newest first. `status` keeps requests in any of the
   * given statuses; `entity` keeps those whose deployment, service, team or
   * requester is that entity ref.
   */
  listRequests(options?: {
    status?: ReplicationRequestStatus[];
    entity?: string;
  }): Promise<ReplicationRequestList>;
  /** `GET /requests/:id` */
  getRequest(id: string): Promise<ReplicationRequest>;
  /** `POST /requests`; a refused request rejects with a 400 (see `requestProblemsOf`). */
  createRequest(input: ReplicationRequestInput): Promise<ReplicationRequest>;
  /** `POST /requests/:id/approve`, with an optional note. */
  approveRequest(id: string, reason?: string): Promise<ReplicationRequest>;
  /** `POST /requests/:id/reject`; the reason is required. */
  rejectRequest(id: string, reason: string): Promise<ReplicationRequest>;
  /** `POST /requests/:id/cancel`, with an optional reason. */
  cancelRequest(id: string, reason?: string): Promise<ReplicationRequest>;
}

export const mirrorMakerApiRef = createApiRef<MirrorMakerApi>({
  id: 'plugin.mirror-maker.service',
});
