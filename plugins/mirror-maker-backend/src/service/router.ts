import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PermissionRuleset } from '@backstage/plugin-permission-node';
import { JsonObject } from '@backstage/types';
import {
  MIRROR_MAKER_KIND,
  mirrorMakerBundleReadPermission,
  mirrorMakerDeploymentCreatePermission,
  mirrorMakerDeployPermission,
  mirrorMakerSecretsReadPermission,
  SECRET_MARKER,
  validateMirrorMakerEntity,
  ValidationProblem,
  formatProblems,
} from '@mirrormaker/plugin-mirror-maker-common';
import { DeployTargetRegistry } from '@mirrormaker/plugin-mirror-maker-node';
import express from 'express';
import { MirrorMakerStore, ManagedDeployment } from '../database';
import { ClusterRegistry } from '../kafka';
import { createOpenApiRouter } from '../schema/openapi';
import { archiveFiles, BundleService } from './BundleService';
import { CatalogDeployments, refOf } from './CatalogDeployments';
import { LiveTopics } from './LiveTopics';
import { TopologyService } from './TopologyService';
import { tarGz } from './archive';
import { RolloutEngine, targetNameOf } from '../deploy/RolloutEngine';
import { diffRevisions } from '../deploy/diff';
import { RolloutStore } from '../database/RolloutStore';
import { MetricsService } from '../metrics/MetricsService';
import { parseWindow } from '../metrics/window';
import { RequestService } from '../requests/RequestService';
import { EntityAuthorizer } from './authorize';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  store: MirrorMakerStore;
  clusters: ClusterRegistry;
  deployTargets: DeployTargetRegistry;
  /**
   * The rules of the plugin's entity resource type, so conditional
   * decisions are applied here, on the entity already loaded.
   */
  entityRuleset: PermissionRuleset<Entity>;
  rollouts: RolloutEngine;
  rolloutStore: RolloutStore;
  /** Reuse of live topic listings; default 5 s. */
  liveTopicsMaxAgeMs?: number;
  /** Lag, series, process figures and heartbeat; the metrics routes answer 503 without it. */
  metrics?: (topology: TopologyService) => MetricsService;
  /** How long samples are kept: the longest metrics window. Default 24 h. */
  metricsRetentionMs?: number;
  /** Shared with the plugin's other services (approved topics included); made here without. */
  deployments?: CatalogDeployments;
  liveTopics?: LiveTopics;
  /** Replication requests; the request routes answer 503 without it. */
  requests?: RequestService;
}

/** Largest JSON body accepted (an entity with many topic names fits easily). */
const BODY_LIMIT = '1mb';

/** Who did it, for the audit log: a user's entity ref or `service:<subject>`. */
export function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
  if (p.type === 'service' && p.subject) return `service:${p.subject}`;
  return p.type;
}

