import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import {
  ANNOTATION_MAINTENANCE_WINDOW,
  checkRequestInput,
  formatRequestProblems,
  isInMaintenanceWindow,
  MAX_REQUEST_REASON_LENGTH,
  MIRROR_MAKER_API_VERSION,
  MIRROR_MAKER_KIND,
  mirrorMakerDeploymentCreatePermission,
  mirrorMakerRequestApprovePermission,
  mirrorMakerRequestCreatePermission,
  mirrorMakerRequestSelfApprovePermission,
  nextMaintenanceWindowStart,
  normalizeEntityRef,
  parseMaintenanceWindow,
  REPLICATION_REQUEST_STATUSES,
  ReplicationRequest,
  ReplicationRequestStatus,
  RequestProblem,
} from '@mirrormaker/plugin-mirror-maker-common';
import type { Request } from 'express';
import { MirrorMakerStore } from '../database';
import { RequestStore } from '../database/RequestStore';
import { RolloutStore } from '../database/RolloutStore';
import { RolloutEngine } from '../deploy/RolloutEngine';
import { ClusterRegistry } from '../kafka';
import { EntityAuthorizer } from '../service/authorize';
import {
  CatalogDeployments,
  clusterOfResource,
} from '../service/CatalogDeployments';
import { LiveTopics, topicNames } from '../service/LiveTopics';
import { RequestNotifier } from './notifier';
import { validateRequest } from './validation';

/** The plugin's own steps in a request's life. */
export const PLUGIN_ACTOR = 'plugin:mirror-maker';

/** `mirrorMaker.requests.newDeployment`: how a requested new deployment looks. */
export interface NewDeploymentSettings {
  owner?: string;
  nodes?: string[];
  processesPerNode?: number;
  deployTarget?: string;
  namespace?: string;
}

export interface RequestServiceOptions {
  store: RequestStore;
  /** The audit log and the managed deployments. */
  mirrorMakerStore: MirrorMakerStore;
  catalog: CatalogService;
  deployments: CatalogDeployments;
  clusters: ClusterRegistry;
  liveTopics: LiveTopics;
  rollouts: RolloutEngine;
  rolloutStore: RolloutStore;
  authorizer: EntityAuthorizer;
  userInfo: UserInfoService;
  auth: AuthService;
  auditor: AuditorService;
  notifier: RequestNotifier;
  logger: LoggerService;
  newDeployment?: NewDeploymentSettings;
  now?: () => Date;
  /** An approved request without a rollout is retried after this long. Default 20 s. */
  retryAfterMs?: number;
}

const OPEN: ReplicationRequestStatus[] = ['pending', 'approved'];
const FINISHED_ROLLOUT = ['succeeded', 'failed', 'stopped'];

/** An InputError whose body lists every problem with the field it concerns. */
function invalidRequest(what: string, problems: RequestProblem[]) {
  const error = new InputError(`${what}: ${formatRequestProblems(problems)}`);
  Object.assign(error, { problems });
  return error;
}

function userOf(credentials: BackstageCredentials): string | undefined {
  const p = credentials.principal as { type: string; userEntityRef?: string };
  return p.type === 'user' && p.userEntityRef
    ? p.userEntityRef.toLowerCase()
    : undefined;
}

function optionalReason(
  body: unknown,
  required: boolean,
  what: string,
): string | undefined {
  const value = (body as { reason?: unknown } | undefined)?.reason;
  const problem = (message: string) =>
    invalidRequest(`The ${what} is invalid`, [
      { field: 'reason', message, severity: 'error' },
    ]);
  if (value === undefined || value === null || value === '') {
    if (required) {
      throw problem(
        `is required: say why (1 to ${MAX_REQUEST_REASON_LENGTH} characters); the requester sees it`,
      );
    }
    return undefined;
  }
  if (typeof value !== 'string') throw problem('must be text');
  if (value.includes('\u0000')) throw problem('contains a NUL character');
  const trimmed = value.trim();
  if (trimmed === '' && required) {
    throw problem(
      `is empty: say why (1 to ${MAX_REQUEST_REASON_LENGTH} characters)`,
    );
  }
  if (trimmed.length > MAX_REQUEST_REASON_LENGTH) {
    throw problem(
      `is ${trimmed.length} characters long; at most ${MAX_REQUEST_REASON_LENGTH} are accepted`,
    );
  }
  return trimmed || undefined;
}

