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
import { MirrorMakerStore } from './database';
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
        catalog,
      }) {
        const clusters = ClusterRegistry.fromConfig(config, logger);
        lifecycle.addShutdownHook(() => clusters.close());
        const store = await MirrorMakerStore.create({ database });

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
