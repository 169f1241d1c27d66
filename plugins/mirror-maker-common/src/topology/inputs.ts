import { KafkaClusterConfig } from '../kind/clusters';
import { FlowEdge } from './flows';
import { FindingList, listSome } from './findings';
import { createMatcher, TopicMatcher } from './matchers';
import { TopologyDeployment, TopologyEdge, TopologyInput } from './types';
import { compare, sortedUnique } from './util';

/**
 * Prefix of the synthetic topic names that stand for "any topic of a
 * suffix" when patterns are checked: `__probe__.dc1`. They never appear in
 * results; explicitly named topics and live topics are checked by name.
 */
export const PROBE_TOPIC_PREFIX = '__probe__';

/** The synthetic name that stands for every topic ending in `.<suffix>`. */
export function probeTopicName(suffix: string): string {
  return `${PROBE_TOPIC_PREFIX}.${suffix}`;
}

/**
 * Kafka's own topics. MirrorMaker never copies them (the consumer excludes
 * internal topics), and they carry no suffix by design, so live listings
 * are read without them.
 */
export const KAFKA_INTERNAL_TOPICS: readonly string[] = [
  '__consumer_offsets',
  '__transaction_state',
];

const INTERNAL = new Set(KAFKA_INTERNAL_TOPICS);

/** The live topic listings, normalised once. */
export interface LiveState {
  /** Sorted, deduplicated live topics of each readable cluster. */
  lists: Map<string, string[]>;
  sets: Map<string, Set<string>>;
  /** Clusters whose listing failed, with the reason. */
  unreachable: Map<string, string | undefined>;
}

/** A deployment with its matcher and edge, as the later passes use it. */
export interface Prepared {
  deployment: TopologyDeployment;
  matcher: TopicMatcher;
  edge: TopologyEdge;
  /** Set when the deployment takes part in the flow analysis. */
  flow?: FlowEdge;
  sourceCluster?: KafkaClusterConfig;
  targetCluster?: KafkaClusterConfig;
  replicated?: string[];
}

/** Sorted, without duplicates and Kafka-internal topics; cheap when the listing is already sorted. */
function sortedTopicList(topics: string[]): string[] {
  const list = topics.filter(topic => !INTERNAL.has(topic));
  for (let i = 1; i < list.length; i++) {
    if (!(list[i - 1] < list[i])) return sortedUnique(list);
  }
  return list;
}

function normaliseBroker(broker: string): string {
  return broker.trim().toLowerCase();
}

function sharedBroker(
  a: KafkaClusterConfig,
  b: KafkaClusterConfig,
): string | undefined {
  const brokers = new Set((a.brokers ?? []).map(normaliseBroker));
  return (b.brokers ?? [])
    .map(normaliseBroker)
    .sort(compare)
    .find(broker => brokers.has(broker));
}

/**
 * Normalises the listings (sorted, deduplicated, without Kafka-internal
 * topics) and reports unreachable clusters and listings of unknown ones.
 */
export function readLiveTopics(
  liveTopics: TopologyInput['liveTopics'],
  clusters: Map<string, KafkaClusterConfig>,
  findings: FindingList,
): LiveState {
  const state: LiveState = {
    lists: new Map(),
    sets: new Map(),
    unreachable: new Map(),
  };
  const names = Object.keys(liveTopics ?? {}).sort(compare);
  for (const name of names) {
    const value = liveTopics![name];
    if (!clusters.has(name)) {
      findings.add({
        kind: 'unknown-live-cluster',
        severity: 'info',
        key: name,
        message: `Live topics were given for "${name}", which is not configured under mirrorMaker.clusters; they are ignored. Add the cluster to mirrorMaker.clusters to include it in the topology.`,
        clusters: [name],
      });
      continue;
    }
    if (Array.isArray(value)) {
      const list = sortedTopicList(value);
      state.lists.set(name, list);
      state.sets.set(name, new Set(list));
    } else {
      const error =
        value && typeof value === 'object' && typeof value.error === 'string'
          ? value.error
          : undefined;
      state.unreachable.set(name, error);
      const cluster = clusters.get(name)!;
      findings.add({
        kind: 'unreachable-cluster',
        severity: 'warning',
        key: name,
        message: `Live topics of cluster ${name} could not be read${
          error ? ` (${error})` : ''
        }: live-topic checks for ${name} are skipped, and deployments reading from it are assumed to find every topic they match. Fix: check that its brokers (${listSome(
          cluster.brokers ?? [],
        )}) are reachable from Backstage and that its credentials are valid.`,
        clusters: [name],
      });
    }
  }
  return state;
}

/**
 * Sorts the deployments by ref, computes each one's effective topics once
 * (shared by deployments with the same rule), and reports what keeps a
 * deployment out of the flow analysis: unknown clusters, self-replication,
 * an invalid pattern, a ref listed twice.
 */