/**
 * Replication requests: filing (with validation), listing, the decisions
 * (approve, reject, cancel) with their permissions, and what follows an
 * approval: the topics join the deployment's effective set and a rollout
 * carries them, now or in the deployment's maintenance window.
 */
export class RequestService {
  private readonly now: () => Date;

  constructor(private readonly options: RequestServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  // --- reading -------------------------------------------------------------

  async list(query: {
    status?: string | string[];
    entity?: string;
  }): Promise<ReplicationRequest[]> {
    const statuses = (
      Array.isArray(query.status) ? query.status : [query.status ?? '']
    )
      .flatMap(s => s.split(','))
      .map(s => s.trim())
      .filter(Boolean);
    const unknown = statuses.filter(
      s => !(REPLICATION_REQUEST_STATUSES as string[]).includes(s),
    );
    if (unknown.length > 0) {
      throw new InputError(
        `status: ${JSON.stringify(
          unknown[0].slice(0, 40),
        )} is not a request status; use one or more of ${REPLICATION_REQUEST_STATUSES.join(
          ', ',
        )} (repeated or comma-separated)`,
      );
    }
    let entity: string | undefined;
    if (query.entity !== undefined && query.entity !== '') {
      if (query.entity.length > 255) {
        throw new InputError(
          'entity: an entity ref has at most 255 characters',
        );
      }
      entity = normalizeEntityRef(query.entity, 'component');
    }
    return this.options.store.list({
      statuses: statuses as ReplicationRequestStatus[],
      entity,
    });
  }

  async get(id: string): Promise<ReplicationRequest> {
    const request = await this.options.store.get(id);
    if (!request) throw new NotFoundError(`No replication request ${id}`);
    return request;
  }

  // --- filing --------------------------------------------------------------

  async create(
    body: unknown,
    credentials: BackstageCredentials,
    req?: Request,
  ): Promise<ReplicationRequest> {
    const raw = (body ?? {}) as Record<string, unknown>;
    return this.audited(
      req,
      credentials,
      'request.create',
      {
        deploymentRef: undefined,
        topics: Array.isArray(raw.topics)
          ? raw.topics.filter(t => typeof t === 'string').slice(0, 100)
          : [],
      },
      async meta => {
        const requester = userOf(credentials);
        if (!requester) {
          throw new NotAllowedError(
            'Replication requests are filed by users, on their own behalf; call with a user token (a scaffolder action uses the initiator credentials)',
          );
        }
        if (
          !(await this.options.authorizer.isAllowed(
            credentials,
            mirrorMakerRequestCreatePermission,
          ))
        ) {
          throw new NotAllowedError(
            `You may not file replication requests (permission ${mirrorMakerRequestCreatePermission.name})`,
          );
        }
        const today = this.now().toISOString().slice(0, 10);
        const checked = checkRequestInput(body, today);
        if (!checked.input) {
          throw invalidRequest('The request is invalid', checked.problems);
        }
        const input = checked.input;
        const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
          credentials,
        );
        const claims = new Set(ownershipEntityRefs.map(r => r.toLowerCase()));
        if (!claims.has(input.team)) {
          throw new NotAllowedError(
            `team: you (${requester}) are not a member of ${input.team}; file requests for a team you belong to`,
          );
        }

        const service = await this.options.auth.getOwnServiceCredentials();
        const snapshot = await this.options.deployments.snapshot(service);
        const validation = await validateRequest(input, {
          clusters: this.options.clusters.list(),
          deployments: snapshot.deployments,
          // Read now, not from the views' few-second cache: a team that
          // has just created its topic must not be told it does not exist.
          liveTopics: async cluster =>
            topicNames(
              await this.options.liveTopics.listing(cluster, { fresh: true }),
            ),
          serviceExists: async ref =>
            Boolean(
              await this.options.catalog.getEntityByRef(ref, { credentials }),
            ),
          openRequests: () => this.options.store.list({ statuses: OPEN }),
        });
        const problems = [...checked.problems, ...validation.problems];
        if (validation.deployment) {
          const window =
            validation.deployment.entity.metadata.annotations?.[
              ANNOTATION_MAINTENANCE_WINDOW
            ];
          if (window !== undefined) {
            const parsed = parseMaintenanceWindow(window);
            if ('error' in parsed) {
              problems.push({
                field: 'targetDataCentre',
                message: `${validation.deployment.ref} has an unreadable ${ANNOTATION_MAINTENANCE_WINDOW} annotation (${parsed.error}); an approved request rolls out at once`,
                severity: 'warning',
              });
            }
          }
        }
        if (problems.some(p => p.severity === 'error')) {
          throw invalidRequest('The request is invalid', problems);
        }
        const deploymentRef = validation.deployment?.ref;
        meta.deploymentRef = deploymentRef;
        const topics = input.topics ?? [];
        const created = await this.options.store.create(
          {
            requester,
            team: input.team,
            service: input.service,
            topics,
            suffix: input.suffix,
            sourceDataCentre: input.sourceDataCentre,
            targetDataCentre: input.targetDataCentre,
            sourceCluster: validation.source!.name,
            targetCluster: validation.target!.name,
            deploymentRef,
            newDeployment: input.newDeployment,
            reason: input.reason,
            desiredDate: input.desiredDate,
            warnings: problems.filter(p => p.severity === 'warning'),
          },
          [
            {
              type: 'submitted',
              actor: requester,
              message: `${describe(topics, input.suffix)} from ${
                input.sourceDataCentre
              } to ${input.targetDataCentre} for ${input.team}`,
            },
            {
              type: 'validated',
              actor: PLUGIN_ACTOR,
              message: `${
                deploymentRef
                  ? `carried by ${deploymentRef}`
                  : 'needs a new deployment'
              }${
                problems.length > 0
                  ? `; ${problems.length} warning(s): ${problems
                      .map(p => `${p.field}: ${p.message}`)
                      .join('; ')}`
                  : ''
              }`,
            },
          ],
        );
        meta.requestId = created.id;
        const owners = validation.deployment
          ? ownersOf(validation.deployment.entity as unknown as Entity)
          : this.newDeploymentOwner();
        await this.options.notifier.notify({
          recipients: owners,
          title: `Replication request from ${created.requester}`,
          description: `${describe(created.topics, created.suffix)} ${
            created.sourceDataCentre
          } -> ${created.targetDataCentre} for ${created.team}${
            deploymentRef ? ` on ${deploymentRef}` : ' (new deployment)'
          }: ${created.reason}`,
          link: linkOf(created),
          scope: `mirror-maker-request:${created.id}`,
        });
        return created;
      },
    );
  }

