import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  mirrorMakerDeploymentCreatePermission,
  mirrorMakerEntityPermissions,
  mirrorMakerRequestCreatePermission,
  normalizeEntityRef,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  DeployTargetRegistry,
  mirrorMakerDeployTargetsExtensionPoint,
  mirrorMakerEntityPermissionRules,
  mirrorMakerEntityResourceRef,
} from '@mirrormaker/plugin-mirror-maker-node';
import { randomUUID } from 'crypto';
import { MirrorMakerStore } from './database';
import { RolloutStore } from './database/RolloutStore';
import { RolloutEngine } from './deploy/RolloutEngine';
import { LocalDeployTarget } from './deploy/local/LocalDeployTarget';
import { SshDeployTarget } from './deploy/ssh/SshDeployTarget';
import { CatalogDeployments } from './service/CatalogDeployments';
import { ClusterRegistry } from './kafka';
import { createRouter } from './service/router';

/**
 * The mirror-maker backend plugin: the control plane's REST API under
 * `/api/mirror-maker`.
 */
export const mirrorMakerPlugin = createBackendPlugin({
  pluginId: 'mirror-maker',
  register(env) {
    const deployTargets = new DeployTargetRegistry();
    env.registerExtensionPoint(
      mirrorMakerDeployTargetsExtensionPoint,
      deployTargets,
    );

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        database: coreServices.database,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init({
        logger,
        config,
        httpRouter,
        httpAuth,
        auth,
        database,
        permissions,
        permissionsRegistry,
        auditor,
        lifecycle,
        scheduler,
        catalog,
      }) {
        const clusters = ClusterRegistry.fromConfig(config, logger);
        lifecycle.addShutdownHook(() => clusters.close());
        const store = await MirrorMakerStore.create({ database });
        const rolloutStore = RolloutStore.fromKnex(await database.getClient());

        // The embedded targets; modules may add more through the extension point.
        const local = LocalDeployTarget.fromConfig(config, logger);
        deployTargets.addDeployTarget(local);
        if (config.has('mirrorMaker.deploy.ssh')) {
          const ssh = SshDeployTarget.fromConfig(config, logger);
          deployTargets.addDeployTarget(ssh);
          lifecycle.addShutdownHook(() => ssh.close());
        }
        const rollouts = new RolloutEngine({
          store: rolloutStore,
          clusters,
          targets: deployTargets,
          logger,
          instanceId: `${randomUUID()}`,
          gate: {
            timeoutMs:
              (config.getOptionalNumber(
                'mirrorMaker.deploy.gate.timeoutSeconds',
              ) ?? 120) * 1000,
            windowMs:
              (config.getOptionalNumber(
                'mirrorMaker.deploy.gate.windowSeconds',
              ) ?? 10) * 1000,
            lagToleranceRecords:
              config.getOptionalNumber(
                'mirrorMaker.deploy.gate.lagToleranceRecords',
              ) ?? 1000,
          },
          stopTimeoutMs:
            (config.getOptionalNumber(
              'mirrorMaker.deploy.stopTimeoutSeconds',
            ) ?? 30) * 1000,
          resolve: async entity =>
            new CatalogDeployments({
              catalog,
              clusters: () => clusters.list(),
              logger,
            }).check(
              entity as unknown as Entity,
              await auth.getOwnServiceCredentials(),
            ),
        });
        // Rollouts first (they stop between steps), then the processes.
        lifecycle.addShutdownHook(async () => {
          await rollouts.shutdown();
          await local.shutdown({ timeoutMs: 30_000 });
        });
        lifecycle.addStartupHook(async () => {
          await local.start();
          await rollouts.recoverInterrupted();
        });
        await scheduler.scheduleTask({
          id: 'mirror-maker-interrupted-rollouts',
          frequency: { seconds: 30 },
          timeout: { seconds: 60 },
          initialDelay: { seconds: 45 },
          fn: async () => {
            const recovered = await rollouts.recoverInterrupted();
            for (const r of recovered) {
              logger.warn(
                `Rollout ${r.id} of ${r.deploymentRef}: ${r.message}`,
              );
            }
          },
        });

        permissionsRegistry.addPermissions([
          mirrorMakerDeploymentCreatePermission,
          mirrorMakerRequestCreatePermission,
        ]);
        permissionsRegistry.addResourceType({
          resourceRef: mirrorMakerEntityResourceRef,
          permissions: mirrorMakerEntityPermissions,
          rules: Object.values(mirrorMakerEntityPermissionRules),
          // Conditions are decided on the catalog's copy; a plugin-managed
          // deployment the catalog has not picked up yet is judged on ours.
          getResources: async refs => {
            const credentials = await auth.getOwnServiceCredentials();
            const { items } = await catalog.getEntitiesByRefs(
              { entityRefs: refs },
              { credentials },
            );
            return Promise.all(
              items.map(async (entity, i) => {
                if (entity) return entity;
                const ref = normalizeEntityRef(refs[i], 'mirrormaker');
                const [kind, rest] = ref.split(':');
                const [namespace, name] = rest.split('/');
                if (kind !== 'mirrormaker') return undefined;
                const managed = await store.getManagedDeployment(
                  namespace,
                  name,
                );
                return managed?.entity as Entity | undefined;
              }),
            );
          },
        });

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            auditor,
            catalog,
            store,
            clusters,
            deployTargets,
            rollouts,
            rolloutStore,
            entityRuleset: permissionsRegistry.getPermissionRuleset(
              mirrorMakerEntityResourceRef,
            ),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
