import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCreateRequestAction } from './actions/createRequest';
import { createRenderBundleAction } from './actions/renderBundle';
import { createRenderEntityAction } from './actions/renderEntity';
import { createValidateTopicsAction } from './actions/validateTopics';

/** Adds the mirror-maker actions to the scaffolder. */
export const scaffolderModuleMirrorMaker = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'mirror-maker',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, auth, discovery, config }) {
        scaffolder.addActions(
          createValidateTopicsAction(),
          createCreateRequestAction({ auth, discovery, config }),
          createRenderEntityAction(),
          createRenderBundleAction({ auth, discovery }),
        );
      },
    });
  },
});
