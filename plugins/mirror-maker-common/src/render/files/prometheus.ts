import { RenderContext } from '../context';
import { promLabelValue } from '../escape/promql';
import { yamlString } from '../escape/yaml';
import { renderYaml, yamlComments, yamlScalar } from '../yamlWriter';
import { commentText } from '../escape/comment';
import { fillTemplate, marker, splitTemplate } from '../template';
import { GENERATED_NOTICE } from './header';
import { fillLabelLines, labelLines, prometheusLabelSlots } from './labels';

/**
 * A scrape configuration file for a Prometheus (agent) on the node itself:
 * the exporters listen on 127.0.0.1 only. Include it with
 * `scrape_config_files`. The target labels give `up` the deployment,
 * process and host labels the alerts select on; `honor_labels` keeps the
 * identical labels the exporter already puts on every series. Everything
 * but the host is escaped once per deployment; the returned function gives
 * the file of a node.
 */
export function prepareScrapeConfig(
  ctx: RenderContext,
): (host: string) => string {
  const labels = labelLines(
    prometheusLabelSlots(ctx),
    '          ',
    yamlScalar,
  );
  const [intro, ...header] = yamlComments([
    `Kafka MirrorMaker 1 deployment ${ctx.ref}: Prometheus scrape configuration for`,
    'The exporters listen on 127.0.0.1 only: scrape them with a Prometheus or Prometheus agent on this node',
    '(scrape_config_files in its configuration) and remote-write or federate from there.',
    GENERATED_NOTICE,
  ]);
  const start = `.\n${[
    ...header,
    'scrape_configs:',
    `  - job_name: ${yamlString(`kafka-mirror-maker-${ctx.name}`)}`,
    '    honor_labels: true',
    `    scrape_interval: ${yamlString('30s')}`,
    '    static_configs:',
  ].join('\n')}`;
  const targets = ctx.processes.map(
    i =>
      `\n      - targets:\n          - ${yamlString(
        `127.0.0.1:${ctx.exporterPort(i)}`,
      )}\n        labels:`,
  );
  const processValues = ctx.processes.map(i => yamlString(String(i)));
  return host => {
    const values = [yamlString(host), ''];
    let text = `${intro} ${host}${start}`;
    for (let k = 0; k < targets.length; k++) {
      values[1] = processValues[k];
      text += targets[k] + fillLabelLines(labels, values);
    }
    return `${text}\n`;
  };
}

/**
 * The alerting rules of a deployment, with each value given as it goes
 * into the file: `groupName` and `selector` (`deployment="<escaped name>"`)
 * end up inside YAML strings, `lagGrowingMinutes` and
 * `heartbeatLatencySeconds` too, `ref` in a comment line.
 */
function alertRules(
  groupName: string,
  selector: string,
  lagGrowingMinutes: string,
  heartbeatLatencySeconds: string,
  ref: string,
): string {
  const lagWindow = `${lagGrowingMinutes}m`;
  return renderYaml(
    {
      groups: [
        {
          name: groupName,
          rules: [
            {
              alert: 'KafkaMirrorMakerProcessDown',
              expr: `up{${selector}} == 0`,
              for: '2m',
              labels: { severity: 'critical' },
              annotations: {
                summary:
                  'MirrorMaker process {{ $labels.process }} of {{ $labels.deployment }} on {{ $labels.host }} is down',
                description:
                  'Its exporter has not answered for 2 minutes. systemd restarts a crashed process; if it keeps crashing the unit stays failed: see journalctl for the unit and the process log.',
              },
            },
            {
              alert: 'KafkaMirrorMakerDroppedMessages',
              expr: `max by (deployment, host, process) (kafka_mirrormaker_dropped_messages{${selector}}) > 0`,
              labels: { severity: 'critical' },
              annotations: {
                summary:
                  'MirrorMaker process {{ $labels.process }} of {{ $labels.deployment }} on {{ $labels.host }} dropped {{ $value }} records',
                description:
                  'Records that could not be produced were skipped and their offsets committed: data is missing in the target cluster. Check that the target topics exist and the producer can write to them.',
              },
            },
            {
              alert: 'KafkaMirrorMakerLagGrowing',
              expr: `deriv(sum by (deployment, topic) (kafka_consumer_records_lag{${selector}})[${lagWindow}:1m]) > 0`,
              for: lagWindow,
              labels: { severity: 'warning' },
              annotations: {
                summary: `Replication lag of topic {{ $labels.topic }} in {{ $labels.deployment }} has grown for ${lagGrowingMinutes} minutes`,
                description:
                  'MirrorMaker is not keeping up with the source: add processes or streams, or look for a slow target cluster.',
              },
            },
            {
              alert: 'KafkaMirrorMakerHeartbeatLate',
              expr: `max by (deployment) (mirror_maker_heartbeat_latency_seconds{${selector}}) > ${heartbeatLatencySeconds}`,
              for: '2m',
              labels: { severity: 'critical' },
              annotations: {
                summary: `Heartbeat records of {{ $labels.deployment }} arrive more than ${heartbeatLatencySeconds} s late`,
                description:
                  'A record produced on the source cluster takes {{ $value }} seconds to reach the target: replication is stalled or far behind.',
              },
            },
          ],
        },
      ],
    },
    [alertsHeader(ref), GENERATED_NOTICE],
  );
}

function alertsHeader(ref: string): string {
  return `Kafka MirrorMaker 1 deployment ${ref}: Prometheus alerting rules (rule_files).`;
}

/**
 * The alert rules are constant but for five values: rendered once with
 * markers, then filled per deployment.
 */
const ALERT_RULES = splitTemplate(
  alertRules(
    `kafka-mirror-maker-${marker(0)}`,
    `deployment="${marker(1)}"`,
    marker(2),
    marker(3),
    marker(4),
  ),
  5,
);

/** `value` escaped as inside a double-quoted YAML string, as yamlString escapes it. */
function yamlInner(value: string): string {
  return yamlString(value).slice(1, -1);
}

/** The deployment's alerting rules, in one group. */
export function renderAlertRules(ctx: RenderContext): string {
  const selector = promLabelValue(ctx.name, 'metadata.name');
  const { lagGrowingMinutes, heartbeatLatencySeconds } =
    ctx.spec.monitoring.alerts;
  // Escaped in the order the values appear in the file.
  const values = [
    yamlInner(ctx.name),
    yamlInner(selector),
    yamlInner(String(lagGrowingMinutes)),
    yamlInner(String(heartbeatLatencySeconds)),
    ctx.ref,
  ];
  // The comment line is checked whole, as renderYaml checks its header.
  commentText(alertsHeader(ctx.ref), 'header');
  return fillTemplate(ALERT_RULES, values);
}
