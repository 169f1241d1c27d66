import { ANNOTATION_CLUSTER, KAFKA_CLUSTER_RESOURCE_TYPE } from '../constants';

/** The fields of a catalog entity this module reads. */
export interface EntityLike {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown> | object;
}

/** `kind:namespace/name`, lower-cased, as the catalog compares refs. */
export function entityRefKey(entity: EntityLike): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`.toLowerCase();
}

/** Completes a short ref (`kafka-dc1`, `resource:kafka-dc1`) with a default kind and namespace. */
export function normalizeEntityRef(
  ref: string,
  defaultKind: string,
  defaultNamespace = 'default',
): string {
  const colon = ref.indexOf(':');
  const kind = colon > 0 ? ref.slice(0, colon) : defaultKind;
  const rest = colon > 0 ? ref.slice(colon + 1) : ref;
  const slash = rest.indexOf('/');
  const namespace = slash > 0 ? rest.slice(0, slash) : defaultNamespace;
  const name = slash > 0 ? rest.slice(slash + 1) : rest;
  return `${kind}:${namespace}/${name}`.toLowerCase();
}

/**
 * Finds the cluster config name behind a MirrorMaker's `spec.source` or
 * `spec.target`: the ref must point at a `Resource` of type kafka-cluster
 * whose `mirrormaker.io/cluster` annotation names a configured cluster.
 */
export function resolveClusterRef(
  ref: string,
  entities: EntityLike[],
  defaultNamespace = 'default',
): { cluster: string } | { problem: string } {
  const key = normalizeEntityRef(ref, 'resource', defaultNamespace);
  const entity = entities.find(e => entityRefKey(e) === key);
  if (!entity) {
    return { problem: `refers to ${key}, which is not in the catalog` };
  }
  const type = (entity.spec as { type?: unknown } | undefined)?.type;
  if (
    entity.kind.toLowerCase() !== 'resource' ||
    type !== KAFKA_CLUSTER_RESOURCE_TYPE
  ) {
    return {
      problem: `refers to ${key}, which is not a Resource of spec.type ${KAFKA_CLUSTER_RESOURCE_TYPE}`,
    };
  }
  const cluster = entity.metadata.annotations?.[ANNOTATION_CLUSTER];
  if (!cluster) {
    return {
      problem: `refers to ${key}, which lacks the annotation ${ANNOTATION_CLUSTER} naming its entry under mirrorMaker.clusters`,
    };
  }
  return { cluster };
}
