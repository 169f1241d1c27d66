import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Ask for two dc1 topics of a service to be readable in dc2, and link to the request',
    example: yaml.stringify({
      steps: [
        {
          id: 'request',
          action: 'mirror-maker:request:create',
          name: 'File the replication request',
          input: {
            team: 'group:default/team-dc1',
            service: 'component:default/orders-service',
            topics: ['orders.dc1', 'shipments.dc1'],
            sourceDataCentre: 'dc1',
            targetDataCentre: 'dc2',
            reason: 'The dc2 billing job reads orders from its local cluster',
            desiredDate: '2030-01-31',
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Replication request',
            url: '${{ steps.request.output.url }}',
          },
        ],
      },
    }),
  },
  {
    description:
      'Ask for a new deployment that carries every .dc3 topic from dc3 into dc1',
    example: yaml.stringify({
      steps: [
        {
          id: 'request',
          action: 'mirror-maker:request:create',
          name: 'Request a new deployment',
          input: {
            team: 'group:default/kafka-platform',
            suffix: 'dc3',
            newDeployment: true,
            sourceDataCentre: 'dc3',
            targetDataCentre: 'dc1',
            reason: 'dc3 joins the replication ring',
          },
        },
      ],
    }),
  },
];
