import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import {
  MIRROR_MAKER_KIND,
  ReplicationRequest,
  ReplicationRequestInput,
  ReplicationRequestList,
  ReplicationRequestStatus,
  RequestProblem,
  ValidationProblem,
} from '@mirrormaker/plugin-mirror-maker-common';
import { EntityInput, MirrorMakerApi } from './MirrorMakerApi';
import type {
  AuditList,
  ClusterList,
  CompoundEntityRef,
  DeploymentHistory,
  DeploymentMetrics,
  EntityBundle,
  EntityTopology,
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

/**
 * One path segment. `.` and `..` are refused rather than encoded: URL
 * parsing treats `%2e` as a dot too, so they would climb out of the route.
 */
function segment(what: string, value: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new InputError(
      `${what}: "${value}" cannot name a path segment; expected a non-empty name other than "." and ".."`,
    );
  }
  return encodeURIComponent(value);
}

function query(params: Record<string, string | number | boolean | undefined>) {
  const pairs = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
    );
  return pairs.length ? `?${pairs.join('&')}` : '';
}

function entityPath(ref: CompoundEntityRef): string {
  return `/entities/${segment('kind', ref.kind)}/${segment(
    'namespace',
    ref.namespace,
  )}/${segment('name', ref.name)}`;
}

const isMirrorMaker = (ref: CompoundEntityRef) =>
  ref.kind.toLowerCase() === MIRROR_MAKER_KIND.toLowerCase();

/**
 * The problems the backend listed when it refused an entity (`POST
 * /validate`, the managed-deployment routes), each naming its field;
 * undefined for any other error.
 */
export function validationProblemsOf(
  error: unknown,
): ValidationProblem[] | undefined {
  if (!ResponseError.is(error)) return undefined;
  const problems = (error.body.error as { problems?: unknown }).problems;
  return Array.isArray(problems)
    ? (problems as ValidationProblem[])
    : undefined;
}

/**
 * The field-level problems the backend listed when it refused a replication
 * request (`POST /requests`); undefined for any other error.
 */
export function requestProblemsOf(
  error: unknown,
): RequestProblem[] | undefined {
  if (!ResponseError.is(error)) return undefined;
  const problems = (error.body.error as { problems?: unknown }).problems;
  return Array.isArray(problems) ? (problems as RequestProblem[]) : undefined;
}

/** An optional reason goes into the body only when there is one. */
const reasonBody = (reason: string | undefined) =>
  reason !== undefined && reason !== '' ? { reason } : {};

/** {@link MirrorMakerApi} over HTTP, with the caller's token from `fetchApi`. */
export class MirrorMakerClient implements MirrorMakerApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  private async url(path: string): Promise<string> {
    return `${await this.discoveryApi.getBaseUrl('mirror-maker')}${path}`;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await this.fetchApi.fetch(await this.url(path), init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async json<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await this.request(method, path, body);
    return (await response.json()) as T;
  }

  async getHealth(): Promise<MirrorMakerHealth> {
    const response = await this.fetchApi.fetch(await this.url('/health'));
    // 503 still carries a health document that says what is wrong.
    if (!response.ok && response.status !== 503) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as MirrorMakerHealth;
  }

  listClusters(): Promise<ClusterList> {
    return this.json('GET', '/clusters');
  }

  async listClusterTopics(cluster: string): Promise<TopicList> {
    return this.json('GET', `/clusters/${segment('cluster', cluster)}/topics`);
  }

  getTopology(): Promise<TopologyResult> {
    return this.json('GET', '/topology');
  }

  async getEntityTopology(ref: CompoundEntityRef): Promise<EntityTopology> {
    return this.json('GET', `${entityPath(ref)}/topology`);
  }

  async getBundle(
    ref: CompoundEntityRef,
    options?: { redact?: boolean },
  ): Promise<EntityBundle> {
    return this.json(
      'GET',
      `${entityPath(ref)}/bundle${query({ redact: options?.redact })}`,
    );
  }

  async getBundleArchiveUrl(
    ref: CompoundEntityRef,
    options?: { redact?: boolean },
  ): Promise<string> {
    return this.url(
      `${entityPath(ref)}/bundle.tar.gz${query({ redact: options?.redact })}`,
    );
  }

  async downloadBundleArchive(
    ref: CompoundEntityRef,
    options?: { redact?: boolean },
  ): Promise<Blob> {
    const response = await this.request(
      'GET',
      `${entityPath(ref)}/bundle.tar.gz${query({ redact: options?.redact })}`,
    );
    return response.blob();
  }

  validate(entity: EntityInput): Promise<ValidateResponse> {
    return this.json('POST', '/validate', { entity });
  }

  listManagedDeployments(): Promise<ManagedDeploymentList> {
    return this.json('GET', '/managed-deployments');
  }