export function prepareDeployments(
  deployments: TopologyDeployment[],
  clusters: Map<string, KafkaClusterConfig>,
  findings: FindingList,
): Prepared[] {
  const sorted = [...deployments].sort(
    (a, b) =>
      compare(a.ref, b.ref) ||
      compare(a.source, b.source) ||
      compare(a.target, b.target),
  );
  const refCounts = new Map<string, number>();
  for (const d of sorted) refCounts.set(d.ref, (refCounts.get(d.ref) ?? 0) + 1);
  for (const [ref, count] of refCounts) {
    if (count > 1) {
      findings.add({
        kind: 'duplicate-ref',
        severity: 'warning',
        key: ref,
        message: `Deployment ${ref} is listed ${count} times; every copy is analysed, but findings naming ${ref} cannot tell them apart. Fix: give each MirrorMaker entity its own name.`,
        deployments: [ref],
      });
    }
  }
  const known = [...clusters.keys()];
  // Deployments often share a rule (every DC pulling `suffix: dc1`);
  // compiling it once is enough.
  const matchers = new Map<string, TopicMatcher>();

  return sorted.map(deployment => {
    const { ref, source, target } = deployment;
    const topicsSpec = deployment.topics ?? {};
    const specKey = JSON.stringify([
      topicsSpec.suffix,
      topicsSpec.include,
      topicsSpec.names,
      topicsSpec.exclude,
      deployment.approvedTopics,
    ]);
    let matcher = matchers.get(specKey);
    if (!matcher) {
      matcher = createMatcher(topicsSpec, deployment.approvedTopics);
      matchers.set(specKey, matcher);
    }
    const sourceCluster = clusters.get(source);
    const targetCluster = clusters.get(target);

    const unknown = [
      ...(sourceCluster ? [] : [['source', source]]),
      ...(targetCluster || target === source ? [] : [['target', target]]),
    ];
    if (unknown.length > 0) {
      const what = unknown
        .map(([field, name]) => `${field} cluster "${name}"`)
        .join(' and ');
      const fields = unknown.map(([field]) => `spec.${field}`).join(' and ');
      findings.add({
        kind: 'unknown-cluster',
        severity: 'error',
        key: ref,
        message: `${ref} names ${what}, which ${
          unknown.length > 1 ? 'are' : 'is'
        } not configured under mirrorMaker.clusters (configured: ${
          known.length > 0 ? known.join(', ') : 'none'
        }). Fix: add ${unknown
          .map(([, name]) => `"${name}"`)
          .join(
            ' and ',
          )} to mirrorMaker.clusters in app-config, or correct ${fields} of the deployment.`,
        deployments: [ref],
        clusters: unknown.map(([, name]) => name),
      });
    }

    let selfReplication = false;
    if (source === target) {
      selfReplication = true;
      findings.add({
        kind: 'self-replication',
        severity: 'error',
        key: ref,
        message: `${ref} reads from and writes to the same cluster ${source}: MirrorMaker keeps topic names, so every record it copies is appended to the topic it was read from and copied again, forever (the seed's shipped default had identical source and destination brokers). Fix: set the target to the cluster of the data centre the topics should reach.`,
        deployments: [ref],
        clusters: [source],
      });
    } else if (sourceCluster && targetCluster) {
      const broker = sharedBroker(sourceCluster, targetCluster);
      if (broker !== undefined) {
        selfReplication = true;
        findings.add({
          kind: 'self-replication',
          severity: 'error',
          key: ref,
          message: `${ref} reads from ${source} and writes to ${target}, but both clusters list broker ${broker}, so they are one Kafka cluster: every record copied is appended to the topic it was read from and copied again, forever. Fix: correct the brokers of ${source} or ${target} under mirrorMaker.clusters, or point the deployment at another cluster.`,
          deployments: [ref],
          clusters: [source, target],
        });
      }
    }

    if (matcher.error !== undefined) {
      findings.add({
        kind: 'invalid-pattern',
        severity: 'error',
        key: ref,
        message: `${ref} has topics that cannot be evaluated (${matcher.error}), so it is left out of the flow analysis. Fix: correct spec.topics; a pattern must be a Java regular expression that RE2 also accepts (no lookarounds or backreferences).`,
        deployments: [ref],
      });
    }

    const effective = matcher.effective;
    const edge: TopologyEdge = {
      ref,
      ...(deployment.title !== undefined ? { title: deployment.title } : {}),
      source,
      target,
      ...(sourceCluster ? { sourceDataCentre: sourceCluster.dataCentre } : {}),
      ...(targetCluster ? { targetDataCentre: targetCluster.dataCentre } : {}),
      rule: effective?.rule ?? ruleOf(deployment),
      include: effective?.include ?? deployment.topics?.include ?? '',
      names: effective?.names ?? sortedUnique(deployment.topics?.names ?? []),
      valid: false,
      selfReplication,
      carries: [],
    };
    const prepared: Prepared = {
      deployment,
      matcher,
      edge,
      sourceCluster,
      targetCluster,
    };
    if (
      sourceCluster &&
      targetCluster &&
      !selfReplication &&
      matcher.error === undefined
    ) {
      edge.valid = true;
      prepared.flow = { ref, source, target, matcher };
    }
    return prepared;
  });
}

function ruleOf(deployment: TopologyDeployment): TopologyEdge['rule'] {
  if (deployment.topics?.suffix !== undefined) return 'suffix';
  if (deployment.topics?.include !== undefined) return 'include';
  return 'names';
}