  // --- decisions -----------------------------------------------------------

  async approve(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
    req?: Request,
  ): Promise<ReplicationRequest> {
    const request = await this.get(id);
    return this.audited(
      req,
      credentials,
      'request.approve',
      metaOf(request),
      async meta => {
        const actor = await this.mayDecide(request, credentials, 'approve');
        const reason = optionalReason(body, false, 'approval');
        meta.reason = reason;
        assertStatus(request, ['pending'], 'approved');
        let deploymentRef = request.deploymentRef;
        if (request.newDeployment && !deploymentRef) {
          deploymentRef = await this.createDeployment(request, actor);
          meta.deploymentRef = deploymentRef;
        }
        const approved = await this.options.store.transition(
          id,
          ['pending'],
          'approved',
          {
            decision: { by: actor, at: this.now().toISOString(), reason },
            deploymentRef,
          },
          {
            type: 'approved',
            actor,
            message: `approved${reason ? `: ${reason}` : ''}`,
          },
        );
        await this.notifyRequester(
          approved,
          `Replication request approved by ${actor}`,
          reason ?? 'It rolls out now or in the maintenance window.',
        );
        return (await this.startOrSchedule(approved)) ?? approved;
      },
    );
  }

  async reject(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
    req?: Request,
  ): Promise<ReplicationRequest> {
    const request = await this.get(id);
    return this.audited(
      req,
      credentials,
      'request.reject',
      metaOf(request),
      async meta => {
        const actor = await this.mayDecide(request, credentials, 'reject');
        const reason = optionalReason(body, true, 'rejection')!;
        meta.reason = reason;
        assertStatus(request, ['pending'], 'rejected');
        const rejected = await this.options.store.transition(
          id,
          ['pending'],
          'rejected',
          { decision: { by: actor, at: this.now().toISOString(), reason } },
          { type: 'rejected', actor, message: `rejected: ${reason}` },
        );
        await this.notifyRequester(
          rejected,
          `Replication request rejected by ${actor}`,
          reason,
          'high',
        );
        return rejected;
      },
    );
  }

