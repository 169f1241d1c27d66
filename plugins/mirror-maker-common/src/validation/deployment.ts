import { KafkaClusterConfig } from '../kind/clusters';
import { MirrorMakerEntity } from '../kind/types';
import { effectiveTopics } from '../topics/effective';
import { topicSuffix } from '../topics/names';
import { error, ValidationProblem, warning } from './problems';

function brokerSet(cluster: KafkaClusterConfig): Set<string> {
  return new Set(cluster.brokers.map(b => b.toLowerCase()));
}

/**
 * Rules that need the deployment's clusters: no self-replication, no pattern
 * that copies the target's own topics back into it. Run after
 * validateMirrorMakerEntity has passed.
 */
export function validateDeploymentClusters(
  entity: MirrorMakerEntity,
  source: KafkaClusterConfig,
  target: KafkaClusterConfig,
  approvedTopics: string[] = [],
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const sourceBrokers = brokerSet(source);
  const shared = [...brokerSet(target)].filter(b => sourceBrokers.has(b));
  if (source.name === target.name) {
    problems.push(
      error(
        'spec.target',
        `is the same cluster as spec.source (${source.name}); MirrorMaker would copy every topic onto itself forever. Point target at another data centre's cluster`,
      ),
    );
  } else if (shared.length > 0) {
    problems.push(
      error(
        'spec.target',
        `cluster ${target.name} shares broker ${shared[0]} with source cluster ${source.name}; source and target are the same cluster under two names, a replication loop`,
      ),
    );
  }
  if (
    source.topicSuffix === target.topicSuffix &&
    source.name !== target.name
  ) {
    problems.push(
      error(
        'spec.target',
        `clusters ${source.name} and ${target.name} have the same topic suffix "${source.topicSuffix}"; suffixes must tell data centres apart or replicated topics mix with local ones`,
      ),
    );
  }
  let topics;
  try {
    topics = effectiveTopics(entity.spec.topics, approvedTopics);
  } catch (e) {
    // Only reached when called without validateMirrorMakerEntity first.
    problems.push(
      error(
        'spec.topics',
        `cannot be evaluated: ${e instanceof Error ? e.message : String(e)}`,
      ),
    );
    return problems;
  }
  const ownSuffix = target.topicSuffix;
  const matchesOwn =
    topics.rule === 'names'
      ? topics.names.filter(n => topicSuffix(n) === ownSuffix)
      : [
          `orders.${ownSuffix}`,
          `x.${ownSuffix}`,
          `a.b-c_d.${ownSuffix}`,
        ].filter(probe => topics.matches(probe));
  if (matchesOwn.length > 0) {
    problems.push(
      error(
        'spec.topics',
        `matches topics with the target's own suffix ".${ownSuffix}" (e.g. ${matchesOwn[0]}): the target's own topics would be replicated into it, a loop in waiting. Match only other data centres' suffixes, e.g. suffix: ${source.topicSuffix}`,
      ),
    );
  }
  if (
    topics.rule === 'suffix' &&
    entity.spec.topics.suffix !== source.topicSuffix
  ) {
    problems.push(
      warning(
        'spec.topics.suffix',
        `is "${entity.spec.topics.suffix}" but source cluster ${source.name} owns ".${source.topicSuffix}" topics; this replicates topics that merely pass through ${source.name}`,
      ),
    );
  }
  if (
    topics.rule !== 'names' &&
    !topics.matches(`orders.${source.topicSuffix}`) &&
    topics.names.length === 0
  ) {
    problems.push(
      warning(
        'spec.topics',
        `matches no topic ending in ".${source.topicSuffix}", the source's own suffix; check the pattern`,
      ),
    );
  }
  return problems;
}
