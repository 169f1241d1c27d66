import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createValidateTopicsAction } from './actions/validateTopics';

/** Adds the mirror-maker actions to the scaffolder. */
export const scaffolderModuleMirrorMaker = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'mirror-maker',
  register(reg) {
    reg.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(createValidateTopicsAction());
      },
    });
  },
});
