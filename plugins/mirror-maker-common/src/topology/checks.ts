import { KafkaClusterConfig } from '../kind/clusters';
import { topicSuffix } from '../topics/names';
import { FlowClass, FlowEdge } from './flows';
import { FindingList, listSome, plural, suffixList } from './findings';
import { LiveState, Prepared } from './inputs';
import { Conflict, LiveAnalysis } from './live';
import { SuffixMapRow } from './types';
import { compare, sortedUnique } from './util';

/** Clusters that share a topic suffix. */
export function addSharedSuffixFindings(
  homesBySuffix: Map<string, string[]>,
  findings: FindingList,
): void {
  for (const [suffix, homes] of homesBySuffix) {
    if (homes.length > 1) {
      findings.add({
        kind: 'shared-suffix',
        severity: 'warning',
        key: suffix,
        message: `Clusters ${listSome(
          homes,
        )} all use topic suffix "${suffix}": topics ending in .${suffix} cannot be told apart by where they were produced, and a deployment between these clusters copies one home's topics into another. Fix: give each cluster its own topicSuffix under mirrorMaker.clusters.`,
        clusters: homes,
      });
    }
  }
}

/**
 * Two or more deployments writing the same topics into one cluster: by
 * pattern (probe names), by named topic, and by live topic (gathered in
 * `conflicts` already).
 */
export function addDuplicateWriterFindings(args: {
  conflicts: Map<string, Conflict>;
  suffixes: string[];
  probeClasses: Map<string, FlowClass>;
  namedTopics: string[];
  namedClasses: Map<string, FlowClass>;
  examplesOfClass: Map<FlowClass, string[]>;
  findings: FindingList;
}): void {
  const {
    suffixes,
    probeClasses,
    namedTopics,
    namedClasses,
    examplesOfClass,
    findings,
  } = args;
  const conflicts = new Map<string, Conflict>();
  for (const [key, conflict] of args.conflicts) {
    conflicts.set(key, {
      ...conflict,
      suffixes: [...conflict.suffixes],
      topics: [...conflict.topics],
      examples: [...conflict.examples],
    });
  }
  const conflictAt = (cluster: string, refs: string[]): Conflict => {
    const key = `${cluster}\u0000${refs.join(',')}`;
    let conflict = conflicts.get(key);
    if (!conflict) {
      conflict = { cluster, refs, suffixes: [], topics: [], examples: [] };
      conflicts.set(key, conflict);
    }
    return conflict;
  };
  for (const suffix of suffixes) {
    for (const [cluster, step] of probeClasses.get(suffix)!.reach) {
      if (step.writers.length >= 2) {
        conflictAt(cluster, step.writers).suffixes.push(suffix);
      }
    }
  }
  for (const name of namedTopics) {
    for (const [cluster, step] of namedClasses.get(name)!.reach) {
      if (step.writers.length >= 2) {
        conflictAt(cluster, step.writers).topics.push(name);
      }
    }
  }
  for (const [flowClass, examples] of examplesOfClass) {
    for (const [cluster, step] of flowClass.reach) {
      if (step.writers.length >= 2) {
        conflictAt(cluster, step.writers).examples.push(...examples);
      }
    }
  }
  for (const conflict of conflicts.values()) {
    const conflictSuffixes = sortedUnique(conflict.suffixes);
    const conflictTopics = sortedUnique(conflict.topics);
    const what = describeTopics(
      conflictSuffixes,
      conflictTopics,
      sortedUnique(conflict.examples),
    ).text;
    const n = conflict.refs.length;
    findings.add({
      kind: 'duplicate-writers',
      severity: 'error',
      key: `${conflict.cluster}:${conflict.refs.join(',')}`,
      message: `${
        conflict.cluster
      } receives ${what} from ${n} deployments (${listSome(
        conflict.refs,
        n,
      )}): each writes its own copy, so consumers on ${
        conflict.cluster
      } read every record ${
        n === 2 ? 'twice' : `${n} times`
      }, with no order between the copies. Fix: keep one route into ${
        conflict.cluster
      } and remove these topics from all but one of the deployments.`,
      deployments: conflict.refs,
      clusters: [conflict.cluster],
      topics: conflictTopics,
    });
  }
}

