import type { TopicLag } from '../../api';

/** One source partition of the group, as the lag table lists it. */
export interface PartitionRow {
  topic: string;
  partition: number;
  logEndOffset: number;
  /** null: the group has never committed on the partition. */
  committedOffset: number | null;
  lag: number | null;
}

export type PartitionSortKey =
  | 'topic'
  | 'partition'
  | 'logEndOffset'
  | 'committedOffset'
  | 'lag';

export interface PartitionQuery {
  /** Part of a topic name, any case; empty matches every topic. */
  search: string;
  /** Only the partitions the group has not committed on. */
  withoutCommitOnly?: boolean;
  sortBy: PartitionSortKey;
  direction: 'asc' | 'desc';
  /** How many rows to keep after sorting. */
  limit: number;
}

export interface PartitionSelection {
  /** The first `limit` matching partitions in the asked order. */
  rows: PartitionRow[];
  /** Partitions the group reads. */
  total: number;
  /** Partitions that pass the search. */
  matching: number;
  /** Sum of the lag of the matching partitions that have a commit. */
  matchingLag: number;
  matchingWithoutCommit: number;
}

export const DEFAULT_PARTITION_QUERY: PartitionQuery = {
  search: '',
  sortBy: 'lag',
  direction: 'desc',
  limit: 50,
};

export function partitionRows(topics: TopicLag[]): PartitionRow[] {
  return topics.flatMap(t =>
    t.partitions.map(p => ({
      topic: t.topic,
      partition: p.partition,
      logEndOffset: p.logEndOffset,
      committedOffset: p.committedOffset,
      lag: p.lag,
    })),
  );
}

function compareValues(
  a: string | number | null,
  b: string | number | null,
): number {
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b);
  return (a as number) - (b as number);
}

/**
 * Sorts by the asked column, then by topic and partition. A partition without
 * a commit has no lag and no committed offset: it goes last in either
 * direction, so "largest lag first" lists measured lag, and the totals and the
 * "without a commit" filter account for the rest.
 */
export function comparePartitions(
  sortBy: PartitionSortKey,
  direction: 'asc' | 'desc',
): (a: PartitionRow, b: PartitionRow) => number {
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => {
    const va = a[sortBy];
    const vb = b[sortBy];
    if (va === null && vb !== null) return 1;
    if (vb === null && va !== null) return -1;
    const primary = va === null || vb === null ? 0 : compareValues(va, vb);
    if (primary !== 0) return sign * primary;
    return a.topic.localeCompare(b.topic) || a.partition - b.partition;
  };
}

/** Filters, sorts and cuts the partitions for the lag table. */
export function selectPartitions(
  rows: PartitionRow[],
  query: PartitionQuery,
): PartitionSelection {
  const needle = query.search.trim().toLowerCase();
  const matching = rows.filter(
    r =>
      (!needle || r.topic.toLowerCase().includes(needle)) &&
      (!query.withoutCommitOnly || r.committedOffset === null),
  );
  let matchingLag = 0;
  let matchingWithoutCommit = 0;
  for (const r of matching) {
    if (r.committedOffset === null) matchingWithoutCommit += 1;
    else if (r.lag !== null) matchingLag += r.lag;
  }
  const sorted = [...matching].sort(
    comparePartitions(query.sortBy, query.direction),
  );
  return {
    rows: sorted.slice(0, Math.max(0, query.limit)),
    total: rows.length,
    matching: matching.length,
    matchingLag,
    matchingWithoutCommit,
  };
}
