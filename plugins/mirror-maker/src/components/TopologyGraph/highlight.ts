import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_CLUSTER,
  KAFKA_CLUSTER_RESOURCE_TYPE,
  MIRROR_MAKER_KIND,
} from '@mirrormaker/plugin-mirror-maker-common';
import type { TopologyHighlight } from './TopologyGraph';

/** `kind:namespace/name`, lower-cased, as the topology names deployments. */
export function topologyRefOf(entity: Entity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`.toLowerCase();
}

/**
 * What of the topology an entity is: a MirrorMaker is a deployment, a
 * kafka-cluster Resource with the cluster annotation a cluster; anything
 * else is neither.
 */
export function highlightOf(entity: Entity): TopologyHighlight | undefined {
  if (entity.kind.toLowerCase() === MIRROR_MAKER_KIND.toLowerCase()) {
    return { deploymentRef: topologyRefOf(entity) };
  }
  const type = (entity.spec as { type?: unknown } | undefined)?.type;
  const cluster = entity.metadata.annotations?.[ANNOTATION_CLUSTER];
  if (
    entity.kind.toLowerCase() === 'resource' &&
    type === KAFKA_CLUSTER_RESOURCE_TYPE &&
    cluster
  ) {
    return { cluster };
  }
  return undefined;
}

/** Whether a finding concerns what `highlight` points at. */
export function concerns(
  finding: { deployments: string[]; clusters: string[] },
  highlight: TopologyHighlight,
): boolean {
  const ref = highlight.deploymentRef?.toLowerCase();
  return (
    (ref !== undefined &&
      finding.deployments.some(d => d.toLowerCase() === ref)) ||
    (highlight.cluster !== undefined &&
      finding.clusters.includes(highlight.cluster))
  );
}
