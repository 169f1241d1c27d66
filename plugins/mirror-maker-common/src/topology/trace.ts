import { topicSuffix, validateTopicName } from '../topics/names';
import { createMatcher, MatchCache, TopicMatcher } from './matchers';
import { TopologyInput } from './types';
import { compare } from './util';

/** One cluster a topic reaches by replication. */
export interface TopicReach {
  cluster: string;
  dataCentre: string;
  /** Deployments from a home cluster to here, shortest chain first hop first. */
  via: string[];
  /** Every deployment that writes the topic into this cluster, sorted. */
  writers: string[];
}

/** Where one topic is produced and where replication takes it. */
export interface TopicTrace {
  topic: string;
  /** Why the name cannot be traced: not a legal topic name, or no data-centre suffix. */
  problem?: string;
  suffix?: string;
  /** Clusters whose `topicSuffix` is the topic's suffix, sorted. */
  homes: { cluster: string; dataCentre: string }[];
  /** Clusters the topic reaches, by chain length then name. */
  reaches: TopicReach[];
}

/**
 * Follows one topic name from the clusters that own its suffix along every
 * deployment whose effective topics match the name (MirrorMaker 1 keeps
 * names, so a replica can be copied on). Self-replicating deployments and
 * deployments with an unknown cluster or an invalid pattern are ignored, as
 * in `buildTopology`.
 */
export function traceTopic(input: TopologyInput, topic: string): TopicTrace {
  const invalid = validateTopicName(topic);
  if (invalid) return { topic, problem: invalid, homes: [], reaches: [] };
  const suffix = topicSuffix(topic);
  const clusters = new Map(input.clusters.map(c => [c.name, c]));
  const homes = input.clusters
    .filter(c => suffix !== undefined && c.topicSuffix === suffix)
    .map(c => ({ cluster: c.name, dataCentre: c.dataCentre }))
    .sort((a, b) => compare(a.cluster, b.cluster));
  const trace: TopicTrace = { topic, suffix, homes, reaches: [] };
  if (suffix === undefined) {
    trace.problem = `has no data-centre suffix (the text after the last dot, e.g. "orders.dc1"), so no cluster owns it and no suffix rule copies it`;
    return trace;
  } else if (homes.length === 0) {
    trace.problem = `its suffix "${suffix}" is not the topicSuffix of any configured cluster (known: ${
      [...new Set(input.clusters.map(c => c.topicSuffix))].sort().join(', ') ||
      'none'
    })`;
  }

  const cache = new MatchCache();
  const matchers = new Map<string, TopicMatcher>();
  const edges = input.deployments
    .filter(
      d =>
        clusters.has(d.source) &&
        clusters.has(d.target) &&
        d.source !== d.target,
    )
    .map(d => {
      const key = JSON.stringify([d.topics, d.approvedTopics]);
      let matcher = matchers.get(key);
      if (!matcher) {
        matcher = createMatcher(d.topics ?? {}, d.approvedTopics);
        matchers.set(key, matcher);
      }
      return { ...d, matcher };
    })
    .filter(d => !d.matcher.error && cache.matches(d.matcher, topic))
    .sort((a, b) => compare(a.ref, b.ref));

  // Breadth first, so `via` is a shortest chain.
  const chain = new Map<string, string[]>(homes.map(h => [h.cluster, []]));
  let frontier = homes.map(h => h.cluster);
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const cluster of frontier) {
      for (const edge of edges) {
        if (edge.source !== cluster || chain.has(edge.target)) continue;
        chain.set(edge.target, [...chain.get(cluster)!, edge.ref]);
        next.push(edge.target);
      }
    }
    frontier = next.sort(compare);
  }
  const homeNames = new Set(homes.map(h => h.cluster));
  trace.reaches = [...chain.entries()]
    .filter(([cluster]) => !homeNames.has(cluster))
    .map(([cluster, via]) => ({
      cluster,
      dataCentre: clusters.get(cluster)!.dataCentre,
      via,
      writers: edges
        .filter(e => e.target === cluster && chain.has(e.source))
        .map(e => e.ref),
    }))
    .sort(
      (a, b) => a.via.length - b.via.length || compare(a.cluster, b.cluster),
    );
  return trace;
}
