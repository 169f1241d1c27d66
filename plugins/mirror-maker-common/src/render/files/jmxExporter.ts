import { RenderContext } from '../context';
import { javaReplacement } from '../escape/javaReplacement';
import { renderYaml, YamlValue } from '../yamlWriter';
import { GENERATED_NOTICE } from './header';
import { prometheusLabels } from './labels';

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
 * The Prometheus JMX exporter (1.0.1 agent) configuration of process `i`:
 * only the MirrorMaker and client MBeans the dashboards and alerts use (the
 * agent adds JVM metrics itself), with the deployment's labels on every
 * series. Label values are regex replacements in the exporter, so constants
 * are escaped for that before YAML escaping.
 */
export function renderJmxExporterConfig(
  ctx: RenderContext,
  host: string,
  i: number,
): string {
  const constants: Record<string, YamlValue> = {};
  for (const [name, value] of Object.entries(prometheusLabels(ctx, host, i))) {
    constants[name] = javaReplacement(value);
  }
  const rules: YamlValue[] = [];
  for (const group of GROUPS) {
    for (const metric of group.metrics) {
      rules.push({
        pattern: `${group.pattern}${quoteAttribute(metric.attribute)}`,
        name: metric.name,
        type: 'GAUGE',
        help: metric.help,
        labels: { ...group.captured, ...constants },
      });
    }
  }
  return renderYaml(
    {
      lowercaseOutputName: true,
      lowercaseOutputLabelNames: true,
      includeObjectNames: [
        'kafka.tools:type=MirrorMaker,*',
        'kafka.consumer:type=consumer-fetch-manager-metrics,*',
        'kafka.consumer:type=consumer-coordinator-metrics,*',
        'kafka.producer:type=producer-metrics,*',
      ],
      rules,
    },
    [
      `Kafka MirrorMaker 1 deployment ${ctx.ref}: Prometheus JMX exporter rules of process ${i} on ${host}.`,
      `Served on http://127.0.0.1:${ctx.exporterPort(
        i,
      )}/metrics by the jmx_prometheus_javaagent 1.0.1 agent (JVM metrics included).`,
      GENERATED_NOTICE,
    ],
  );
}
