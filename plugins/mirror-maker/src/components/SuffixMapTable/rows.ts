import {
  SuffixMapRow,
  topicSuffix,
  Topology,
} from '@mirrormaker/plugin-mirror-maker-common';

/** Which rows to keep: those a deployment writes, or those a cluster owns or receives. */
export interface SuffixMapFilter {
  deploymentRef?: string;
  cluster?: string;
}

/** A live topic that needs a look, on the cluster where it is. */
export interface TopicCallout {
  kind: 'unreplicated' | 'conflicting' | 'unknown-suffix' | 'missing';
  cluster: string;
  topic: string;
  /** Deployments that write it (conflicting) or should have copied it (missing). */
  deployments: string[];
}

export interface SuffixTableRow {
  id: string;
  row: SuffixMapRow;
  /** Refs of every deployment writing the suffix anywhere, sorted. */
  writers: string[];
  callouts: TopicCallout[];
}

const CALLOUT_CLASSES = new Set([
  'unreplicated',
  'conflicting',
  'unknown-suffix',
]);

export function rowConcerns(row: SuffixMapRow, filter?: SuffixMapFilter) {
  if (!filter || (!filter.deploymentRef && !filter.cluster)) return true;
  const ref = filter.deploymentRef?.toLowerCase();
  return (
    (ref !== undefined &&
      row.reaches.some(r => r.writers.some(w => w.toLowerCase() === ref))) ||
    (filter.cluster !== undefined &&
      (row.homes.some(h => h.cluster === filter.cluster) ||
        row.reaches.some(r => r.cluster === filter.cluster)))
  );
}

/**
 * The suffix map as table rows, each with the live topics of its suffix
 * that are unreplicated, written twice, of a suffix nobody owns, or missing
 * where the flow should have copied them.
 */
export function suffixTableRows(
  topology: Pick<Topology, 'suffixMap' | 'topics'>,
  filter?: SuffixMapFilter,
): SuffixTableRow[] {
  const bySuffix = new Map<string, TopicCallout[]>();
  for (const [cluster, topics] of Object.entries(topology.topics ?? {})) {
    for (const t of topics) {
      if (!CALLOUT_CLASSES.has(t.class)) continue;
      const suffix = topicSuffix(t.topic);
      if (suffix === undefined) continue;
      const list = bySuffix.get(suffix) ?? [];
      list.push({
        kind: t.class as TopicCallout['kind'],
        cluster,
        topic: t.topic,
        deployments: t.writers ?? [],
      });
      bySuffix.set(suffix, list);
    }
  }
  return (topology.suffixMap ?? [])
    .filter(row => rowConcerns(row, filter))
    .map(row => {
      const missing: TopicCallout[] = row.reaches.flatMap(reach =>
        (reach.missingTopics ?? []).map(topic => ({
          kind: 'missing' as const,
          cluster: reach.cluster,
          topic,
          deployments: reach.writers,
        })),
      );
      return {
        id: row.suffix,
        row,
        writers: [...new Set(row.reaches.flatMap(r => r.writers))].sort(),
        callouts: [...(bySuffix.get(row.suffix) ?? []), ...missing],
      };
    });
}

/** Live topics without any data-centre suffix, which no row can hold. */
export function topicsWithoutSuffix(
  topology: Pick<Topology, 'topics'>,
  filter?: SuffixMapFilter,
): { cluster: string; topic: string }[] {
  // A deployment's view leaves them out: no deployment copies them by suffix.
  if (filter?.deploymentRef) return [];
  return Object.entries(topology.topics ?? {})
    .filter(([cluster]) => !filter?.cluster || filter.cluster === cluster)
    .flatMap(([cluster, topics]) =>
      topics
        .filter(
          t =>
            t.class === 'unknown-suffix' && topicSuffix(t.topic) === undefined,
        )
        .map(t => ({ cluster, topic: t.topic })),
    );
}
