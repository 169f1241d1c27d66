import { KafkaClusterConfig } from '../kind/clusters';
import { topicSuffix } from '../topics/names';
import {
  addDuplicateWriterFindings,
  addLiveTopicFindings,
  addLoopFindings,
  addSharedSuffixFindings,
  addTargetOwnSuffixFindings,
  addUnreplicatedSuffixFindings,
} from './checks';
import { exampleCandidates } from './examples';
import { FindingList } from './findings';
import { FlowClass, FlowClasses, FlowEdge } from './flows';
import { prepareDeployments, probeTopicName, readLiveTopics } from './inputs';
import { analyseLiveTopics } from './live';
import { MatchCache } from './matchers';
import { buildSuffixMap } from './suffixMap';
import {
  TopicClassification,
  Topology,
  TopologyDataCentre,
  TopologyDataCentreFlow,
  TopologyInput,
  TopologyNode,
} from './types';
import { compare, push, sortedUnique } from './util';

/**
 * Builds the replication topology of a set of clusters and MirrorMaker
 * deployments: data centres, flows, the suffix map, findings and (given
 * live topic listings) the class of every live topic. Pure and
 * deterministic: the same input gives the same output, in sorted order.
 *
 * Topic names flow along deployments unchanged (MirrorMaker 1 keeps
 * names), so every name is followed through the deployments whose
 * effective topics match it. Names the deployments treat alike share one
 * flow class, computed once (see `FlowClasses`), which keeps the cost
 * near one pass over the live listings.
 */
