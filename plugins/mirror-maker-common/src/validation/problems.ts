/** One thing wrong with an input, tied to the field it is in. */
export interface ValidationProblem {
  /** Dotted path of the field, e.g. `spec.placement.nodes[1]`. */
  path: string;
  /** What is wrong and what would be accepted. */
  message: string;
  /** Errors block rendering and deploying; warnings are shown. */
  severity: 'error' | 'warning';
}

export const error = (path: string, message: string): ValidationProblem => ({
  path,
  message,
  severity: 'error',
});

export const warning = (path: string, message: string): ValidationProblem => ({
  path,
  message,
  severity: 'warning',
});

/** Renders problems one per line, errors first: `spec.topics.include: ...`. */
export function formatProblems(problems: ValidationProblem[]): string {
  return [...problems]
    .sort(
      (a, b) =>
        Number(a.severity === 'warning') - Number(b.severity === 'warning'),
    )
    .map(
      p =>
        `${p.severity === 'warning' ? 'warning: ' : ''}${p.path}: ${p.message}`,
    )
    .join('\n');
}

export function hasErrors(problems: ValidationProblem[]): boolean {
  return problems.some(p => p.severity === 'error');
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = current;
    }
  }
  return row[b.length];
}

/** The closest of `candidates` to `word`, if reasonably close. */
export function closest(
  word: string,
  candidates: Iterable<string>,
): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, word.length / 3)
    ? best
    : undefined;
}
