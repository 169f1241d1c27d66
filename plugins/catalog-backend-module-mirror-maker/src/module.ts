import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { MirrorMakerEntityProcessor } from './MirrorMakerEntityProcessor';

/** Adds the `MirrorMaker` kind to the catalog. */
export const catalogModuleMirrorMaker = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'mirror-maker',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new MirrorMakerEntityProcessor());
      },
    });
  },
});