  async cancel(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
    req?: Request,
  ): Promise<ReplicationRequest> {
    const request = await this.get(id);
    return this.audited(
      req,
      credentials,
      'request.cancel',
      metaOf(request),
      async meta => {
        const actor = userOf(credentials);
        if (actor !== request.requester) {
          await this.mayDecide(request, credentials, 'cancel');
        }
        const reason = optionalReason(body, false, 'cancellation');
        meta.reason = reason;
        if (request.status === 'approved' && request.rolloutId) {
          throw new ConflictError(
            `Request ${id} is approved and rollout ${request.rolloutId} carries it already; it can no longer be cancelled (only pending requests, or approved ones still waiting for their rollout)`,
          );
        }
        assertStatus(request, OPEN, 'cancelled');
        const cancelled = await this.options.store.transition(
          id,
          OPEN,
          'cancelled',
          { scheduledFor: null },
          {
            type: 'cancelled',
            actor: actor ?? PLUGIN_ACTOR,
            message: `cancelled${reason ? `: ${reason}` : ''}`,
          },
        );
        if (actor !== request.requester) {
          await this.notifyRequester(
            cancelled,
            `Replication request cancelled by ${actor}`,
            reason ?? '',
          );
        }
        return cancelled;
      },
    );
  }

  /**
   * Whether the caller may approve or reject the request: the approve
   * permission on the deployment (for a new one, the permission to create
   * deployments), and, for one's own request, the self-approve permission
   * too. Answers the caller's user ref.
   */
  private async mayDecide(
    request: ReplicationRequest,
    credentials: BackstageCredentials,
    what: 'approve' | 'reject' | 'cancel',
  ): Promise<string> {
    const actor = userOf(credentials);
    if (!actor) {
      throw new NotAllowedError(
        `Replication requests are decided by users; call with a user token`,
      );
    }
    const { authorizer } = this.options;
    let entity: Entity;
    if (request.deploymentRef) {
      entity = await this.deploymentEntity(request.deploymentRef, credentials);
      if (
        !(await authorizer.isAllowedOn(
          credentials,
          mirrorMakerRequestApprovePermission,
          entity,
        ))
      ) {
        throw new NotAllowedError(
          `You may not ${what} request ${request.id}: it changes ${request.deploymentRef}, and deciding needs permission ${mirrorMakerRequestApprovePermission.name} on it (by default its owners have it)`,
        );
      }
    } else {
      entity = this.proposedEntity(request, 'proposed');
      if (
        !(await authorizer.isAllowed(
          credentials,
          mirrorMakerDeploymentCreatePermission,
        ))
      ) {
        throw new NotAllowedError(
          `You may not ${what} request ${request.id}: it asks for a new deployment ${request.sourceDataCentre} -> ${request.targetDataCentre}, and deciding needs permission ${mirrorMakerDeploymentCreatePermission.name}`,
        );
      }
    }
    if (
      actor === request.requester &&
      what !== 'cancel' &&
      !(await authorizer.isAllowedOn(
        credentials,
        mirrorMakerRequestSelfApprovePermission,
        entity,
      ))
    ) {
      throw new NotAllowedError(
        `You filed request ${request.id}, so another approver must ${what} it (four eyes; permission ${mirrorMakerRequestSelfApprovePermission.name}). Cancel it instead if it is no longer needed`,
      );
    }
    return actor;
  }

