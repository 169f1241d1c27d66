import { RenderContext } from '../context';
import { yamlString } from '../escape/yaml';
import {
  renderYaml,
  yamlComments,
  yamlLines,
  yamlScalar,
  YamlValue,
} from '../yamlWriter';
import { GENERATED_NOTICE } from './header';
import {
  fillLabelLines,
  labelLines,
  newRelicLabels,
  newRelicLabelSlots,
} from './labels';

/** Event type of every sample, as in the seed (its dashboards query it). */
export const NEW_RELIC_EVENT_TYPE = 'kafkaMirrorMakerMonitoring';

function collectionFiles(ctx: RenderContext): string {
  const files = [ctx.paths.newRelicJvmMetrics, ctx.paths.newRelicMetrics];
  // nri-jmx splits COLLECTION_FILES at commas.
  if (files.some(file => file.includes(','))) {
    throw new Error(
      'metadata.name contains ",", which nri-jmx would read as a second collection file',
    );
  }
  return files.join(',');
}

/**
 * The nri-jmx integration configuration of a node: one instance per
 * process. JMX listens on loopback, so nri-jmx connects to localhost and
 * reports into the host's own entity (`LOCAL_ENTITY`): otherwise every node
 * would report the same "localhost:port" entity. `METRIC_LIMIT: 0` lifts
 * nri-jmx's default limit of 200 metrics, which per-partition lag exceeds
 * (nri-jmx then drops the whole entity). Everything but the host is escaped
 * once per deployment; the returned function gives the file of a node.
 */
export function prepareNewRelicConfig(
  ctx: RenderContext,
): (host: string) => string {
  const files = collectionFiles(ctx);
  if (ctx.spec.monitoring.newRelic.legacyFormat) {
    return host =>
      renderYaml(
        {
          integration_name: 'com.newrelic.jmx',
          instances: ctx.processes.map(i => ({
            name: 'jmx',
            command: 'all_data',
            arguments: {
              jmx_host: 'localhost',
              jmx_port: ctx.jmxPort(i),
              collection_files: files,
              local_entity: true,
              metric_limit: 0,
            },
            labels: newRelicLabels(ctx, host, i),
          })),
        },
        header(ctx, host),
      );
  }
  const labels = labelLines(newRelicLabelSlots(ctx), '      ', yamlScalar);
  const [intro, ...rest] = yamlComments(header(ctx, ''));
  const start = `\n${[...rest, 'integrations:'].join('\n')}`;
  const instances = ctx.processes.map(i => {
    const [first, ...lines] = yamlLines(
      {
        name: 'nri-jmx',
        env: {
          COLLECTION_FILES: files,
          JMX_HOST: 'localhost',
          JMX_PORT: String(ctx.jmxPort(i)),
          LOCAL_ENTITY: 'true',
          METRIC_LIMIT: '0',
        },
        interval: '30s',
      },
      '    ',
    );
    return [`  - ${first.slice(4)}`, ...lines, '    labels:']
      .map(line => `\n${line}`)
      .join('');
  });
  const processNames = ctx.processes.map(i =>
    yamlString(`kafka-mirror-maker-${i}`),
  );
  // The header names the host at the end of its first line.
  const introStart = intro.slice(0, -1);
  return host => {
    const values = [yamlString(host), ''];
    let text = `${introStart}${host}.${start}`;
    for (let k = 0; k < instances.length; k++) {
      values[1] = processNames[k];
      text += instances[k] + fillLabelLines(labels, values);
    }
    return `${text}\n`;
  };
}

function header(ctx: RenderContext, host: string): string[] {
  return [
    `Kafka MirrorMaker 1 deployment ${ctx.ref}: New Relic nri-jmx configuration for ${host}.`,
    GENERATED_NOTICE,
  ];
}

function collection(domain: string, beans: YamlValue[]): YamlValue {
  return { domain, event_type: NEW_RELIC_EVENT_TYPE, beans };
}

/** The nri-jmx collection file for the MirrorMaker, consumer and producer MBeans. */
export function renderNewRelicMetrics(ctx: RenderContext): string {
  return renderYaml(
    {
      collect: [
        collection('kafka.consumer', [
          { query: 'type=consumer-coordinator-metrics,client-id=*' },
          { query: 'type=consumer-fetch-manager-metrics,client-id=*' },
          {
            query:
              'type=consumer-fetch-manager-metrics,client-id=*,topic=*,partition=*',
          },
          { query: 'type=consumer-metrics,client-id=*' },
        ]),
        collection('kafka.producer', [
          { query: 'type=producer-metrics,client-id=*' },
          { query: 'type=producer-node-metrics,client-id=*,node-id=*' },
        ]),
        collection('kafka.tools', [
          { query: 'type=MirrorMaker,name=MirrorMaker-numDroppedMessages' },
        ]),
      ],
    },
    [
      `Kafka MirrorMaker 1 deployment ${ctx.ref}: nri-jmx collection of the MirrorMaker and Kafka client MBeans.`,
      GENERATED_NOTICE,
    ],
  );
}

/** The nri-jmx collection file for the JVM MBeans. */
export function renderNewRelicJvmMetrics(ctx: RenderContext): string {
  return renderYaml(
    {
      collect: [
        collection('java.lang', [
          {
            query: 'type=GarbageCollector,name=*',
            attributes: ['CollectionCount', 'CollectionTime'],
          },
          {
            query: 'type=Memory',
            attributes: [
              'HeapMemoryUsage.Committed',
              'HeapMemoryUsage.Max',
              'HeapMemoryUsage.Used',
              'NonHeapMemoryUsage.Used',
            ],
          },
          {
            query: 'type=Threading',
            attributes: ['PeakThreadCount', 'ThreadCount'],
          },
          { query: 'type=ClassLoading', attributes: ['LoadedClassCount'] },
        ]),
      ],
    },
    [
      `Kafka MirrorMaker 1 deployment ${ctx.ref}: nri-jmx collection of the JVM MBeans.`,
      GENERATED_NOTICE,
    ],
  );
}
