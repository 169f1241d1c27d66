import { startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleMirrorMaker } from './module';

describe('scaffolderModuleMirrorMaker', () => {
  it('adds every mirror-maker action to the scaffolder', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...actions: any[]) => added.push(...actions) },
        ],
      ],
      features: [scaffolderModuleMirrorMaker],
    });
    expect(added.map(a => a.id).sort()).toEqual([
      'mirror-maker:bundle:render',
      'mirror-maker:entity:render',
      'mirror-maker:request:create',
      'mirror-maker:topics:validate',
    ]);
    for (const action of added) {
      expect(action.examples?.length).toBeGreaterThan(0);
    }
  });
});
