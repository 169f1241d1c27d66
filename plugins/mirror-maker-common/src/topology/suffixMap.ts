import { topicSuffix } from '../topics/names';
import { FlowClass } from './flows';
import { LiveState } from './inputs';
import { LiveAnalysis } from './live';
import { SuffixMapRow, SuffixReach } from './types';
import { compare, push, sortedUnique } from './util';

/**
 * One row per suffix: its home clusters and every cluster it reaches, by
 * pattern (the probe name of the suffix), by named topic, by a pattern
 * that copies some of its topics (an example name), or by live topic,
 * with live counts and missing copies where listings are known.
 */
export function buildSuffixMap(args: {
  /** Sorted. */
  suffixes: string[];
  homesBySuffix: Map<string, string[]>;
  probeClasses: Map<string, FlowClass>;
  /** Sorted. */
  namedTopics: string[];
  namedClasses: Map<string, FlowClass>;
  examplesOfClass: Map<FlowClass, string[]>;
  analysis: LiveAnalysis;
  live: LiveState;
  dataCentreOf: (cluster: string) => string;
}): SuffixMapRow[] {
  const {
    suffixes,
    homesBySuffix,
    probeClasses,
    namedTopics,
    namedClasses,
    examplesOfClass,
    analysis,
    live,
    dataCentreOf,
  } = args;
  const examplesBySuffix = new Map<string, [FlowClass, string[]][]>();
  for (const [flowClass, examples] of examplesOfClass) {
    if (flowClass.homeSuffix !== undefined) {
      push(examplesBySuffix, flowClass.homeSuffix, [flowClass, examples]);
    }
  }
  const namedBySuffix = new Map<string, string[]>();
  for (const name of namedTopics) {
    const suffix = topicSuffix(name);
    if (suffix !== undefined) push(namedBySuffix, suffix, name);
  }
  const liveKnown = live.lists.size > 0;
  return suffixes.map(suffix => {
    const homes = homesBySuffix.get(suffix) ?? [];
    const entries = new Map<string, SuffixReach>();
    const writerSets = new Map<string, Set<string>>();
    const addEntry = (
      cluster: string,
      step: { hops: number; via: string[]; writers: Iterable<string> },
      by: SuffixReach['by'],
    ): SuffixReach => {
      let entry = entries.get(cluster);
      if (!entry) {
        entry = {
          cluster,
          dataCentre: dataCentreOf(cluster),
          hops: step.hops,
          via: step.via,
          writers: [],
          by,
        };
        entries.set(cluster, entry);
        writerSets.set(cluster, new Set());
      } else if (entry.by === by && step.hops < entry.hops) {
        entry.hops = step.hops;
        entry.via = step.via;
      }
      const writers = writerSets.get(cluster)!;
      for (const ref of step.writers) writers.add(ref);
      return entry;
    };

    for (const [cluster, step] of probeClasses.get(suffix)!.reach) {
      addEntry(cluster, step, 'pattern');
    }
    for (const name of namedBySuffix.get(suffix) ?? []) {
      for (const [cluster, step] of namedClasses.get(name)!.reach) {
        const entry = addEntry(cluster, step, 'named-topic');
        if (entry.by === 'named-topic') (entry.topics ??= []).push(name);
      }
    }
    for (const [flowClass, examples] of examplesBySuffix.get(suffix) ?? []) {
      for (const [cluster, step] of flowClass.reach) {
        const entry = addEntry(cluster, step, 'pattern-subset');
        if (entry.by === 'pattern-subset') {
          entry.examples = sortedUnique([
            ...(entry.examples ?? []),
            ...examples,
          ]);
        }
      }
    }
    const stats = analysis.suffixLive.get(suffix);
    for (const [cluster, stat] of stats ?? []) {
      if (stat.replicated === 0 || !stat.via) continue;
      addEntry(
        cluster,
        { hops: stat.via.length, via: stat.via, writers: stat.writers },
        'live-topic',
      );
    }
    for (const [cluster, stat] of analysis.missing.get(suffix) ?? []) {
      const entry = addEntry(cluster, stat.step, 'live-topic');
      entry.missingTopics = stat.topics.sort(compare);
    }
    for (const entry of entries.values()) {
      entry.writers = sortedUnique(writerSets.get(entry.cluster)!);
      if (live.lists.has(entry.cluster)) {
        entry.liveTopicCount = stats?.get(entry.cluster)?.replicated ?? 0;
      }
    }

    const row: SuffixMapRow = {
      suffix,
      homes: homes.map(home => ({
        cluster: home,
        dataCentre: dataCentreOf(home),
        ...(live.lists.has(home)
          ? { liveTopicCount: stats?.get(home)?.count ?? 0 }
          : {}),
      })),
      reaches: [...entries.values()].sort(
        (a, b) => a.hops - b.hops || compare(a.cluster, b.cluster),
      ),
    };
    if (liveKnown) {
      const counts: Record<string, number> = {};
      for (const [cluster, stat] of [...(stats ?? [])].sort((a, b) =>
        compare(a[0], b[0]),
      )) {
        counts[cluster] = stat.count;
      }
      row.liveTopicCounts = counts;
    }
    return row;
  });
}
