import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_TOPICS,
  KAFKA_CLUSTER_RESOURCE_TYPE,
  MIRROR_MAKER_KIND,
} from '@mirrormaker/plugin-mirror-maker-common';

/** A MirrorMaker deployment: gets the replication tab. */
export function isMirrorMakerAvailable(entity: Entity): boolean {
  return entity.kind.toLowerCase() === MIRROR_MAKER_KIND.toLowerCase();
}

/** A kafka-cluster Resource tied to a configured cluster: gets the flows card. */
export function isKafkaClusterAvailable(entity: Entity): boolean {
  return (
    entity.kind.toLowerCase() === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type ===
      KAFKA_CLUSTER_RESOURCE_TYPE &&
    Boolean(entity.metadata.annotations?.[ANNOTATION_CLUSTER])
  );
}

/** An entity that owns topics (annotation `mirrormaker.io/topics`): gets the replication card. */
export function isServiceReplicationAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_TOPICS]?.trim());
}