/** A deployment that writes topics of its target's own suffix. */
export function addTargetOwnSuffixFindings(args: {
  prepared: Prepared[];
  carriedBy: Map<FlowEdge, string[]>;
  ownSuffixExamples: Map<FlowEdge, string[]>;
  ownSuffixTopics: Map<FlowEdge, string[]>;
  findings: FindingList;
}): void {
  const { prepared, carriedBy, ownSuffixExamples, ownSuffixTopics, findings } =
    args;
  for (const p of prepared) {
    const flow = p.flow;
    if (!flow) continue;
    const source = p.sourceCluster!;
    const target = p.targetCluster!;
    const own = target.topicSuffix;
    const byPattern = (carriedBy.get(flow) ?? []).includes(own);
    const named = (flow.matcher.effective?.names ?? []).filter(
      name => topicSuffix(name) === own,
    );
    const liveTopics = ownSuffixTopics.get(flow) ?? [];
    const examples = byPattern ? [] : ownSuffixExamples.get(flow) ?? [];
    if (
      !byPattern &&
      named.length === 0 &&
      liveTopics.length === 0 &&
      examples.length === 0
    ) {
      continue;
    }
    const what = byPattern
      ? `every topic ending in .${own}`
      : describeTopics([], sortedUnique([...named, ...liveTopics]), examples)
          .text;
    let fix = `remove the topics ending in .${own} from its topics`;
    if (byPattern || examples.length > 0) {
      fix = `restrict its topics to ${source.name}'s suffix (topics.suffix: ${source.topicSuffix}) or add exclude: .*\\.${own}`;
    }
    findings.add({
      kind: 'target-own-suffix',
      severity: 'error',
      key: flow.ref,
      message: `${flow.ref} copies ${what} from ${source.name} into ${
        target.name
      }, but .${own} is ${target.name}'s own suffix: topics produced on ${
        target.name
      } that reach ${source.name} are copied back into ${
        target.name
      } (a loop in waiting), and its producers and this deployment write the same topics${
        liveTopics.length > 0 ? ` (live now: ${listSome(liveTopics)})` : ''
      }. Fix: ${fix}.`,
      deployments: [flow.ref],
      clusters: [source.name, target.name],
      topics: [...named, ...liveTopics],
    });
  }
}

/** Suffixes of a cluster that no deployment carries anywhere. */
export function addUnreplicatedSuffixFindings(
  suffixMap: SuffixMapRow[],
  flowEdges: FlowEdge[],
  live: LiveState,
  findings: FindingList,
): void {
  for (const row of suffixMap) {
    if (row.homes.length === 0 || row.reaches.length > 0) continue;
    const homes = row.homes.map(home => home.cluster);
    const replicatesOther = homes.some(home =>
      flowEdges.some(edge => edge.source === home),
    );
    const homeTopics = homes.flatMap(home =>
      (live.lists.get(home) ?? []).filter(
        topic => topicSuffix(topic) === row.suffix,
      ),
    );
    findings.add({
      kind: 'unreplicated-suffix',
      severity: replicatesOther ? 'warning' : 'info',
      key: row.suffix,
      message: `Topics ending in .${row.suffix} (produced on ${listSome(
        homes,
      )}) are not replicated anywhere: no deployment's topics match them${
        homeTopics.length > 0
          ? ` (${plural(homeTopics.length, 'live topic')})`
          : ''
      }.${
        replicatesOther
          ? ` ${listSome(
              homes,
            )} has outbound deployments, but none of them carries its own suffix.`
          : ''
      } Fix: if other data centres need this data, add a deployment from ${
        homes[0]
      } into each of them with topics.suffix: ${row.suffix}.`,
      deployments: replicatesOther
        ? flowEdges
            .filter(edge => homes.includes(edge.source))
            .map(edge => edge.ref)
        : [],
      clusters: homes,
      topics: homeTopics,
    });
  }
}

