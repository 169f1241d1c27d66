import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write the files of an existing deployment into the workspace, e.g. to open a GitOps pull request',
    example: yaml.stringify({
      steps: [
        {
          id: 'bundle',
          action: 'mirror-maker:bundle:render',
          name: 'Render the bundle',
          input: {
            entityRef: 'mirrormaker:default/dc1-to-dc2',
            targetPath: 'mirror-maker/dc1-to-dc2',
          },
        },
      ],
    }),
  },
  {
    description:
      'Render the files of a deployment written by mirror-maker:entity:render in an earlier step',
    example: yaml.stringify({
      steps: [
        {
          id: 'bundle',
          action: 'mirror-maker:bundle:render',
          name: 'Render the bundle',
          input: {
            entity: '${{ steps.entity.output.entity }}',
            targetPath: 'bundle',
          },
        },
      ],
    }),
  },
];
