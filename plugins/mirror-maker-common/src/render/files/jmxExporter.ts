import { RenderContext } from '../context';
import { javaReplacement } from '../escape/javaReplacement';
import { yamlString } from '../escape/yaml';
import { yamlComments, yamlLines, yamlScalar } from '../yamlWriter';
import { GENERATED_NOTICE } from './header';
import { fillLabelLines, labelLines, prometheusLabelSlots } from './labels';

interface Metric {
  /** The attribute of the MBean. */
  attribute: string;
  name: string;
  help: string;
}

/** One rule per MBean group: its pattern, the labels it captures and its attributes. */
const GROUPS: {
  pattern: string;
  captured: Record<string, string>;
  metrics: Metric[];
}[] = [
  {
    pattern:
      'kafka.tools<type=MirrorMaker, name=MirrorMaker-numDroppedMessages><>',
    captured: {},
    metrics: [
      {
        attribute: 'Value',
        name: 'kafka_mirrormaker_dropped_messages',
        help: 'Records MirrorMaker failed to produce and skipped (non-zero only with --abort.on.send.failure false).',
      },
    ],
  },
  {
    pattern:
      'kafka.consumer<type=consumer-fetch-manager-metrics, client-id=([^,]+), topic=([^,]+), partition=([^,]+)><>',
    captured: { client_id: '$1', topic: '$2', partition: '$3' },
    metrics: [
      {
        attribute: 'records-lag',
        name: 'kafka_consumer_records_lag',
        help: 'Records the consumer is behind the log end of the source partition.',
      },
    ],
  },
  {
    pattern:
      'kafka.consumer<type=consumer-fetch-manager-metrics, client-id=([^,]+)><>',
    captured: { client_id: '$1' },
    metrics: [
      {
        attribute: 'records-lag-max',
        name: 'kafka_consumer_records_lag_max',
        help: 'Largest lag of any partition of the consumer, in records.',
      },
      {
        attribute: 'records-consumed-rate',
        name: 'kafka_consumer_records_consumed_rate',
        help: 'Records consumed per second.',
      },
      {
        attribute: 'bytes-consumed-rate',
        name: 'kafka_consumer_bytes_consumed_rate',
        help: 'Bytes consumed per second.',
      },
    ],
  },
  {
    pattern:
      'kafka.consumer<type=consumer-coordinator-metrics, client-id=([^,]+)><>',
    captured: { client_id: '$1' },
    metrics: [
      {
        attribute: 'commit-rate',
        name: 'kafka_consumer_commit_rate',
        help: 'Offset commits per second.',
      },
      {
        attribute: 'assigned-partitions',
        name: 'kafka_consumer_assigned_partitions',
        help: 'Partitions currently assigned to the consumer.',
      },
    ],
  },
  {
    pattern: 'kafka.producer<type=producer-metrics, client-id=([^,]+)><>',
    captured: { client_id: '$1' },
    metrics: [
      {
        attribute: 'record-send-rate',
        name: 'kafka_producer_record_send_rate',
        help: 'Records sent per second.',
      },
      {
        attribute: 'record-error-rate',
        name: 'kafka_producer_record_error_rate',
        help: 'Record sends per second that resulted in errors.',
      },
      {
        attribute: 'request-latency-avg',
        name: 'kafka_producer_request_latency_avg',
        help: 'Average produce request latency in milliseconds.',
      },
      {
        attribute: 'buffer-available-bytes',
        name: 'kafka_producer_buffer_available_bytes',
        help: 'Producer buffer memory not in use.',
      },
    ],
  },
];

/** Escapes a JMX attribute name for use in a rule pattern (a Java regex). */
function quoteAttribute(attribute: string): string {
  return attribute.replace(/[.\\+*?^$()[\]{}|]/g, c => `\\${c}`);
}

/**
 * The document after the header, up to `rules:`, and each rule up to its
 * `labels:` captures; what follows each rule is the constant labels of the
 * process. None of it depends on the deployment, so it is written once.
 */
const DOCUMENT_START = `${yamlLines(
  {
    lowercaseOutputName: true,
    lowercaseOutputLabelNames: true,
    includeObjectNames: [
      'kafka.tools:type=MirrorMaker,*',
      'kafka.consumer:type=consumer-fetch-manager-metrics,*',
      'kafka.consumer:type=consumer-coordinator-metrics,*',
      'kafka.producer:type=producer-metrics,*',
    ],
  },
  '',
).join('\n')}\nrules:`;

const RULE_STARTS: string[] = GROUPS.flatMap(group =>
  group.metrics.map(metric => {
    const [first, ...rest] = yamlLines(
      {
        pattern: `${group.pattern}${quoteAttribute(metric.attribute)}`,
        name: metric.name,
        type: 'GAUGE',
        help: metric.help,
      },
      '    ',
    );
    const captured = yamlLines(group.captured, '      ');
    return [`  - ${first.slice(4)}`, ...rest, '    labels:', ...captured]
      .map(line => `\n${line}`)
      .join('');
  }),
);

/**
 * The Prometheus JMX exporter (1.0.1 agent) configuration of each process:
 * only the MirrorMaker and client MBeans the dashboards and alerts use (the
 * agent adds JVM metrics itself), with the deployment's labels on every
 * series. Label values are regex replacements in the exporter, so constants
 * are escaped for that before YAML escaping. The labels and header are
 * escaped once per deployment; the returned function only joins them with
 * the (checked) host and the process number.
 */
export function prepareJmxExporterConfig(
  ctx: RenderContext,
): (host: string, i: number) => string {
  const labels = labelLines(prometheusLabelSlots(ctx), '      ', value =>
    yamlScalar(javaReplacement(value)),
  );
  const [intro] = yamlComments([
    `Kafka MirrorMaker 1 deployment ${ctx.ref}: Prometheus JMX exporter rules of process`,
  ]);
  const [notice] = yamlComments([GENERATED_NOTICE]);
  const processValues = ctx.processes.map(i =>
    yamlString(javaReplacement(String(i))),
  );
  // Calls come node by node: escape each host once.
  let lastHost: string | undefined;
  let hostValue = '';
  return (host, i) => {
    if (host !== lastHost) {
      hostValue = yamlString(javaReplacement(host));
      lastHost = host;
    }
    const block = fillLabelLines(labels, [hostValue, processValues[i - 1]]);
    let text = `${intro} ${i} on ${host}.\n# Served on http://127.0.0.1:${ctx.exporterPort(
      i,
    )}/metrics by the jmx_prometheus_javaagent 1.0.1 agent (JVM metrics included).\n${notice}\n${DOCUMENT_START}`;
    for (const rule of RULE_STARTS) text += rule + block;
    return `${text}\n`;
  };
}
