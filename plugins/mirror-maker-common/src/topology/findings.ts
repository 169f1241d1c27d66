import { compare } from './util';
import { FindingKind, FindingSeverity, TopologyFinding } from './types';

const SEVERITY_RANK: Record<FindingSeverity, number> = {
  error: 0,
  warning: 1,
  info: 2,
};

/** Orders findings: errors first, then by kind and id. */
export function compareFindings(
  a: TopologyFinding,
  b: TopologyFinding,
): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compare(a.kind, b.kind) ||
    compare(a.id, b.id)
  );
}

/** `a, b and c`, or `a, b, c, d, e and 12 more` for long lists. */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length === 0) return '';
  if (items.length === 1) return items[0];
  if (items.length <= max) {
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  }
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** `1 topic`, `3 topics`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `.dc1`, or `.dc1 and .dc2`. */
export function suffixList(suffixes: readonly string[]): string {
  return listSome(
    suffixes.map(s => `.${s}`),
    8,
  );
}

function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}

/** Collects findings; an id seen twice keeps the first. */
export class FindingList {
  private readonly byId = new Map<string, TopologyFinding>();

  add(finding: {
    kind: FindingKind;
    severity: FindingSeverity;
    key: string;
    message: string;
    deployments?: Iterable<string>;
    clusters?: Iterable<string>;
    topics?: Iterable<string>;
  }): void {
    const id = `${finding.kind}:${finding.key}`;
    if (this.byId.has(id)) return;
    const result: TopologyFinding = {
      id,
      severity: finding.severity,
      kind: finding.kind,
      message: finding.message,
      deployments: sortedUnique(finding.deployments ?? []),
      clusters: sortedUnique(finding.clusters ?? []),
    };
    if (finding.topics) {
      const topics = sortedUnique(finding.topics);
      if (topics.length > 0) result.topics = topics;
    }
    this.byId.set(id, result);
  }

  sorted(): TopologyFinding[] {
    return [...this.byId.values()].sort(compareFindings);
  }
}
