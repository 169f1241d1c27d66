/** Locale-independent string order (UTF-16 code units). */
export function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Sorted without duplicates. The default sort orders strings by UTF-16
 * code units, the same order as `compare`, and is much faster than a
 * comparator on large topic lists.
 */
export function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}