/** An InputError whose body lists every problem with the field it concerns. */
function invalidEntity(what: string, problems: ValidationProblem[]) {
  const errors = problems.filter(p => p.severity === 'error');
  const error = new InputError(`${what} is invalid: ${formatProblems(errors)}`);
  Object.assign(error, { problems });
  return error;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    logger,
    httpAuth,
    permissions,
    auditor,
    catalog,
    store,
    clusters,
    deployTargets,
  } = options;
  const deployments =
    options.deployments ??
    new CatalogDeployments({
      catalog,
      clusters: () => clusters.list(),
      logger,
    });
  const liveTopics =
    options.liveTopics ??
    new LiveTopics({
      clusters,
      logger,
      maxAgeMs: options.liveTopicsMaxAgeMs,
    });
  const topology = new TopologyService({ deployments, clusters, liveTopics });
  const bundles = new BundleService(deployments);
  const metrics = options.metrics?.(topology);
  const metricsService = () => {
    if (!metrics) {
      throw new ServiceUnavailableError(
        'Metrics are not enabled in this backend',
      );
    }
    return metrics;
  };

  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: BODY_LIMIT })],
  });

  // Handlers get typed requests; these helpers only read headers and params.
  type AnyRequest = express.Request<any, any, any, any, any>;
  const credentialsOf = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function loadEntity(
    req: AnyRequest,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const { kind, namespace, name } = req.params;
    const ref = stringifyEntityRef({ kind, namespace, name });
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${ref.toLowerCase()} in the catalog (or you may not see it)`,
      );
    }
    return entity;
  }

  const authorizer = new EntityAuthorizer(permissions, options.entityRuleset);
  const isAllowed = authorizer.isAllowed.bind(authorizer);
  const isAllowedOn = authorizer.isAllowedOn.bind(authorizer);

  /** Writes the audit log and the auditor event of a change; a denial is audited too. */
  async function audited<T>(
    req: AnyRequest,
    credentials: BackstageCredentials,
    action: string,
    entityRef: string,
    run: () => Promise<T>,
    details?: JsonObject,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId: action.replace(/\./g, '-'),
      severityLevel: 'medium',
      request: req,
      meta: { entityRef, ...details },
    });
    const actor = actorOf(credentials);
    try {
      const result = await run();
      await store.appendAudit({
        actor,
        action,
        entityRef,
        outcome: 'succeeded',
        details,
      });
      await event.success();
      return result;
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      await store.appendAudit({
        actor,
        action,
        entityRef,
        outcome: err.name === NotAllowedError.name ? 'denied' : 'failed',
        details: { ...details, error: err.message },
      });
      await event.fail({ error: err });
      throw error;
    }
  }

  /** Checks a posted entity fully; throws the InputError with every problem. */
  async function checkPosted(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<{ entity: Entity; warnings: ValidationProblem[] }> {
    const entity = (body as { entity?: unknown } | undefined)?.entity;
    const own = validateMirrorMakerEntity(entity);
    if (own.some(p => p.severity === 'error')) {
      throw invalidEntity('entity', own);
    }
    const checked = await deployments.check(entity as Entity, credentials);
    if (checked.problems.some(p => p.severity === 'error')) {
      throw invalidEntity(checked.ref, checked.problems);
    }
    return { entity: entity as Entity, warnings: checked.problems };
  }

  router.get('/health', async (_req, res) => {
    let database: { ok: boolean; message?: string } = { ok: true };
    try {
      await store.ping();
    } catch (error) {
      database = {
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      };
      logger.warn(`Health check: database unreachable: ${database.message}`);
    }
    const targets = await Promise.all(
      deployTargets.list().map(async target => {
        try {
          return { name: target.name, ...(await target.checkReadiness()) };
        } catch (error) {
          return { name: target.name, ready: false, message: String(error) };
        }
      }),
    );
    res.status(database.ok ? 200 : 503).json({
      status: database.ok ? 'ok' : 'error',
      database,
      deployTargets: targets,
    });
  });

  router.get('/clusters', async (req, res) => {
    await credentialsOf(req);
    const items = await Promise.all(
      clusters.list().map(async c => {
        const live = await clusters.describe(c.name);
        return {
          name: c.name,
          dataCentre: c.dataCentre,
          topicSuffix: c.topicSuffix,
          brokers: c.brokers,
          securityProtocol: c.security?.protocol ?? 'PLAINTEXT',
          ...(c.security?.sasl
            ? { saslMechanism: c.security.sasl.mechanism }
            : {}),
          ...live,
          checkedAt: new Date().toISOString(),
        };
      }),
    );
    res.json({ items });
  });

  router.get('/clusters/:name/topics', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(await topology.clusterTopics(req.params.name, credentials));
  });

  router.get('/topology', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(await topology.topology(credentials));
  });

  router.get('/entities/:kind/:namespace/:name/metrics', async (req, res) => {
    const credentials = await credentialsOf(req);
    const windowMs = parseWindow(req.query.window, {
      defaultMs: Math.min(3_600_000, options.metricsRetentionMs ?? 86_400_000),
      maxMs: options.metricsRetentionMs ?? 86_400_000,
    });
    const entity = await loadEntity(req, credentials);
    const service = metricsService();
    if (entity.kind === MIRROR_MAKER_KIND) {
      res.json(await service.deploymentMetrics(entity, credentials, windowMs));
    } else {
      res.json(await service.serviceMetrics(entity, credentials));
    }
  });

  router.get('/metrics', async (req, res) => {
    const credentials = await credentialsOf(req);
    const text = await metricsService().prometheus(credentials);
    res.status(200).type('text/plain; version=0.0.4; charset=utf-8').send(text);
  });

  router.get('/entities/:kind/:namespace/:name/topology', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entity = await loadEntity(req, credentials);
    res.json(await topology.entityTopology(entity, credentials));
  });

  /** Renders a bundle the caller may read, with secrets only if they may see them. */
  async function readBundle(req: AnyRequest) {
    const credentials = await credentialsOf(req);
    const entity = await loadEntity(req, credentials);
    const entityRef = refOf(entity);
    if (
      !(await isAllowedOn(credentials, mirrorMakerBundleReadPermission, entity))
    ) {
      throw new NotAllowedError(
        `You may not read the files of ${entityRef} (permission ${mirrorMakerBundleReadPermission.name})`,
      );
    }
    const wantsSecrets = req.query.redact !== 'true';
    const mayReadSecrets =
      wantsSecrets &&
      (await isAllowedOn(
        credentials,
        mirrorMakerSecretsReadPermission,
        entity,
      ));
    const result = await bundles.render(entity, credentials, !mayReadSecrets);
    if (mayReadSecrets) {
      // Who saw the credentials is worth keeping; plain reads are not.
      await store.appendAudit({
        actor: actorOf(credentials),
        action: 'bundle.read-secrets',
        entityRef,
        outcome: 'succeeded',
      });
      const event = await auditor.createEvent({
        eventId: 'bundle-read-secrets',
        severityLevel: 'high',
        request: req,
        meta: { entityRef },
      });
      await event.success();
    }
    return { entityRef, ...result };
  }

  router.get('/entities/:kind/:namespace/:name/bundle', async (req, res) => {
    const { entityRef, bundle, files, redacted } = await readBundle(req);
    res.json({
      name: bundle.name,
      entityRef,
      redacted,
      secretMarker: SECRET_MARKER,
      files,
    });
  });

  router.get(
    '/entities/:kind/:namespace/:name/bundle.tar.gz',
    async (req, res) => {
      const { bundle, files } = await readBundle(req);
      const stream = tarGz(bundle.name, archiveFiles(files));
      res.setHeader('Content-Type', 'application/gzip');
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="${bundle.name}.tar.gz"`,
      );
      stream.on('error', error => {
        logger.error(`Archive of ${bundle.name} failed: ${error}`);
        res.destroy(error);
      });
      stream.pipe(res);
    },
  );

  /** A MirrorMaker the caller may deploy, with its clusters resolved. */
  async function deployable(
    req: AnyRequest,
    credentials: BackstageCredentials,
  ): Promise<{ entity: Entity; entityRef: string }> {
    const entity = await loadEntity(req, credentials);
    const entityRef = refOf(entity);
    if (entity.kind !== MIRROR_MAKER_KIND) {
      throw new InputError(
        `kind: only ${MIRROR_MAKER_KIND} entities are deployed, not ${entity.kind}`,
      );
    }
    if (
      !(await isAllowedOn(credentials, mirrorMakerDeployPermission, entity))
    ) {
      throw new NotAllowedError(
        `You may not deploy ${entityRef} (permission ${mirrorMakerDeployPermission.name}; by default its owners may)`,
      );
    }
    return { entity, entityRef };
  }

  router.post(
    '/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const { kind, namespace, name } = req.params;
      const ref = `${kind}:${namespace}/${name}`.toLowerCase();
      const rollout = await audited(
        req,
        credentials,
        'deployment.create',
        ref,
        async () => {
          const { entity } = await deployable(req, credentials);
          const checked = await deployments.check(entity, credentials);
          return options.rollouts.deploy({
            checked,
            actor: actorOf(credentials),
            reason: req.body.reason,
            autoRollback: req.body.autoRollback,
          });
        },
        { reason: req.body.reason },
      );
      res.status(202).json(rollout);
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const entity = await loadEntity(req, credentials);
      const entityRef = refOf(entity);
      if (
        !(await isAllowedOn(
          credentials,
          mirrorMakerBundleReadPermission,
          entity,
        ))
      ) {
        throw new NotAllowedError(
          `You may not read the deployments of ${entityRef} (permission ${mirrorMakerBundleReadPermission.name})`,
        );
      }
      if (entity.kind !== MIRROR_MAKER_KIND) {
        throw new InputError(
          `kind: only ${MIRROR_MAKER_KIND} entities have deployments, not ${entity.kind}`,
        );
      }
      const mm = entity as unknown as Parameters<typeof targetNameOf>[0];
      const [rollouts, revisions, current, processes] = await Promise.all([
        options.rolloutStore.listRollouts(entityRef),
        options.rolloutStore.listRevisions(entityRef),
        options.rolloutStore.lastSucceededRevision(entityRef),
        options.rollouts.processes(mm, entityRef),
      ]);
      const running = rollouts.find(
        r => r.status === 'running' || r.status === 'pending',
      );
      res.json({
        deploymentRef: entityRef,
        target: targetNameOf(mm),
        ...(current ? { current } : {}),
        ...(running ? { running } : {}),
        processes,
        rollouts,
        revisions,
      });
    },
  );

  router.post('/entities/:kind/:namespace/:name/stop', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { kind, namespace, name } = req.params;
    const ref = `${kind}:${namespace}/${name}`.toLowerCase();
    const processes = await audited(
      req,
      credentials,
      'deployment.stop',
      ref,
      async () => {
        const { entity, entityRef } = await deployable(req, credentials);
        return options.rollouts.stop(
          entityRef,
          entity as unknown as Parameters<typeof targetNameOf>[0],
        );
      },
      { reason: req.body.reason },
    );
    res.json({ processes });
  });

  /** A rollout whose deployment the caller may see in the catalog. */
  async function visibleRollout(
    req: AnyRequest,
    credentials: BackstageCredentials,
  ) {
    const rollout = await options.rolloutStore.getRollout(req.params.id);
    const entity =
      rollout &&
      (await catalog.getEntityByRef(rollout.deploymentRef, { credentials }));
    if (!rollout || !entity) {
      throw new NotFoundError(
        `No deployment ${req.params.id} (or you may not see its entity)`,
      );
    }
    return { rollout, entity };
  }

  router.get('/deployments/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { rollout } = await visibleRollout(req, credentials);
    res.json({
      ...rollout,
      events: await options.rolloutStore.listEvents(rollout.id),
    });
  });

  router.get('/deployments/:id/diff', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { rollout } = await visibleRollout(req, credentials);
    const againstId = req.query.against ?? rollout.previousRevisionId;
    if (!againstId) {
      throw new InputError(
        `against: deployment ${rollout.id} is the first of ${rollout.deploymentRef}; name a revision id to compare with`,
      );
    }
    const [to, from] = await Promise.all([
      options.rolloutStore.getRevision(rollout.revisionId),
      options.rolloutStore.getRevision(againstId),
    ]);
    if (!from || from.deploymentRef !== rollout.deploymentRef) {
      throw new NotFoundError(
        `against: no revision ${againstId} of ${rollout.deploymentRef}`,
      );
    }
    const summary = ({ files, entity, ...rest }: typeof to & {}) => {
      void files;
      void entity;
      return rest;
    };
    res.json({
      from: summary(from),
      to: summary(to!),
      files: diffRevisions(from.files, to!.files),
    });
  });

  router.post('/deployments/:id/rollback', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { rollout, entity } = await visibleRollout(req, credentials);
    const back = await audited(
      req,
      credentials,
      'deployment.rollback',
      rollout.deploymentRef,
      async () => {
        if (
          !(await isAllowedOn(credentials, mirrorMakerDeployPermission, entity))
        ) {
          throw new NotAllowedError(
            `You may not roll back ${rollout.deploymentRef} (permission ${mirrorMakerDeployPermission.name})`,
          );
        }
        return options.rollouts.rollback({
          rolloutId: rollout.id,
          revisionId: req.body.revisionId,
          actor: actorOf(credentials),
          reason: req.body.reason,
        });
      },
      { reason: req.body.reason, from: rollout.id },
    );
    res.status(202).json(back);
  });

  router.post('/render', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { entity } = await checkPosted(req.body, credentials);
    const entityRef = refOf(entity);
    // Reading redacted files of a posted entity reveals nothing the caller
    // did not post, so conditions may be judged on it. Secrets are another
    // matter: the posted fields (its owner, say) are the caller's to choose,
    // so only a decision that holds for every entity opens them.
    if (
      !(await isAllowedOn(credentials, mirrorMakerBundleReadPermission, entity))
    ) {
      throw new NotAllowedError(
        `You may not render MirrorMaker files (permission ${mirrorMakerBundleReadPermission.name})`,
      );
    }
    const mayReadSecrets =
      req.query.redact !== 'true' &&
      (await authorizer.isAllowedOnAny(
        credentials,
        mirrorMakerSecretsReadPermission,
      ));
    const { bundle, files, redacted } = await bundles.render(
      entity,
      credentials,
      !mayReadSecrets,
    );
    if (mayReadSecrets) {
      await store.appendAudit({
        actor: actorOf(credentials),
        action: 'bundle.read-secrets',
        entityRef,
        outcome: 'succeeded',
        details: { posted: true },
      });
      const event = await auditor.createEvent({
        eventId: 'bundle-read-secrets',
        severityLevel: 'high',
        request: req,
        meta: { entityRef, posted: true },
      });
      await event.success();
    }
    res.json({
      name: bundle.name,
      entityRef,
      redacted,
      secretMarker: SECRET_MARKER,
      files,
    });
  });

  const requestService = () => {
    if (!options.requests) {
      throw new ServiceUnavailableError(
        'Replication requests are not enabled in this backend',
      );
    }
    return options.requests;
  };

  router.get('/requests', async (req, res) => {
    await credentialsOf(req);
    const items = await requestService().list({
      status: req.query.status as string | string[] | undefined,
      entity: req.query.entity as string | undefined,
    });
    res.json({ items });
  });

  router.post('/requests', async (req, res) => {
    const credentials = await credentialsOf(req);
    res
      .status(201)
      .json(await requestService().create(req.body, credentials, req));
  });

  router.get('/requests/:id', async (req, res) => {
    await credentialsOf(req);
    res.json(await requestService().get(req.params.id));
  });

  router.post('/requests/:id/approve', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(
      await requestService().approve(req.params.id, req.body, credentials, req),
    );
  });

  router.post('/requests/:id/reject', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(
      await requestService().reject(req.params.id, req.body, credentials, req),
    );
  });

  router.post('/requests/:id/cancel', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(
      await requestService().cancel(req.params.id, req.body, credentials, req),
    );
  });

  router.post('/validate', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { warnings } = await checkPosted(req.body, credentials);
    res.json({ valid: true, problems: warnings });
  });

  const toApi = (d: ManagedDeployment) => ({
    entityRef: `${MIRROR_MAKER_KIND.toLowerCase()}:${d.namespace}/${d.name}`,
    entity: d.entity,
    createdBy: d.createdBy,
    createdAt: d.createdAt,
    updatedBy: d.updatedBy,
    updatedAt: d.updatedAt,
  });

  /** What is stored for a posted entity: its own fields, none the catalog adds. */
  function storedEntity(entity: Entity): JsonObject {
    const { uid, etag, generation, ...metadata } = entity.metadata as any;
    void uid;
    void etag;
    void generation;
    return {
      apiVersion: entity.apiVersion,
      kind: entity.kind,
      metadata: { ...metadata, namespace: metadata.namespace ?? 'default' },
      spec: entity.spec ?? {},
    } as JsonObject;
  }

  router.get('/managed-deployments', async (req, res) => {
    await credentialsOf(req);
    res.json({ items: (await store.listManagedDeployments()).map(toApi) });
  });

  router.post('/managed-deployments', async (req, res) => {
    const credentials = await credentialsOf(req);
    const posted = (req.body as { entity?: Entity }).entity;
    const tentativeRef =
      posted && typeof posted === 'object' && posted.metadata
        ? `mirrormaker:${String(
            posted.metadata.namespace ?? 'default',
          )}/${String(posted.metadata.name)}`.toLowerCase()
        : 'mirrormaker:(invalid)';
    const created = await audited(
      req,
      credentials,
      'managed-deployment.create',
      tentativeRef,
      async () => {
        if (
          !(await isAllowed(credentials, mirrorMakerDeploymentCreatePermission))
        ) {
          throw new NotAllowedError(
            `You may not create MirrorMaker deployments (permission ${mirrorMakerDeploymentCreatePermission.name})`,
          );
        }
        const { entity } = await checkPosted(req.body, credentials);
        const stored = storedEntity(entity);
        const meta = stored.metadata as { namespace: string; name: string };
        const existing = await catalog.getEntityByRef(refOf(entity), {
          credentials,
        });
        const managed = await store.getManagedDeployment(
          meta.namespace,
          meta.name,
        );
        if (existing && !managed) {
          throw new ConflictError(
            `metadata.name: ${refOf(
              entity,
            )} already exists in the catalog (defined in Git); choose another name`,
          );
        }
        return store.createManagedDeployment({
          namespace: meta.namespace,
          name: meta.name,
          entity: stored,
          actor: actorOf(credentials),
        });
      },
    );
    res.status(201).json(toApi(created));
  });

  /** A managed deployment the caller may change (`mirrorMaker.deploy` on it). */
  async function changeable(
    req: AnyRequest,
    credentials: BackstageCredentials,
  ): Promise<ManagedDeployment> {
    const { namespace, name } = req.params;
    const managed = await store.getManagedDeployment(namespace, name);
    const entityRef = `mirrormaker:${namespace}/${name}`.toLowerCase();
    if (!managed) {
      throw new NotFoundError(
        `No plugin-managed deployment ${entityRef}; deployments defined in Git are changed in Git`,
      );
    }
    // The catalog's copy carries the relations; a deployment it has not
    // picked up yet is judged on the stored entity.
    const entity =
      (await catalog.getEntityByRef(entityRef, { credentials })) ??
      (managed.entity as unknown as Entity);
    if (
      !(await isAllowedOn(credentials, mirrorMakerDeployPermission, entity))
    ) {
      throw new NotAllowedError(
        `You may not change ${entityRef} (permission ${mirrorMakerDeployPermission.name}; by default its owners may)`,
      );
    }
    return managed;
  }

  router.put('/managed-deployments/:namespace/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { namespace, name } = req.params;
    const entityRef = `mirrormaker:${namespace}/${name}`.toLowerCase();
    const replaced = await audited(
      req,
      credentials,
      'managed-deployment.replace',
      entityRef,
      async () => {
        await changeable(req, credentials);
        const { entity } = await checkPosted(req.body, credentials);
        const stored = storedEntity(entity);
        const meta = stored.metadata as { namespace: string; name: string };
        if (meta.namespace !== namespace || meta.name !== name) {
          throw new InputError(
            `metadata.name/metadata.namespace: the entity is ${meta.namespace}/${meta.name} but the path names ${namespace}/${name}; they must match (renaming is not supported: create a new deployment and delete this one)`,
          );
        }
        return store.replaceManagedDeployment({
          namespace,
          name,
          entity: stored,
          actor: actorOf(credentials),
        });
      },
    );
    res.json(toApi(replaced));
  });

  router.delete('/managed-deployments/:namespace/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { namespace, name } = req.params;
    const entityRef = `mirrormaker:${namespace}/${name}`.toLowerCase();
    await audited(
      req,
      credentials,
      'managed-deployment.delete',
      entityRef,
      async () => {
        await changeable(req, credentials);
        await store.deleteManagedDeployment(namespace, name);
      },
    );
    res.status(204).end();
  });

  router.get('/audit', async (req, res) => {
    await credentialsOf(req);
    const limit =
      req.query.limit === undefined ? undefined : Number(req.query.limit);
    res.json({
      items: await store.listAudit({
        entityRef: req.query.entityRef as string | undefined,
        limit,
      }),
    });
  });

  return router;
}
