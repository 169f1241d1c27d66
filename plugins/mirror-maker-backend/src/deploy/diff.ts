import { RevisionFile } from '../database/RolloutStore';

export interface FileDiff {
  path: string;
  status: 'added' | 'removed' | 'changed' | 'same';
  /** Mode change, e.g. `0644 -> 0755`. */
  mode?: string;
  /** Unified diff of the contents (empty when they are equal). */
  patch: string;
}

/** Above this many lines on each side the patch says so instead of diffing (quadratic table). */
const MAX_DIFF_LINES = 5000;
const CONTEXT = 3;

/** Lines of `a` and `b` as edit operations, by longest common subsequence. */
function edits(
  a: string[],
  b: string[],
): { op: ' ' | '-' | '+'; line: string }[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from(
    { length: n + 1 },
    () => new Uint32Array(m + 1),
  );
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] =
        a[i] === b[j]
          ? lcs[i + 1][j + 1] + 1
          : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', line: a[i] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // Removals before additions, as diff(1) shows a changed line.
      out.push({ op: '-', line: a[i] });
      i++;
    } else {
      out.push({ op: '+', line: b[j] });
      j++;
    }
  }
  return out;
}

/** A unified diff of two texts (`---`/`+++` headers, `@@` hunks with 3 lines of context). */
export function unifiedDiff(
  path: string,
  before: string,
  after: string,
): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) {
    return `--- a/${path}\n+++ b/${path}\n(too large to diff: ${a.length} and ${b.length} lines)\n`;
  }
  const ops = edits(a, b);
  const lines = [`--- a/${path}`, `+++ b/${path}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].op === ' ') {
      k++;
      continue;
    }
    // A hunk: from CONTEXT lines before this change to CONTEXT lines after
    // the last change that is within 2 * CONTEXT of the previous one.
    const start = Math.max(0, k - CONTEXT);
    let end = k;
    let last = k;
    while (end < ops.length) {
      if (ops[end].op !== ' ') last = end;
      if (end - last > 2 * CONTEXT) break;
      end++;
    }
    end = Math.min(ops.length, last + CONTEXT + 1);
    let aLine = 1;
    let bLine = 1;
    for (let x = 0; x < start; x++) {
      if (ops[x].op !== '+') aLine++;
      if (ops[x].op !== '-') bLine++;
    }
    const slice = ops.slice(start, end);
    const aCount = slice.filter(o => o.op !== '+').length;
    const bCount = slice.filter(o => o.op !== '-').length;
    lines.push(`@@ -${aLine},${aCount} +${bLine},${bCount} @@`);
    for (const o of slice) lines.push(`${o.op}${o.line}`);
    k = end;
  }
  return `${lines.join('\n')}\n`;
}

/** File-by-file differences between two revisions' files. */
export function diffRevisions(
  from: RevisionFile[],
  to: RevisionFile[],
): FileDiff[] {
  const before = new Map(from.map(f => [f.path, f]));
  const after = new Map(to.map(f => [f.path, f]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths.map(path => {
    const a = before.get(path);
    const b = after.get(path);
    if (!a)
      return {
        path,
        status: 'added' as const,
        patch: unifiedDiff(path, '', b!.content),
      };
    if (!b)
      return {
        path,
        status: 'removed' as const,
        patch: unifiedDiff(path, a.content, ''),
      };
    const patch = unifiedDiff(path, a.content, b.content);
    const mode = a.mode !== b.mode ? `${a.mode} -> ${b.mode}` : undefined;
    return {
      path,
      status: patch || mode ? ('changed' as const) : ('same' as const),
      ...(mode ? { mode } : {}),
      patch,
    };
  });
}
