import { FlowClass, FlowClasses, FlowEdge, ReachStep } from './flows';
import { LiveState } from './inputs';
import { TopicClass, TopicClassification } from './types';
import { push } from './util';

/** Per suffix and cluster: what the live topics say. */
export interface SuffixLiveStat {
  /** Live topics of the suffix on the cluster. */
  count: number;
  /** Of those, written by a deployment. */
  replicated: number;
  writers: Set<string>;
  /** Chain of the first replicated topic (topics are visited in name order). */
  via?: string[];
}

export interface MissingStat {
  step: ReachStep;
  topics: string[];
}

/** Live copies that the flow from a home expects on a cluster, grouped by the deployment that should write them. */
export interface MissingGroup {
  cluster: string;
  /** The last deployment of the chain. */
  ref: string;
  via: string[];
  topics: string[];
}

/** Several deployments writing the same topics into one cluster. */
export interface Conflict {
  cluster: string;
  /** Sorted. */
  refs: string[];
  suffixes: string[];
  topics: string[];
  /** Example names of patterns without a suffix (not live, not named). */
  examples: string[];
}

/** What the live topics say, gathered in one pass over every listing. */
export interface LiveAnalysis {
  topics: Record<string, TopicClassification[]>;
  /** Source topics each deployment copies (deployments whose source listing is known). */
  replicatedBy: Map<FlowEdge, string[]>;
  /** Per suffix, per cluster. */
  suffixLive: Map<string, Map<string, SuffixLiveStat>>;
  /** Per suffix, per cluster. */
  missing: Map<string, Map<string, MissingStat>>;
  missingByWriter: Map<string, MissingGroup>;
  /** Keyed by cluster and writers. */
  conflicts: Map<string, Conflict>;
  /** Topics produced on a cluster that a deployment also writes into it. */
  ownSuffixTopics: Map<FlowEdge, string[]>;
  unknownSuffixTopics: Map<string, string[]>;
  /** Topics of another cluster's suffix that nothing writes here. */
  orphanTopics: Map<string, string[]>;
  /** For flow classes with cycles: their live topics per cluster. */
  liveOfCycleClass: Map<FlowClass, Map<string, string[]>>;
}

/** Who writes a topic into a cluster, and the chain it came by. */
interface WriterChain {
  /** Refs of the writers, sorted. */
  writers: string[];
  /** Chain of the first writer, from the home cluster. */
  via: string[];
  home?: string;
}

/** A flow class seen from one cluster. */
interface ClusterView {
  homes: string[];
  isHome: boolean;
  incoming: FlowEdge[];
  /** Live topics of each incoming deployment's source; undefined when unknown. */
  sourceSets: (Set<string> | undefined)[];
  outgoing: FlowEdge[];
  copiedBy?: string[];
  /** The chain when every incoming deployment's source holds the topic. */
  fullChain?: WriterChain;
  /** Live statistics of the class's suffix on this cluster. */
  stat?: SuffixLiveStat;
}

function writerChain(
  flowClass: FlowClass,
  writers: FlowEdge[],
  cluster: string,
): WriterChain {
  const first = writers[0];
  const fromHome = flowClass.homes.includes(first.source);
  const step = fromHome ? undefined : flowClass.reach.get(first.source);
  let home: string | undefined;
  if (flowClass.homes.includes(cluster)) home = cluster;
  else if (fromHome) home = first.source;
  else home = step?.origin ?? flowClass.homes[0];
  return {
    writers: writers.map(edge => edge.ref),
    via: [...(step?.via ?? []), first.ref],
    ...(home !== undefined ? { home } : {}),
  };
}

function viewOf(
  flowClass: FlowClass,
  cluster: string,
  live: LiveState,
  result: LiveAnalysis,
): ClusterView {
  const incoming = flowClass.inByTarget.get(cluster) ?? [];
  const outgoing = flowClass.outBySource.get(cluster) ?? [];
  const view: ClusterView = {
    homes: flowClass.homes,
    isHome: flowClass.homes.includes(cluster),
    incoming,
    sourceSets: incoming.map(edge => live.sets.get(edge.source)),
    outgoing,
  };
  if (outgoing.length > 0) view.copiedBy = outgoing.map(edge => edge.ref);
  if (incoming.length > 0) {
    view.fullChain = writerChain(flowClass, incoming, cluster);
  }
  if (flowClass.homeSuffix !== undefined) {
    view.stat = statOf(result, flowClass.homeSuffix, cluster);
  }
  return view;
}

/**
 * Classifies every live topic of every readable cluster (see `TopicClass`)
 * and gathers what the suffix map and the findings need. A source whose
 * topics are unknown (no listing, or unreachable) is assumed to hold every
 * topic, so nothing is reported from guesses.
 */
export function analyseLiveTopics(
  live: LiveState,
  flows: FlowClasses,
  flowEdges: FlowEdge[],
): LiveAnalysis {
  const result: LiveAnalysis = {
    topics: {},
    replicatedBy: new Map(),
    suffixLive: new Map(),
    missing: new Map(),
    missingByWriter: new Map(),
    conflicts: new Map(),
    ownSuffixTopics: new Map(),
    unknownSuffixTopics: new Map(),
    orphanTopics: new Map(),
    liveOfCycleClass: new Map(),
  };
  for (const edge of flowEdges) {
    if (live.lists.has(edge.source)) result.replicatedBy.set(edge, []);
  }
  for (const [cluster, list] of live.lists) {
    result.topics[cluster] = classifyCluster(
      cluster,
      list,
      live,
      flows,
      result,
    );
  }
  return result;
}

