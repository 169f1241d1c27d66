import { resolveClusterRef, EntityLike } from '../catalog/resolve';
import { KafkaClusterConfig } from '../kind/clusters';
import { MirrorMakerEntity } from '../kind/types';
import { validateDeploymentClusters } from './deployment';
import { validateMirrorMakerEntity } from './entity';
import { ValidationProblem } from './problems';

/** A MirrorMaker entity with its clusters resolved and every rule checked. */
export interface CheckedDeployment {
  entity: MirrorMakerEntity;
  /** Set when `spec.source` resolves to a configured cluster. */
  source?: KafkaClusterConfig;
  /** Set when `spec.target` resolves to a configured cluster. */
  target?: KafkaClusterConfig;
  /** Errors and warnings, each naming its field. */
  problems: ValidationProblem[];
}

/**
 * Checks one MirrorMaker entity the way every consumer needs it (catalog
 * processor aside): the entity's own rules, then `spec.source` and
 * `spec.target` through their kafka-cluster Resources to configured
 * clusters, then the rules that need both clusters.
 *
 * @param entities - the catalog entities refs are resolved against (the
 *   kafka-cluster Resources at least)
 * @param configHint - appended to the message for a cluster name missing
 *   from the configuration (how to pass it, for the CLI)
 */
export function checkDeployment(
  entity: EntityLike,
  entities: EntityLike[],
  clusters: KafkaClusterConfig[],
  configHint = '',
): CheckedDeployment {
  const problems = validateMirrorMakerEntity(entity);
  const mm = entity as MirrorMakerEntity;
  const checked: CheckedDeployment = { entity: mm, problems };
  if (problems.some(p => p.severity === 'error')) return checked;
  const namespace = mm.metadata.namespace ?? 'default';
  for (const side of ['source', 'target'] as const) {
    const resolved = resolveClusterRef(mm.spec[side], entities, namespace);
    if ('problem' in resolved) {
      problems.push({
        path: `spec.${side}`,
        message: resolved.problem,
        severity: 'error',
      });
      continue;
    }
    const cluster = clusters.find(c => c.name === resolved.cluster);
    if (!cluster) {
      problems.push({
        path: `spec.${side}`,
        message: `names cluster "${
          resolved.cluster
        }", which is not configured under mirrorMaker.clusters (configured: ${
          clusters.map(c => c.name).join(', ') || 'none'
        }${configHint})`,
        severity: 'error',
      });
      continue;
    }
    checked[side] = cluster;
  }
  if (checked.source && checked.target) {
    problems.push(
      ...validateDeploymentClusters(mm, checked.source, checked.target),
    );
  }
  return checked;
}
