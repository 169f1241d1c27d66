import { KafkaClusterConfig } from '../kind/clusters';
import { MirrorMakerEntity } from '../kind/types';

/** A valid dc1 -> dc2 deployment, for tests to vary. */
export function exampleEntity(
  spec: Partial<MirrorMakerEntity['spec']> = {},
): MirrorMakerEntity {
  return {
    apiVersion: 'mirrormaker.io/v1alpha1',
    kind: 'MirrorMaker',
    metadata: { name: 'dc1-to-dc2' },
    spec: {
      owner: 'group:default/kafka-platform',
      system: 'replication',
      lifecycle: 'production',
      source: 'resource:default/kafka-dc1',
      target: 'resource:default/kafka-dc2',
      topics: { suffix: 'dc1' },
      placement: {
        nodes: ['mm1.dc2.example.com', 'mm2.dc2.example.com'],
        processesPerNode: 2,
        numStreams: 3,
      },
      ...spec,
    },
  };
}

export const dc1: KafkaClusterConfig = {
  name: 'dc1',
  brokers: ['kafka1.dc1.example.com:9093', 'kafka2.dc1.example.com:9093'],
  dataCentre: 'dc1',
  topicSuffix: 'dc1',
};

export const dc2: KafkaClusterConfig = {
  name: 'dc2',
  brokers: ['kafka1.dc2.example.com:9093', 'kafka2.dc2.example.com:9093'],
  dataCentre: 'dc2',
  topicSuffix: 'dc2',
};

/** A kafka-cluster Resource entity pointing at configured cluster `cluster`. */
export function kafkaClusterResource(name: string, cluster: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'mirrormaker.io/cluster': cluster },
    },
    spec: { type: 'kafka-cluster', owner: 'group:default/kafka-platform' },
  };
}
