import { topicSuffix } from '../topics/names';
import { lastDotSuffix, MatchCache, TopicMatcher } from './matchers';
import { compare, push } from './util';

/** A deployment that takes part in the flow analysis (known, distinct clusters; a valid pattern). */
export interface FlowEdge {
  ref: string;
  source: string;
  target: string;
  matcher: TopicMatcher;
}

/** How one topic name reaches one cluster from its home. */
export interface ReachStep {
  cluster: string;
  hops: number;
  /** Refs of the shortest chain, from the home cluster. */
  via: string[];
  /** The home cluster the chain starts at. */
  origin: string;
  /** Refs of the matching deployments into this cluster whose source holds the topic, sorted. */
  writers: string[];
}

/** A set of clusters that topics of a flow class go round and round. */
export interface FlowCycle {
  /** Sorted. */
  clusters: string[];
  /** Refs of the matching deployments between those clusters, sorted. */
  edges: string[];
  /** One shortest way round, first cluster repeated at the end: [dc1, dc2, dc1]. */
  path: string[];
  /** Whether topics produced on a home cluster get into the cycle. */
  fedByHome: boolean;
}

/**
 * Every topic name that the deployments treat alike: same home suffix,
 * same deployments matching. The flow is computed once per class from a
 * representative name.
 */
export interface FlowClass {
  key: string;
  homeSuffix?: string;
  /** Clusters owning the home suffix, sorted. */
  homes: string[];
  /** Matching deployments, sorted by ref. */
  matching: FlowEdge[];
  inByTarget: Map<string, FlowEdge[]>;
  outBySource: Map<string, FlowEdge[]>;
  /** Clusters reached from the homes (homes themselves excluded). */
  reach: Map<string, ReachStep>;
  /** The same steps, in the order they were found. */
  reachSteps: ReachStep[];
  cycles: FlowCycle[];
}

/**
 * Computes flow classes, memoized by a key that captures everything the
 * deployments look at in a name: its home suffix, the text after its last
 * dot (all the fast-path matchers read), whether it is one of the names
 * some matcher lists explicitly (those get a class of their own), and the
 * answers of the few matchers that need RE2.
 */
export class FlowClasses {
  private readonly classes = new Map<string, FlowClass>();
  private readonly byTopic = new Map<string, FlowClass>();
  private readonly exceptions = new Set<string>();
  /** Matchers that need RE2 whatever the name's suffix. */
  private readonly unfiltered: TopicMatcher[] = [];
  /** Matchers that need RE2 only for names ending in one of their suffixes. */
  private readonly filtered = new Map<string, TopicMatcher[]>();

  constructor(
    /** Valid edges, sorted by ref. */
    private readonly edges: FlowEdge[],
    private readonly homesBySuffix: Map<string, string[]>,
    private readonly cache: MatchCache,
  ) {
    const slowKeys = new Set<string>();
    for (const edge of edges) {
      const matcher = edge.matcher;
      for (const name of matcher.exceptions) this.exceptions.add(name);
      if (matcher.exact || slowKeys.has(matcher.key)) continue;
      slowKeys.add(matcher.key);
      if (matcher.suffixes) {
        for (const suffix of matcher.suffixes) {
          push(this.filtered, suffix, matcher);
        }
      } else {
        this.unfiltered.push(matcher);
      }
    }
  }

  /** All classes computed so far, in creation order. */
  all(): FlowClass[] {
    return [...this.classes.values()];
  }

  /**
   * The class of a real topic name (its home suffix is its `topicSuffix`),
   * memoized by name: the same name is asked about on every cluster that
   * holds a copy.
   */
  classOfTopic(name: string): FlowClass {
    let flowClass = this.byTopic.get(name);
    if (!flowClass) {
      flowClass = this.classOf(name, topicSuffix(name));
      this.byTopic.set(name, flowClass);
    }
    return flowClass;
  }

  /** The class of a name whose home suffix is `homeSuffix` (for probe names). */
  classOf(name: string, homeSuffix: string | undefined): FlowClass {
    const home = homeSuffix === undefined ? '\u0001' : homeSuffix;
    let key: string;
    if (this.exceptions.has(name)) {
      key = `x\u0000${home}\u0000${name}`;
    } else {
      const raw = lastDotSuffix(name);
      let bits = '';
      for (const matcher of this.unfiltered) {
        bits += this.cache.matches(matcher, name) ? '1' : '0';
      }
      if (raw !== undefined) {
        bits += '|';
        for (const matcher of this.filtered.get(raw) ?? []) {
          bits += this.cache.matches(matcher, name) ? '1' : '0';
        }
      }
      key = `p\u0000${home}\u0000${
        raw === undefined ? '\u0001' : raw
      }\u0000${bits}`;
    }
    let flowClass = this.classes.get(key);
    if (!flowClass) {
      flowClass = this.compute(key, name, homeSuffix);
      this.classes.set(key, flowClass);
    }
    return flowClass;
  }

