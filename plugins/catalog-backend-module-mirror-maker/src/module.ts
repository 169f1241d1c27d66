import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ManagedDeploymentProvider } from './ManagedDeploymentProvider';
import { MirrorMakerEntityProcessor } from './MirrorMakerEntityProcessor';

/**
 * Adds the `MirrorMaker` kind to the catalog and publishes the deployments
 * the mirror-maker backend plugin manages itself.
 */
export const catalogModuleMirrorMaker = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'mirror-maker',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
      },
      async init({ catalog, discovery, auth, scheduler, logger, config }) {
        catalog.addProcessor(new MirrorMakerEntityProcessor());
        catalog.addEntityProvider(
          new ManagedDeploymentProvider({
            discovery,
            auth,
            scheduler,
            logger,
            config,
          }),
        );
      },
    });
  },
});
