/**
 * Sums of the samples of each metric in a Prometheus text exposition,
 * optionally only those whose labels include `match`. Enough for the health
 * gate, which reads a handful of gauges from one process's JMX exporter.
 */
export function sumMetrics(
  text: string,
  names: string[],
  match: Record<string, string> = {},
): Record<string, number | undefined> {
  const wanted = new Set(names);
  const sums: Record<string, number | undefined> = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    if (space < 0) continue;
    const name = brace >= 0 ? line.slice(0, brace) : line.slice(0, space);
    if (!wanted.has(name.trim())) continue;
    if (brace >= 0) {
      const labels = line.slice(brace + 1, line.lastIndexOf('}'));
      const ok = Object.entries(match).every(([k, v]) =>
        labels.includes(`${k}="${v}"`),
      );
      if (!ok) continue;
    }
    const value = Number(line.slice(space + 1));
    if (!Number.isFinite(value)) continue;
    const key = name.trim();
    sums[key] = (sums[key] ?? 0) + value;
  }
  return sums;
}

/** Fetches a metrics page with a deadline; undefined when it cannot be read. */
export async function scrape(
  url: string,
  timeoutMs = 3000,
): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return await res.text();
  } catch {
    return undefined;
  }
}