function holds(live: LiveState, cluster: string, topic: string): boolean {
  const set = live.sets.get(cluster);
  return set ? set.has(topic) : true;
}

function statOf(
  result: LiveAnalysis,
  suffix: string,
  cluster: string,
): SuffixLiveStat {
  let byCluster = result.suffixLive.get(suffix);
  if (!byCluster) {
    byCluster = new Map();
    result.suffixLive.set(suffix, byCluster);
  }
  let stat = byCluster.get(cluster);
  if (!stat) {
    stat = { count: 0, replicated: 0, writers: new Set() };
    byCluster.set(cluster, stat);
  }
  return stat;
}

/** One cluster's listing; kept small and separate so it is optimized early. */
function classifyCluster(
  cluster: string,
  list: string[],
  live: LiveState,
  flows: FlowClasses,
  result: LiveAnalysis,
): TopicClassification[] {
  const {
    replicatedBy,
    conflicts,
    ownSuffixTopics,
    unknownSuffixTopics,
    orphanTopics,
    liveOfCycleClass,
  } = result;
  const classified: TopicClassification[] = [];
  // What one flow class looks like from this cluster: the same for every
  // topic of the class, so computed once.
  const views = new Map<FlowClass, ClusterView>();
  for (const topic of list) {
    const flowClass = flows.classOfTopic(topic);
    let view = views.get(flowClass);
    if (!view) {
      view = viewOf(flowClass, cluster, live, result);
      views.set(flowClass, view);
    }
    const { homes, isHome, incoming, outgoing, sourceSets } = view;
    let writers = incoming;
    let chain: WriterChain | undefined = view.fullChain;
    for (let i = 0; i < incoming.length; i++) {
      const set = sourceSets[i];
      if (set !== undefined && !set.has(topic)) {
        writers = incoming.filter(edge => holds(live, edge.source, topic));
        chain =
          writers.length > 0
            ? writerChain(flowClass, writers, cluster)
            : undefined;
        break;
      }
    }
    for (const edge of outgoing) replicatedBy.get(edge)?.push(topic);

    let topicClass: TopicClass;
    if (writers.length >= 2 || (isHome && writers.length >= 1)) {
      topicClass = 'conflicting';
    } else if (homes.length === 0) {
      topicClass = 'unknown-suffix';
    } else if (writers.length === 1) {
      topicClass = 'replica';
    } else if (isHome && outgoing.length > 0) {
      topicClass = 'local-origin';
    } else {
      topicClass = 'unreplicated';
    }

    const entry: TopicClassification = { topic, class: topicClass };
    if (chain) {
      if (chain.home !== undefined) entry.home = chain.home;
      entry.via = chain.via;
      entry.writers = chain.writers;
    } else if (homes.length > 0) {
      entry.home = isHome ? cluster : homes[0];
    }
    if (view.copiedBy) entry.copiedBy = view.copiedBy;
    classified.push(entry);

    const stat = view.stat;
    if (stat) {
      stat.count++;
      if (chain && !isHome) {
        stat.replicated++;
        for (const ref of chain.writers) stat.writers.add(ref);
        stat.via ??= chain.via;
      }
    }
    if (writers.length >= 2) {
      const refs = chain!.writers;
      const key = `${cluster}\u0000${refs.join(',')}`;
      const conflict = conflicts.get(key);
      if (conflict) conflict.topics.push(topic);
      else
        conflicts.set(key, {
          cluster,
          refs,
          suffixes: [],
          topics: [topic],
          examples: [],
        });
    }
    if (isHome) {
      for (const edge of writers) push(ownSuffixTopics, edge, topic);
      recordMissingCopies(topic, cluster, flowClass, live, result);
    }
    if (topicClass === 'unknown-suffix') {
      push(unknownSuffixTopics, cluster, topic);
    } else if (topicClass === 'unreplicated' && !isHome) {
      push(orphanTopics, cluster, topic);
    }
    if (flowClass.cycles.length > 0) {
      let byCluster = liveOfCycleClass.get(flowClass);
      if (!byCluster) {
        byCluster = new Map();
        liveOfCycleClass.set(flowClass, byCluster);
      }
      push(byCluster, cluster, topic);
    }
  }
  return classified;
}

/** Copies the flow from `home` expects of one of its topics but that a readable cluster lacks. */
function recordMissingCopies(
  topic: string,
  home: string,
  flowClass: FlowClass,
  live: LiveState,
  result: LiveAnalysis,
): void {
  for (const step of flowClass.reachSteps) {
    const reached = step.cluster;
    const there = live.sets.get(reached);
    if (!there || there.has(topic)) continue;
    if (step.origin !== home && !holds(live, step.origin, topic)) continue;
    const suffix = flowClass.homeSuffix!;
    let byCluster = result.missing.get(suffix);
    if (!byCluster) {
      byCluster = new Map();
      result.missing.set(suffix, byCluster);
    }
    const missingHere = byCluster.get(reached);
    if (missingHere) missingHere.topics.push(topic);
    else byCluster.set(reached, { step, topics: [topic] });
    const ref = step.via[step.via.length - 1];
    const key = `${reached}\u0000${ref}`;
    const group = result.missingByWriter.get(key);
    if (group) group.topics.push(topic);
    else {
      result.missingByWriter.set(key, {
        cluster: reached,
        ref,
        via: step.via,
        topics: [topic],
      });
    }
  }
}