/** Findings that only live topic listings can show. */
export function addLiveTopicFindings(args: {
  analysis: LiveAnalysis;
  clusterByName: Map<string, KafkaClusterConfig>;
  homesBySuffix: Map<string, string[]>;
  prepared: Prepared[];
  live: LiveState;
  findings: FindingList;
}): void {
  const { analysis, clusterByName, homesBySuffix, prepared, live, findings } =
    args;
  const { unknownSuffixTopics, orphanTopics, missingByWriter } = analysis;
  for (const [cluster, list] of unknownSuffixTopics) {
    const own = clusterByName.get(cluster)!.topicSuffix;
    findings.add({
      kind: 'unknown-suffix-topic',
      severity: 'warning',
      key: cluster,
      message: `${cluster} holds ${plural(
        list.length,
        'topic',
      )} whose name ends in no cluster's suffix (${listSome(
        list,
      )}): suffix rules cannot tell where they come from, so only a pattern or an explicit name replicates them. Fix: rename them with the suffix of the data centre that produces them (e.g. <name>.${own}), or configure the cluster that owns their suffix under mirrorMaker.clusters.`,
      clusters: [cluster],
      topics: list,
    });
  }
  for (const [cluster, list] of orphanTopics) {
    const homes = sortedUnique(
      list.flatMap(topic => homesBySuffix.get(topicSuffix(topic)!) ?? []),
    );
    findings.add({
      kind: 'orphan-topic',
      severity: 'warning',
      key: cluster,
      message: `${cluster} holds ${plural(
        list.length,
        'topic',
      )} of another data centre's suffix that no deployment writes (${listSome(
        list,
      )}; home ${listSome(
        homes,
      )}): they are stale copies of a removed or narrowed deployment, or a producer in ${cluster} uses another data centre's suffix. Fix: replicate them into ${cluster} with a deployment from their home cluster, or delete them from ${cluster}.`,
      clusters: [cluster, ...homes],
      topics: list,
    });
  }
  for (const group of missingByWriter.values()) {
    findings.add({
      kind: 'missing-replica',
      severity: 'warning',
      key: `${group.cluster}:${group.ref}`,
      message: `${plural(group.topics.length, 'topic')} that ${
        group.ref
      } should copy into ${group.cluster} ${
        group.topics.length === 1 ? 'does' : 'do'
      } not exist there (${listSome(group.topics)}): MirrorMaker cannot write ${
        group.topics.length === 1 ? 'it' : 'them'
      }, so records are dropped or the process stops. Fix: create ${
        group.topics.length === 1 ? 'it' : 'them'
      } on ${
        group.cluster
      } (a deploy creates destination topics before it starts MirrorMaker), and check that ${listSome(
        group.via,
      )} ${group.via.length === 1 ? 'is' : 'are'} running.`,
      deployments: group.via,
      clusters: [group.cluster],
      topics: group.topics,
    });
  }
  for (const p of prepared) {
    if (!p.flow || !p.replicated || p.replicated.length > 0) continue;
    const count = live.lists.get(p.edge.source)!.length;
    findings.add({
      kind: 'idle-deployment',
      severity: 'info',
      key: p.edge.ref,
      message: `${p.edge.ref} matches none of the ${plural(
        count,
        'topic',
      )} on ${p.edge.source}, so it copies nothing into ${
        p.edge.target
      }. Fix: check its topics (--include ${
        p.edge.include || '(empty)'
      }) against the topic names on ${
        p.edge.source
      }, or remove the deployment.`,
      deployments: [p.edge.ref],
      clusters: [p.edge.source, p.edge.target],
    });
  }
}

interface LoopGroup {
  clusters: Set<string>;
  edges: Set<string>;
  path: string[];
  suffixes: Set<string>;
  topics: Set<string>;
  examples: Set<string>;
  error: boolean;
}

/**
 * `every topic ending in .dc1 and topics a and b`, or, for patterns
 * without a suffix, `topics such as orders.dc1`.
 */
function describeTopics(
  suffixes: string[],
  topics: string[],
  examples: string[],
  everyTopic = 'every topic',
): { text: string; plural: boolean } {
  // Topics of a listed suffix are already covered by it.
  const covered = new Set(suffixes);
  const uncovered = (name: string) => {
    const suffix = topicSuffix(name);
    return suffix === undefined || !covered.has(suffix);
  };
  const others = topics.filter(uncovered);
  const listed = new Set(topics);
  const instances = examples.filter(
    name => uncovered(name) && !listed.has(name),
  );
  const parts: string[] = [];
  if (suffixes.length > 0) {
    parts.push(`${everyTopic} ending in ${suffixList(suffixes)}`);
  }
  if (others.length > 0) {
    parts.push(
      `${others.length === 1 ? 'topic' : 'topics'} ${listSome(others)}`,
    );
  }
  if (instances.length > 0) {
    parts.push(`topics such as ${listSome(instances, 3)}`);
  }
  return {
    text: parts.join(' and '),
    plural:
      parts.length > 1 ||
      suffixes.length > 0 ||
      others.length > 1 ||
      instances.length > 0,
  };
}

