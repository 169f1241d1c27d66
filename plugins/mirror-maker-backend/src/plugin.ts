import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mirrorMakerPermissions } from '@mirrormaker/plugin-mirror-maker-common';
import {
  DeployTargetRegistry,
  mirrorMakerDeployTargetsExtensionPoint,
} from '@mirrormaker/plugin-mirror-maker-node';
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
        httpRouter: coreServices.httpRouter,
        database: coreServices.database,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ logger, httpRouter, database, permissionsRegistry }) {
        permissionsRegistry.addPermissions(mirrorMakerPermissions);
        httpRouter.use(
          await createRouter({
            logger,
            getDatabase: () => database.getClient(),
            deployTargets,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