  /** The deployment entity as the caller sees it in the catalog, or the plugin-managed one. */
  private async deploymentEntity(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.options.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (entity) return entity;
    const [, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    const managed = await this.options.mirrorMakerStore.getManagedDeployment(
      namespace,
      name,
    );
    if (managed) return managed.entity as unknown as Entity;
    throw new ConflictError(
      `The deployment ${ref} of this request is no longer in the catalog (or you may not see it)`,
    );
  }

  // --- new deployments -----------------------------------------------------

  private newDeploymentOwner(): string[] {
    const owner = this.options.newDeployment?.owner;
    return owner ? [normalizeEntityRef(owner, 'group')] : [];
  }

  private proposedEntity(request: ReplicationRequest, name: string): Entity {
    const settings = this.options.newDeployment ?? {};
    const namespace = settings.namespace ?? 'default';
    return {
      apiVersion: MIRROR_MAKER_API_VERSION,
      kind: MIRROR_MAKER_KIND,
      metadata: {
        name,
        namespace,
        title: `${request.sourceDataCentre} to ${request.targetDataCentre}`,
        description: `Requested in replication request ${request.id} by ${request.requester} for ${request.team}`,
      },
      spec: {
        owner: settings.owner ?? '',
        source: '',
        target: '',
        topics: request.suffix
          ? { suffix: request.suffix }
          : { names: [...request.topics] },
        placement: {
          nodes: settings.nodes ?? [],
          ...(settings.processesPerNode
            ? { processesPerNode: settings.processesPerNode }
            : {}),
        },
        ...(settings.deployTarget
          ? { deploy: { target: settings.deployTarget } }
          : {}),
      },
    };
  }

  /** Creates the plugin-managed deployment a new-deployment request asked for. */
  private async createDeployment(
    request: ReplicationRequest,
    actor: string,
  ): Promise<string> {
    const settings = this.options.newDeployment ?? {};
    const missing = [
      settings.owner ? undefined : 'mirrorMaker.requests.newDeployment.owner',
      settings.nodes && settings.nodes.length > 0
        ? undefined
        : 'mirrorMaker.requests.newDeployment.nodes',
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new ConflictError(
        `Request ${
          request.id
        } asks for a new deployment, but this backend does not say how new deployments look: configure ${missing.join(
          ' and ',
        )}`,
      );
    }
    const service = await this.options.auth.getOwnServiceCredentials();
    const { clusterResources } = await this.options.deployments.snapshot(
      service,
    );
    const resourceOf = (cluster: string) => {
      const resource = clusterResources.find(
        r => clusterOfResource(r) === cluster,
      );
      if (!resource) {
        throw new ConflictError(
          `No kafka-cluster Resource in the catalog points at cluster ${cluster} (annotation mirrormaker.io/cluster); add one before approving request ${request.id}`,
        );
      }
      return stringifyEntityRef(resource).toLowerCase();
    };
    const base = `${request.sourceDataCentre}-to-${request.targetDataCentre}`
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-');
    const namespace = settings.namespace ?? 'default';
    for (let n = 1; n <= 20; n++) {
      const name = n === 1 ? base : `${base}-${n}`;
      const ref = `mirrormaker:${namespace}/${name}`;
      const taken =
        (await this.options.catalog.getEntityByRef(ref, {
          credentials: service,
        })) ??
        (await this.options.mirrorMakerStore.getManagedDeployment(
          namespace,
          name,
        ));
      if (taken) continue;
      const entity = this.proposedEntity(request, name);
      entity.spec = {
        ...entity.spec,
        owner: normalizeEntityRef(settings.owner!, 'group'),
        source: resourceOf(request.sourceCluster),
        target: resourceOf(request.targetCluster),
      };
      const checked = await this.options.deployments.check(entity, service);
      const errors = checked.problems.filter(p => p.severity === 'error');
      if (errors.length > 0) {
        throw new ConflictError(
          `The new deployment ${ref} would be invalid: ${errors
            .map(p => `${p.path}: ${p.message}`)
            .join('; ')}; fix mirrorMaker.requests.newDeployment`,
        );
      }
      try {
        await this.options.mirrorMakerStore.createManagedDeployment({
          namespace,
          name,
          entity: entity as unknown as JsonObject,
          actor,
        });
      } catch (error) {
        // Taken meanwhile: try the next name.
        if ((error as Error).name === 'ConflictError') continue;
        throw error;
      }
      await this.options.mirrorMakerStore.appendAudit({
        actor,
        action: 'managed-deployment.create',
        entityRef: ref,
        outcome: 'succeeded',
        details: { requestId: request.id },
      });
      return ref;
    }
    throw new ConflictError(
      `No free name for a new deployment ${base} (tried ${base} to ${base}-20)`,
    );
  }

  // --- after approval ------------------------------------------------------

  /**
   * Starts the rollout that carries an approved request, or sets it to wait
   * for the deployment's maintenance window. Answers the updated request;
   * never throws for a rollout that cannot start (that is recorded on the
   * request instead).
   */
  async startOrSchedule(
    request: ReplicationRequest,
  ): Promise<ReplicationRequest | undefined> {
    const { store, logger } = this.options;
    const ref = request.deploymentRef;
    if (!ref) return undefined;
    const actor = request.decision?.by ?? PLUGIN_ACTOR;
    try {
      const service = await this.options.auth.getOwnServiceCredentials();
      const entity = await this.deploymentEntity(ref, service);
      const now = this.now();
      const windowText =
        entity.metadata.annotations?.[ANNOTATION_MAINTENANCE_WINDOW];
      const parsed =
        windowText !== undefined
          ? parseMaintenanceWindow(windowText)
          : undefined;
      if (
        parsed &&
        'window' in parsed &&
        !isInMaintenanceWindow(parsed.window, now)
      ) {
        const next = nextMaintenanceWindowStart(
          parsed.window,
          now,
        ).toISOString();
        if (request.scheduledFor === next) return request;
        return await store.update(
          request.id,
          ['approved'],
          { scheduledFor: next },
          {
            type: 'scheduled',
            actor: PLUGIN_ACTOR,
            message: `waits for the maintenance window of ${ref} (${windowText}, UTC); rolls out at ${next}`,
          },
        );
      }
      const checked = await this.options.deployments.check(entity, service);
      const rollout = await this.options.rollouts.deploy({
        checked,
        actor,
        reason: `request ${request.id}: replicate ${describe(
          request.topics,
          request.suffix,
        )} for ${request.team}`,
      });
      // The rollout carries every approved request of the deployment that waits.
      const carried = (
        await store.list({ statuses: ['approved'], deploymentRef: ref })
      ).filter(
        r =>
          !r.rolloutId &&
          (r.id === request.id ||
            !r.scheduledFor ||
            r.scheduledFor <= now.toISOString()),
      );
      let updated: ReplicationRequest | undefined;
      for (const r of carried) {
        const u = await store.update(
          r.id,
          ['approved'],
          { rolloutId: rollout.id, scheduledFor: null },
          {
            type: 'rollout-started',
            actor: PLUGIN_ACTOR,
            message: `rollout ${rollout.id} of ${ref} (revision ${rollout.revisionNumber}) carries it`,
          },
        );
        if (r.id === request.id) updated = u;
      }
      this.follow(rollout.id);
      return updated;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (
        error instanceof Error &&
        error.name === 'ConflictError' &&
        /already running|same moment/.test(message)
      ) {
        // Another rollout holds the deployment; the scheduler task retries.
        const last = request.events[request.events.length - 1];
        if (last?.type === 'queued') return request;
        return store.update(
          request.id,
          ['approved'],
          {},
          {
            type: 'queued',
            actor: PLUGIN_ACTOR,
            message: `waits for the running rollout to finish: ${message}`,
          },
        );
      }
      logger.error(
        `Request ${request.id}: rollout of ${ref} could not start: ${message}`,
      );
      return this.fail(request.id, `the rollout could not start: ${message}`);
    }
  }

  private async fail(id: string, failure: string) {
    try {
      const failed = await this.options.store.transition(
        id,
        ['approved'],
        'failed',
        { failure },
        { type: 'failed', actor: PLUGIN_ACTOR, message: failure },
      );
      await this.notifyRequester(
        failed,
        'Replication request failed',
        failure,
        'high',
      );
      return failed;
    } catch (error) {
      // Cancelled or settled meanwhile.
      this.options.logger.warn(`Request ${id} not marked failed: ${error}`);
      return undefined;
    }
  }

  /** Settles the requests of a rollout once it ends, without holding anything up. */
  private follow(rolloutId: string): void {
    void this.options.rollouts
      .settled(rolloutId)
      .then(() => this.settle(rolloutId))
      .catch(error =>
        this.options.logger.warn(
          `Requests of rollout ${rolloutId} not settled yet (the scheduler task retries): ${error}`,
        ),
      );
  }

  /** Marks the approved requests a finished rollout carried as applied or failed. */
  async settle(rolloutId: string): Promise<void> {
    const { store, rolloutStore } = this.options;
    const rollout = await rolloutStore.getRollout(rolloutId);
    if (!rollout || !FINISHED_ROLLOUT.includes(rollout.status)) return;
    const carried = (
      await store.list({
        statuses: ['approved'],
        deploymentRef: rollout.deploymentRef,
      })
    ).filter(r => r.rolloutId === rolloutId);
    for (const r of carried) {
      if (rollout.status === 'succeeded') {
        try {
          const applied = await store.transition(
            r.id,
            ['approved'],
            'applied',
            { revision: rollout.revisionNumber },
            {
              type: 'applied',
              actor: PLUGIN_ACTOR,
              message: `revision ${rollout.revisionNumber} of ${rollout.deploymentRef} replicates it`,
            },
          );
          await this.notifyRequester(
            applied,
            'Replication request applied',
            `${describe(applied.topics, applied.suffix)} now replicated ${
              applied.sourceDataCentre
            } -> ${applied.targetDataCentre} by ${
              rollout.deploymentRef
            } (revision ${rollout.revisionNumber})`,
          );
        } catch (error) {
          this.options.logger.warn(
            `Request ${r.id} not marked applied: ${error}`,
          );
        }
      } else {
        await this.fail(
          r.id,
          `rollout ${rolloutId} ${rollout.status}: ${
            rollout.message ?? 'no reason recorded'
          }`,
        );
      }
    }
    // Requests that waited for this rollout go next.
    const queued = (
      await store.list({
        statuses: ['approved'],
        deploymentRef: rollout.deploymentRef,
      })
    ).find(r => !r.rolloutId && !this.waitsForWindow(r));
    if (queued) await this.startOrSchedule(queued);
  }

  private waitsForWindow(r: ReplicationRequest): boolean {
    return Boolean(r.scheduledFor && r.scheduledFor > this.now().toISOString());
  }

  /**
   * The scheduler task: settles requests whose rollout ended (also those of
   * a backend that went away), starts those whose window opened, and
   * retries those that waited for another rollout.
   */
  async tick(): Promise<void> {
    const retryAfterMs = this.options.retryAfterMs ?? 20_000;
    const now = this.now().getTime();
    const approved = await this.options.store.list({ statuses: ['approved'] });
    const rollouts = new Set(
      approved.map(r => r.rolloutId).filter((id): id is string => !!id),
    );
    for (const id of rollouts) {
      await this.settle(id);
    }
    const started = new Set<string>();
    for (const r of approved) {
      if (r.rolloutId || !r.deploymentRef || started.has(r.deploymentRef)) {
        continue;
      }
      const due = r.scheduledFor
        ? Date.parse(r.scheduledFor) <= now
        : now - Date.parse(r.updatedAt) >= retryAfterMs;
      if (!due) continue;
      const fresh = await this.options.store.get(r.id);
      if (fresh?.status !== 'approved' || fresh.rolloutId) continue;
      const after = await this.startOrSchedule(fresh);
      if (after?.rolloutId) started.add(r.deploymentRef);
    }
  }

  // --- audit and notifications --------------------------------------------

  private async notifyRequester(
    request: ReplicationRequest,
    title: string,
    description: string,
    severity: 'normal' | 'high' = 'normal',
  ) {
    await this.options.notifier.notify({
      recipients: [request.requester],
      title,
      description,
      link: linkOf(request),
      scope: `mirror-maker-request:${request.id}`,
      severity,
    });
  }

  /**
   * Writes the auditor event and the plugin's audit log of a request
   * action, successful or not; a denial is recorded as `denied`.
   */
  private async audited<T>(
    req: Request | undefined,
    credentials: BackstageCredentials,
    action: string,
    meta: {
      deploymentRef?: string;
      requestId?: string;
      topics?: unknown[];
      reason?: string;
    },
    run: (meta: {
      deploymentRef?: string;
      requestId?: string;
      topics?: unknown[];
      reason?: string;
    }) => Promise<T>,
  ): Promise<T> {
    const { auditor, mirrorMakerStore } = this.options;
    const event = await auditor.createEvent({
      eventId: action.replace(/\./g, '-'),
      severityLevel: 'medium',
      request: req,
      meta: { ...meta } as JsonObject,
    });
    const p = credentials.principal as { type: string; subject?: string };
    const actor =
      userOf(credentials) ??
      (p.type === 'service' && p.subject ? `service:${p.subject}` : p.type);
    const details = (): JsonObject =>
      JSON.parse(
        JSON.stringify({
          requestId: meta.requestId,
          topics: meta.topics,
          reason: meta.reason,
        }),
      );
    try {
      const result = await run(meta);
      await mirrorMakerStore.appendAudit({
        actor,
        action,
        entityRef: meta.deploymentRef,
        outcome: 'succeeded',
        details: details(),
      });
      await event.success({ meta: details() });
      return result;
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      await mirrorMakerStore
        .appendAudit({
          actor,
          action,
          entityRef: meta.deploymentRef,
          outcome: err.name === NotAllowedError.name ? 'denied' : 'failed',
          details: { ...details(), error: err.message.slice(0, 2000) },
        })
        .catch(e => this.options.logger.warn(`Audit log not written: ${e}`));
      await event.fail({ error: err, meta: details() });
      throw error;
    }
  }
}

function assertStatus(
  request: ReplicationRequest,
  allowed: ReplicationRequestStatus[],
  to: ReplicationRequestStatus,
) {
  if (!allowed.includes(request.status)) {
    throw new ConflictError(
      `Request ${request.id} is ${
        request.status
      }; only a request that is ${allowed.join(' or ')} can become ${to}`,
    );
  }
}

function metaOf(request: ReplicationRequest) {
  return {
    requestId: request.id,
    deploymentRef: request.deploymentRef,
    topics: request.topics as unknown[],
  };
}

function describe(topics: string[], suffix?: string): string {
  if (suffix) return `every topic ending in .${suffix}`;
  return topics.length <= 5
    ? topics.join(', ')
    : `${topics.slice(0, 5).join(', ')} and ${topics.length - 5} more`;
}

function linkOf(request: ReplicationRequest): string {
  return `/mirror-maker/requests/${encodeURIComponent(request.id)}`;
}

/** Owner refs of a deployment entity: its ownedBy relations, or spec.owner. */
export function ownersOf(entity: Entity): string[] {
  const owners = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef.toLowerCase());
  const specOwner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (owners.length === 0 && typeof specOwner === 'string' && specOwner) {
    owners.push(
      normalizeEntityRef(
        specOwner,
        'group',
        entity.metadata.namespace ?? 'default',
      ),
    );
  }
  return owners;
}