/**
 * One finding per set of clusters that topics go round, naming every
 * deployment involved and merging every suffix and topic that loops. A loop that topics from a home
 * cluster (or live topics) get into is an error; one nothing feeds yet is
 * a warning.
 */
export function addLoopFindings(args: {
  classes: FlowClass[];
  probeSuffixesOfClass: Map<FlowClass, string[]>;
  namesOfClass: Map<FlowClass, string[]>;
  examplesOfClass: Map<FlowClass, string[]>;
  liveOfCycleClass: Map<FlowClass, Map<string, string[]>>;
  findings: FindingList;
}): void {
  const {
    classes,
    probeSuffixesOfClass,
    namesOfClass,
    examplesOfClass,
    liveOfCycleClass,
    findings,
  } = args;
  const groups = new Map<string, LoopGroup>();
  for (const flowClass of classes) {
    for (const cycle of flowClass.cycles) {
      const classSuffixes = probeSuffixesOfClass.get(flowClass) ?? [];
      const names = namesOfClass.get(flowClass) ?? [];
      const examples = examplesOfClass.get(flowClass) ?? [];
      const liveByCluster = liveOfCycleClass.get(flowClass);
      const liveTopics: string[] = [];
      for (const [cluster, list] of liveByCluster ?? []) {
        if (cycle.fedByHome || cycle.clusters.includes(cluster)) {
          liveTopics.push(...list);
        }
      }
      if (
        classSuffixes.length === 0 &&
        names.length === 0 &&
        examples.length === 0 &&
        liveTopics.length === 0
      ) {
        continue;
      }
      // One finding per set of clusters, naming every deployment that
      // takes part for some topic.
      const key = cycle.clusters.join(',');
      let group = groups.get(key);
      if (!group) {
        group = {
          clusters: new Set(),
          edges: new Set(),
          path: cycle.path,
          suffixes: new Set(),
          topics: new Set(),
          examples: new Set(),
          error: false,
        };
        groups.set(key, group);
      }
      cycle.clusters.forEach(c => group!.clusters.add(c));
      cycle.edges.forEach(e => group!.edges.add(e));
      classSuffixes.forEach(s => group!.suffixes.add(s));
      names.forEach(n => group!.topics.add(n));
      examples.forEach(n => group!.examples.add(n));
      liveTopics.forEach(t => group!.topics.add(t));
      const liveOnCycle =
        liveByCluster !== undefined &&
        cycle.clusters.some(c => liveByCluster.has(c));
      if (cycle.fedByHome || liveOnCycle) group.error = true;
    }
  }
  for (const [key, group] of groups) {
    const loopSuffixes = [...group.suffixes].sort(compare);
    const loopTopics = [...group.topics].sort(compare);
    const described = describeTopics(
      loopSuffixes,
      loopTopics,
      [...group.examples].sort(compare),
      'topics',
    );
    const what = described.text;
    const go = described.plural ? 'go' : 'goes';
    const route = group.path.join(' -> ');
    const edges = [...group.edges].sort(compare);
    const through = listSome(edges, edges.length);
    const comeBack = described.plural
      ? 'come back to the cluster they left'
      : 'comes back to the cluster it left';
    const message = group.error
      ? `Replication loop through ${through}: ${what} ${go} round ${route} and ${comeBack}; MirrorMaker keeps topic names, so every record is copied again on each round, forever. Fix: let each of these deployments match only its source cluster's own suffix (topics.suffix), so no topic can be copied back.`
      : `Latent replication loop through ${through}: nothing feeds ${what} into ${route} yet, but one produced on any of these clusters would go round forever, since MirrorMaker keeps topic names. Fix: let each of these deployments match only its source cluster's own suffix (topics.suffix).`;
    findings.add({
      kind: 'replication-loop',
      severity: group.error ? 'error' : 'warning',
      key,
      message,
      deployments: edges,
      clusters: group.clusters,
      topics: loopTopics,
    });
  }
}