  createManagedDeployment(entity: EntityInput): Promise<ManagedDeployment> {
    return this.json('POST', '/managed-deployments', { entity });
  }

  async replaceManagedDeployment(
    ref: Pick<CompoundEntityRef, 'namespace' | 'name'>,
    entity: EntityInput,
  ): Promise<ManagedDeployment> {
    return this.json(
      'PUT',
      `/managed-deployments/${segment('namespace', ref.namespace)}/${segment(
        'name',
        ref.name,
      )}`,
      { entity },
    );
  }

  async deleteManagedDeployment(
    ref: Pick<CompoundEntityRef, 'namespace' | 'name'>,
  ): Promise<void> {
    await this.request(
      'DELETE',
      `/managed-deployments/${segment('namespace', ref.namespace)}/${segment(
        'name',
        ref.name,
      )}`,
    );
  }

  getAudit(options?: {
    entityRef?: string;
    limit?: number;
  }): Promise<AuditList> {
    return this.json(
      'GET',
      `/audit${query({
        entityRef: options?.entityRef,
        limit: options?.limit,
      })}`,
    );
  }

  async listDeployments(ref: CompoundEntityRef): Promise<DeploymentHistory> {
    return this.json('GET', `${entityPath(ref)}/deployments`);
  }

  async deploy(
    ref: CompoundEntityRef,
    options: { reason: string; autoRollback?: boolean },
  ): Promise<Rollout> {
    return this.json('POST', `${entityPath(ref)}/deployments`, {
      reason: options.reason,
      ...(options.autoRollback !== undefined
        ? { autoRollback: options.autoRollback }
        : {}),
    });
  }

  async stop(
    ref: CompoundEntityRef,
    options: { reason: string },
  ): Promise<StopResult> {
    return this.json('POST', `${entityPath(ref)}/stop`, {
      reason: options.reason,
    });
  }

  async getDeployment(id: string): Promise<RolloutDetail> {
    return this.json('GET', `/deployments/${segment('id', id)}`);
  }

  async getDeploymentDiff(id: string, against?: string): Promise<RevisionDiff> {
    return this.json(
      'GET',
      `/deployments/${segment('id', id)}/diff${query({ against })}`,
    );
  }

  async rollback(
    id: string,
    options: { reason: string; revisionId?: string },
  ): Promise<Rollout> {
    return this.json('POST', `/deployments/${segment('id', id)}/rollback`, {
      reason: options.reason,
      ...(options.revisionId !== undefined
        ? { revisionId: options.revisionId }
        : {}),
    });
  }

  async getDeploymentMetrics(
    ref: CompoundEntityRef,
    options?: { window?: string },
  ): Promise<DeploymentMetrics> {
    // The route answers a MirrorMaker's figures or a service's, by kind.
    if (!isMirrorMaker(ref)) {
      throw new InputError(
        `kind: deployment metrics exist for ${MIRROR_MAKER_KIND} entities only, not ${ref.kind}; use getServiceMetrics`,
      );
    }
    return this.json(
      'GET',
      `${entityPath(ref)}/metrics${query({ window: options?.window })}`,
    );
  }

  async getServiceMetrics(ref: CompoundEntityRef): Promise<ServiceMetrics> {
    if (isMirrorMaker(ref)) {
      throw new InputError(
        `kind: service metrics exist for entities with the mirrormaker.io/topics annotation, not ${MIRROR_MAKER_KIND} entities; use getDeploymentMetrics`,
      );
    }
    return this.json('GET', `${entityPath(ref)}/metrics`);
  }

  async getPrometheusText(): Promise<string> {
    const response = await this.request('GET', '/metrics');
    return response.text();
  }

  listRequests(options?: {
    status?: ReplicationRequestStatus[];
    entity?: string;
  }): Promise<ReplicationRequestList> {
    return this.json(
      'GET',
      `/requests${query({
        status: options?.status?.length ? options.status.join(',') : undefined,
        entity: options?.entity,
      })}`,
    );
  }

  async getRequest(id: string): Promise<ReplicationRequest> {
    return this.json('GET', `/requests/${segment('id', id)}`);
  }

  createRequest(input: ReplicationRequestInput): Promise<ReplicationRequest> {
    return this.json('POST', '/requests', input);
  }

  async approveRequest(
    id: string,
    reason?: string,
  ): Promise<ReplicationRequest> {
    return this.json(
      'POST',
      `/requests/${segment('id', id)}/approve`,
      reasonBody(reason),
    );
  }

  async rejectRequest(id: string, reason: string): Promise<ReplicationRequest> {
    return this.json('POST', `/requests/${segment('id', id)}/reject`, {
      reason,
    });
  }

  async cancelRequest(
    id: string,
    reason?: string,
  ): Promise<ReplicationRequest> {
    return this.json(
      'POST',
      `/requests/${segment('id', id)}/cancel`,
      reasonBody(reason),
    );
  }
}
