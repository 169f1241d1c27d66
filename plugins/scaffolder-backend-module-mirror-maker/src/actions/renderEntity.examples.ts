import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write catalog-info.yaml for a deployment that copies every .dc1 topic into dc2',
    example: yaml.stringify({
      steps: [
        {
          id: 'entity',
          action: 'mirror-maker:entity:render',
          name: 'Write catalog-info.yaml',
          input: {
            name: 'dc1-to-dc2',
            description: 'Runs in dc2; reads .dc1 topics from dc1',
            owner: 'group:default/kafka-platform',
            system: 'system:default/replication',
            lifecycle: 'production',
            source: 'resource:default/kafka-dc1',
            target: 'resource:default/kafka-dc2',
            topics: { suffix: 'dc1' },
            placement: {
              nodes: ['mm1.dc2.example.com', 'mm2.dc2.example.com'],
              processesPerNode: 2,
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Replicate an explicit topic list, deployed over ssh, into a sub-directory',
    example: yaml.stringify({
      steps: [
        {
          id: 'entity',
          action: 'mirror-maker:entity:render',
          name: 'Write the entity',
          input: {
            name: 'dc2-to-dc1',
            owner: 'group:default/kafka-platform',
            source: 'resource:default/kafka-dc2',
            target: 'resource:default/kafka-dc1',
            topics: { names: ['payments.dc2', 'refunds.dc2'] },
            placement: { nodes: ['mm1.dc1.example.com'], numStreams: 4 },
            deployTarget: 'ssh',
            targetPath: 'deployments/dc2-to-dc1/catalog-info.yaml',
          },
        },
      ],
    }),
  },
];