  private compute(
    key: string,
    name: string,
    homeSuffix: string | undefined,
  ): FlowClass {
    const homes =
      homeSuffix === undefined ? [] : this.homesBySuffix.get(homeSuffix) ?? [];
    const matching = this.edges.filter(edge =>
      this.cache.matches(edge.matcher, name),
    );
    const inByTarget = new Map<string, FlowEdge[]>();
    const outBySource = new Map<string, FlowEdge[]>();
    for (const edge of matching) {
      push(inByTarget, edge.target, edge);
      push(outBySource, edge.source, edge);
    }
    const reach = breadthFirst(homes, outBySource, inByTarget);
    const cycles = findCycles(matching, outBySource).map(scc => ({
      ...scc,
      fedByHome: scc.clusters.some(c => homes.includes(c) || reach.has(c)),
    }));
    return {
      key,
      homeSuffix,
      homes,
      matching,
      inByTarget,
      outBySource,
      reach,
      reachSteps: [...reach.values()],
      cycles,
    };
  }
}

/**
 * Shortest chains from the homes. Clusters are visited in order of hops,
 * then in the order they were found, and edges in ref order, so ties are
 * broken the same way on every run.
 */
function breadthFirst(
  homes: string[],
  outBySource: Map<string, FlowEdge[]>,
  inByTarget: Map<string, FlowEdge[]>,
): Map<string, ReachStep> {
  const reach = new Map<string, ReachStep>();
  const homeSet = new Set(homes);
  const queue: { cluster: string; via: string[]; origin: string }[] = homes.map(
    home => ({ cluster: home, via: [], origin: home }),
  );
  for (let i = 0; i < queue.length; i++) {
    const { cluster, via, origin } = queue[i];
    for (const edge of outBySource.get(cluster) ?? []) {
      if (homeSet.has(edge.target) || reach.has(edge.target)) continue;
      const step: ReachStep = {
        cluster: edge.target,
        hops: via.length + 1,
        via: [...via, edge.ref],
        origin,
        writers: [],
      };
      reach.set(edge.target, step);
      queue.push({ cluster: edge.target, via: step.via, origin });
    }
  }
  for (const [cluster, step] of reach) {
    step.writers = (inByTarget.get(cluster) ?? [])
      .filter(edge => homeSet.has(edge.source) || reach.has(edge.source))
      .map(edge => edge.ref);
  }
  return reach;
}

/** Strongly connected components with more than one cluster (Tarjan). */
function findCycles(
  matching: FlowEdge[],
  outBySource: Map<string, FlowEdge[]>,
): { clusters: string[]; edges: string[]; path: string[] }[] {
  const nodes = [...new Set(matching.map(edge => edge.source))].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const edge of outBySource.get(node) ?? []) {
      const next = edge.target;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of nodes) {
    if (!index.has(node)) visit(node);
  }

  return components
    .map(clusters => {
      const members = new Set(clusters);
      const edges = matching
        .filter(edge => members.has(edge.source) && members.has(edge.target))
        .map(edge => edge.ref);
      return {
        clusters,
        edges,
        path: shortestCycle(clusters[0], members, outBySource),
      };
    })
    .sort((a, b) => compare(a.clusters.join(','), b.clusters.join(',')));
}

/** The shortest way round from `start` back to it inside a component, e.g. [dc1, dc2, dc1]. */
function shortestCycle(
  start: string,
  members: Set<string>,
  outBySource: Map<string, FlowEdge[]>,
): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const edge of outBySource.get(node) ?? []) {
      if (!members.has(edge.target)) continue;
      if (edge.target === start) {
        const path: string[] = [];
        for (let at = node; at !== start; at = parent.get(at)!) path.push(at);
        return [start, ...path.reverse(), start];
      }
      if (!parent.has(edge.target)) {
        parent.set(edge.target, node);
        queue.push(edge.target);
      }
    }
  }
  return [start];
}
