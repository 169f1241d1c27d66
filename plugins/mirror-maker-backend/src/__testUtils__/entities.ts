import { Entity } from '@backstage/catalog-model';
import {
  exampleEntity,
  kafkaClusterResource,
} from '@mirrormaker/plugin-mirror-maker-common/testUtils';

const resource = (name: string, cluster: string): Entity =>
  kafkaClusterResource(name, cluster);

const owned = (entity: Entity, owner: string): Entity => ({
  ...entity,
  metadata: { namespace: 'default', ...entity.metadata },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

/** The two-DC catalog of the examples, as the catalog would serve it. */
export function twoDcCatalog(): Entity[] {
  const dc1ToDc2 = exampleEntity({ owner: 'group:default/team-dc2' });
  const dc2ToDc1 = exampleEntity({
    owner: 'group:default/team-dc1',
    source: 'resource:default/kafka-dc2',
    target: 'resource:default/kafka-dc1',
    topics: { suffix: 'dc2' },
    placement: { nodes: ['mm1.dc1.example.com'] },
  });
  dc2ToDc1.metadata.name = 'dc2-to-dc1';
  return [
    resource('kafka-dc1', 'dc1'),
    resource('kafka-dc2', 'dc2'),
    owned(dc1ToDc2 as unknown as Entity, 'group:default/team-dc2'),
    owned(dc2ToDc1 as unknown as Entity, 'group:default/team-dc1'),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders-service',
        namespace: 'default',
        annotations: {
          'mirrormaker.io/topics': 'orders.dc1, payments.dc2,legacy-orders',
        },
      },
      spec: { type: 'service', owner: 'group:default/team-dc1' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-dc1', namespace: 'default' },
      spec: { type: 'team', children: [] },
    },
  ];
}

/** `mirrorMaker.clusters` for clusters nobody listens on: the unreachable case. */
export function unreachableClusters(ports: [number, number]) {
  const client = { connectionTimeoutMs: 300, requestTimeoutMs: 1000 };
  return {
    dc1: {
      brokers: [`127.0.0.1:${ports[0]}`],
      dataCentre: 'dc1',
      topicSuffix: 'dc1',
      client,
    },
    dc2: {
      brokers: [`127.0.0.1:${ports[1]}`],
      dataCentre: 'dc2',
      topicSuffix: 'dc2',
      security: {
        protocol: 'SASL_PLAINTEXT',
        sasl: {
          mechanism: 'SCRAM-SHA-512',
          username: 'mirror',
          password: 'hunter2-do-not-leak',
        },
      },
      client,
    },
  };
}
