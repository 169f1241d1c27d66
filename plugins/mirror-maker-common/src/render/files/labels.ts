import { RenderContext } from '../context';

/** Constant labels of every Prometheus series of process `i` on `host`, sorted by name. */
export function prometheusLabels(
  ctx: RenderContext,
  host: string,
  i: number,
): Record<string, string> {
  const labels: Record<string, string> = {
    ...ctx.spec.monitoring.labels,
    deployment: ctx.name,
    host,
    process: String(i),
  };
  return sortKeys(labels);
}

/** Labels of the New Relic samples of process `i` on `host` (the infrastructure agent prefixes them with `label.`). */
export function newRelicLabels(
  ctx: RenderContext,
  host: string,
  i: number,
): Record<string, string> {
  return sortKeys({
    env: ctx.target.name,
    ...ctx.spec.monitoring.labels,
    deployment: ctx.name,
    mirrorMakerNode: host,
    mirrorMakerProcessName: `kafka-mirror-maker-${i}`,
    sourceCluster: ctx.source.name,
    targetCluster: ctx.target.name,
  });
}

export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key];
  return sorted;
}
