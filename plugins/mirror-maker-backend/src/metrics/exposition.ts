/**
 * Writer of the Prometheus text exposition format (version 0.0.4), for the
 * figures the plugin derives (lag, heartbeat latency, throughput), so an
 * existing Prometheus can scrape them next to the processes' own exporters.
 */

/** A label value as the exposition format escapes it: `\`, `"` and newline. */
export function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r?\n|\r/g, '\\n');
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels: Record<string, string>; value: number }[];
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** HELP text escapes only backslash and newline. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\r?\n|\r/g, '\\n');
}

/**
 * Renders metric families. Names come from code, so a bad one is a bug and
 * throws; label values come from the catalog and clusters, so they are
 * escaped and can never add a sample or a label.
 */
export function renderExposition(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) {
      throw new Error(`Invalid metric name ${JSON.stringify(family.name)}`);
    }
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels).map(([k, v]) => {
        if (!LABEL_NAME.test(k) || k.startsWith('__')) {
          throw new Error(`Invalid label name ${JSON.stringify(k)}`);
        }
        return `${k}="${escapeLabelValue(v)}"`;
      });
      lines.push(
        `${family.name}${
          labels.length ? `{${labels.join(',')}}` : ''
        } ${formatValue(sample.value)}`,
      );
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
