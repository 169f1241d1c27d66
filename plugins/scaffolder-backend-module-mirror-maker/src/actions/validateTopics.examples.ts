import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Check that the requested topics belong to data centre dc1',
    example: yaml.stringify({
      steps: [
        {
          id: 'check-topics',
          action: 'mirror-maker:topics:validate',
          name: 'Check topics',
          input: {
            topics: ['orders.dc1', 'payments.dc1'],
            suffix: 'dc1',
          },
        },
      ],
    }),
  },
];