export function buildTopology(input: TopologyInput): Topology {
  const findings = new FindingList();

  const clusterByName = new Map<string, KafkaClusterConfig>();
  for (const cluster of [...input.clusters].sort((a, b) =>
    compare(a.name, b.name),
  )) {
    if (!clusterByName.has(cluster.name)) {
      clusterByName.set(cluster.name, cluster);
    }
  }
  const clusters = [...clusterByName.values()];
  const homesBySuffix = new Map<string, string[]>();
  for (const cluster of clusters) {
    push(homesBySuffix, cluster.topicSuffix, cluster.name);
  }
  const dataCentreOf = (name: string): string =>
    clusterByName.get(name)?.dataCentre ?? '';

  const live = readLiveTopics(input.liveTopics, clusterByName, findings);
  const prepared = prepareDeployments(
    input.deployments,
    clusterByName,
    findings,
  );
  const flowEdges = prepared.flatMap(p => (p.flow ? [p.flow] : []));
  const cache = new MatchCache();
  const flows = new FlowClasses(flowEdges, homesBySuffix, cache);
  addSharedSuffixFindings(homesBySuffix, findings);

  const analysis = analyseLiveTopics(live, flows, flowEdges);

  // Suffix rows: every cluster's suffix, plus unowned suffixes of live topics.
  const rowSuffixes = new Set(homesBySuffix.keys());
  for (const flowClass of flows.all()) {
    if (flowClass.homeSuffix !== undefined) {
      rowSuffixes.add(flowClass.homeSuffix);
    }
  }
  const suffixes = [...rowSuffixes].sort(compare);

  const probeClasses = new Map<string, FlowClass>();
  const probeSuffixesOfClass = new Map<FlowClass, string[]>();
  // Suffixes whose every topic a deployment copies, in suffix order.
  const carriedBy = new Map<FlowEdge, string[]>();
  for (const suffix of suffixes) {
    const flowClass = flows.classOf(probeTopicName(suffix), suffix);
    probeClasses.set(suffix, flowClass);
    push(probeSuffixesOfClass, flowClass, suffix);
    for (const edge of flowClass.matching) push(carriedBy, edge, suffix);
  }

  const namedTopics = sortedUnique(
    flowEdges.flatMap(edge => edge.matcher.effective?.names ?? []),
  );
  const namedClasses = new Map<string, FlowClass>();
  const namesOfClass = new Map<FlowClass, string[]>();
  for (const name of namedTopics) {
    const flowClass = flows.classOfTopic(name);
    namedClasses.set(name, flowClass);
    push(namesOfClass, flowClass, name);
  }

  // Patterns that carry no suffix (`orders\..*`) are followed through
  // example names they match, one per flow class.
  const examplesOfClass = new Map<FlowClass, string[]>();
  const seenPatterns = new Set<string>();
  for (const edge of flowEdges) {
    const matcher = edge.matcher;
    if (matcher.suffixes || matcher.pattern === undefined) continue;
    if (seenPatterns.has(matcher.key)) continue;
    seenPatterns.add(matcher.key);
    for (const name of exampleCandidates(matcher.pattern, suffixes)) {
      if (!cache.matches(matcher, name)) continue;
      const flowClass = flows.classOfTopic(name);
      // Only names some cluster would produce say where topics start.
      if (flowClass.homes.length === 0) continue;
      if (!examplesOfClass.has(flowClass)) {
        examplesOfClass.set(flowClass, [name]);
      }
    }
  }

  // Example names of the target's own suffix that a deployment copies.
  const ownSuffixExamples = new Map<FlowEdge, string[]>();
  for (const p of prepared) {
    const { flow, targetCluster } = p;
    if (!flow || !targetCluster || flow.matcher.pattern === undefined) continue;
    if (flow.matcher.suffixes) continue;
    const own = targetCluster.topicSuffix;
    const examples = exampleCandidates(flow.matcher.pattern, [own]).filter(
      name => topicSuffix(name) === own && cache.matches(flow.matcher, name),
    );
    if (examples.length > 0) ownSuffixExamples.set(flow, examples.slice(0, 1));
  }

  // What each deployment carries by pattern and copies of the live topics.
  for (const p of prepared) {
    const { edge, flow, matcher } = p;
    if (flow) {
      edge.carries = carriedBy.get(flow) ?? [];
      const replicated = analysis.replicatedBy.get(flow);
      if (replicated) p.replicated = replicated;
    } else if (matcher.error === undefined) {
      edge.carries = suffixes.filter(suffix =>
        cache.matches(matcher, probeTopicName(suffix)),
      );
      const sourceTopics = live.lists.get(edge.source);
      if (sourceTopics && p.sourceCluster) {
        p.replicated = sourceTopics.filter(topic =>
          cache.matches(matcher, topic),
        );
      }
    }
    if (p.replicated) {
      edge.replicatedTopics = p.replicated;
      edge.replicatedTopicCount = p.replicated.length;
    }
  }

  const suffixMap = buildSuffixMap({
    suffixes,
    homesBySuffix,
    probeClasses,
    namedTopics,
    namedClasses,
    examplesOfClass,
    analysis,
    live,
    dataCentreOf,
  });

  addLoopFindings({
    classes: flows.all(),
    probeSuffixesOfClass,
    namesOfClass,
    examplesOfClass,
    liveOfCycleClass: analysis.liveOfCycleClass,
    findings,
  });
  addDuplicateWriterFindings({
    conflicts: analysis.conflicts,
    suffixes,
    probeClasses,
    namedTopics,
    namedClasses,
    examplesOfClass,
    findings,
  });
  addTargetOwnSuffixFindings({
    prepared,
    carriedBy,
    ownSuffixExamples,
    ownSuffixTopics: analysis.ownSuffixTopics,
    findings,
  });
  addUnreplicatedSuffixFindings(suffixMap, flowEdges, live, findings);
  addLiveTopicFindings({
    analysis,
    clusterByName,
    homesBySuffix,
    prepared,
    live,
    findings,
  });

  const inbound = new Map<string, string[]>();
  const outbound = new Map<string, string[]>();
  for (const p of prepared) {
    push(outbound, p.edge.source, p.edge.ref);
    push(inbound, p.edge.target, p.edge.ref);
  }
  const nodes: TopologyNode[] = clusters.map(cluster => {
    const node: TopologyNode = {
      name: cluster.name,
      dataCentre: cluster.dataCentre,
      topicSuffix: cluster.topicSuffix,
      inbound: sortedUnique(inbound.get(cluster.name) ?? []),
      outbound: sortedUnique(outbound.get(cluster.name) ?? []),
    };
    const list = live.lists.get(cluster.name);
    if (list) node.liveTopicCount = list.length;
    if (live.unreachable.has(cluster.name)) {
      node.unreachable = true;
      const error = live.unreachable.get(cluster.name);
      if (error !== undefined) node.error = error;
    }
    return node;
  });

  const dataCentreMap = new Map<string, string[]>();
  for (const cluster of clusters) {
    push(dataCentreMap, cluster.dataCentre, cluster.name);
  }
  const dataCentres: TopologyDataCentre[] = [...dataCentreMap]
    .sort((a, b) => compare(a[0], b[0]))
    .map(([name, members]) => ({ name, clusters: members }));

  const dcFlows = new Map<string, TopologyDataCentreFlow>();
  for (const p of prepared) {
    const { sourceDataCentre, targetDataCentre } = p.edge;
    if (sourceDataCentre === undefined || targetDataCentre === undefined) {
      continue;
    }
    const key = `${sourceDataCentre}\u0000${targetDataCentre}`;
    const flow = dcFlows.get(key);
    if (flow) flow.deployments.push(p.edge.ref);
    else {
      dcFlows.set(key, {
        source: sourceDataCentre,
        target: targetDataCentre,
        deployments: [p.edge.ref],
      });
    }
  }
  const dataCentreFlows = [...dcFlows.values()]
    .map(flow => ({ ...flow, deployments: sortedUnique(flow.deployments) }))
    .sort((a, b) => compare(a.source, b.source) || compare(a.target, b.target));

  const sortedFindings = findings.sorted();
  const sortedTopics: Record<string, TopicClassification[]> = {};
  for (const name of Object.keys(analysis.topics).sort(compare)) {
    sortedTopics[name] = analysis.topics[name];
  }
  return {
    dataCentres,
    nodes,
    edges: prepared.map(p => p.edge),
    dataCentreFlows,
    suffixMap,
    findings: sortedFindings,
    topics: sortedTopics,
    summary: {
      errors: sortedFindings.filter(f => f.severity === 'error').length,
      warnings: sortedFindings.filter(f => f.severity === 'warning').length,
      infos: sortedFindings.filter(f => f.severity === 'info').length,
    },
  };
}
