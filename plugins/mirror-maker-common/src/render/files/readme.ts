import { RenderContext } from '../context';
import { markdownCode } from '../escape/markdown';
import { shellQuote } from '../escape/shell';
import { BundleFile, BundleNode } from '../types';
import { ANSIBLE_GROUP } from './ansible';
import { GENERATED_NOTICE } from './header';

function code(text: string, field = 'value'): string {
  return markdownCode(text, field);
}

function cell(text: string, field = 'value'): string {
  return markdownCode(text, field, true);
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

/** The rows of a file table, each starting with "\n". */
function fileRows(files: BundleFile[]): string {
  let text = '';
  for (const file of files) {
    const description = file.description.includes('|')
      ? file.description.replace(/\|/g, '\\|')
      : file.description;
    text += `\n| ${cell(file.path)} | ${octal(file.mode)} | ${
      file.secret ? 'yes' : 'no'
    } | ${description} |`;
  }
  return text;
}

const FILE_TABLE_HEAD =
  '| File | Mode | Secret | What it is |\n| --- | --- | --- | --- |';

/** `sudo install` lines of `files` (each starting with "\n"), after `owner`. */
function installLines(files: BundleFile[], owner: string): string {
  let text = '';
  for (const file of files) {
    text += `\n${owner}${octal(file.mode)} ${shellQuote(
      file.path.slice(file.path.lastIndexOf('/') + 1),
    )} ${shellQuote(file.path)}`;
  }
  return text;
}

// The README's constant code spans, written once.
const INCLUDE = code('--include');
const CLUSTERS = code('mirrorMaker.clusters');
const SCRAPE_CONFIG_FILES = code('scrape_config_files');
const ALERTS = code('prometheus/alerts.yml');
const RULE_FILES = code('rule_files');
const INTEGRATIONS = code('/etc/newrelic-infra/integrations.d');
const DASHBOARD = code('newrelic/dashboard.json');
const DASHBOARD_CREATE = code('dashboardCreate');
const INVENTORY = code('ansible/inventory.ini');
const GROUP_VARS = code(`ansible/group_vars/${ANSIBLE_GROUP}.yml`);

const CREATE_TOPICS = `

Create the topics in the target cluster before the first start: MirrorMaker does not create them, and a
process that cannot produce stops (or, with --abort.on.send.failure false, silently drops records).

## Processes on every node

| Process | systemd unit | JMX port (127.0.0.1) | Exporter port (127.0.0.1) | Log file |
| --- | --- | --- | --- | --- |`;

const SAME_FILES = `

Every node gets the same files; only the host name in the producer client ids and metric labels differs.

${FILE_TABLE_HEAD}`;

const CHECK = `
\`\`\`

Check, restart one process at a time (wait until its consumer has rejoined and lag is falling before the next), stop:

\`\`\`sh`;

const SECRETS = `
\`\`\`

When the process count goes down, stop, disable and delete the units and files of the processes that are gone.

## Where the secrets are

`;

const JMX = `

JMX listens on 127.0.0.1 without authentication: anyone with a shell on the node can read and change MBeans.
`;

const PROMETHEUS = `## Prometheus

`;

const NEW_RELIC = `## New Relic

Install the infrastructure agent and nri-jmx on each node; the files in ${INTEGRATIONS} are picked up
by the agent. Import ${DASHBOARD} (NerdGraph ${DASHBOARD_CREATE} or the UI's import). The system charts match
nodes by host name: list nodes by name, not IP address, to see them.
`;

const ANSIBLE = `## Ansible

${INVENTORY} and ${GROUP_VARS} carry the same values under the seed playbooks'
variable names, for teams that still deploy with them.
`;

/**
 * README.md of the bundle: what goes where, how to install and run it,
 * where the secrets are. Written in one pass, each value escaped in the
 * order it appears.
 */
export function renderReadme(
  ctx: RenderContext,
  nodes: BundleNode[],
  deploymentFiles: BundleFile[],
): string {
  const { spec, paths } = ctx;
  const prometheus = spec.monitoring.prometheus.enabled;
  const units = ctx.processes.map(i => `${ctx.unitName(i)}.service`);
  const allUnits = units.join(' ');
  const first = nodes[0];
  const secretFiles = first.files.filter(file => file.secret);
  const nonSecret = first.files.filter(file => !file.secret);
  const dirs = [
    ...new Set(
      first.files.map(file => file.path.slice(0, file.path.lastIndexOf('/'))),
    ),
  ].sort();
  const user = shellQuote(spec.install.user, 'spec.install.user');
  const group = shellQuote(spec.install.group, 'spec.install.group');
  let text = `# Kafka MirrorMaker deployment ${code(ctx.name, 'metadata.name')}

${GENERATED_NOTICE} Source entity: ${code(ctx.ref, 'metadata.name')}.

- Source cluster: ${code(ctx.source.name)} (data centre ${code(
    ctx.source.dataCentre,
  )}), brokers ${code(ctx.source.brokers.join(','))}
- Target cluster: ${code(ctx.target.name)} (data centre ${code(
    ctx.target.dataCentre,
  )}), brokers ${code(ctx.target.brokers.join(','))}
- Topics: MirrorMaker's ${INCLUDE} pattern is ${code(
    ctx.include,
    'spec.topics',
  )}
- Consumer group: ${code(spec.groupId, 'spec.groupId')}; ${
    spec.placement.nodes.length
  } node(s) x ${spec.placement.processesPerNode} process(es) x ${
    spec.placement.numStreams
  } stream(s)
- On a failed send MirrorMaker ${
    spec.abortOnSendFailure
      ? 'stops (systemd restarts it) instead of dropping records'
      : '**drops the records and goes on** (--abort.on.send.failure false)'
  }${CREATE_TOPICS}`;
  for (const i of ctx.processes) {
    text += `\n| ${i} | ${cell(units[i - 1])} | ${ctx.jmxPort(i)} | ${
      prometheus ? String(ctx.exporterPort(i)) : '-'
    } | ${cell(paths.logFile(i), 'spec.install.logDir')} |`;
  }
  text += '\n\n## Files on each node (';
  for (let k = 0; k < nodes.length; k++) {
    text += `${k > 0 ? ', ' : ''}${code(nodes[k].host)}`;
  }
  text += `)${SAME_FILES}${fileRows(first.files)}

## Install on a node

Needs a Kafka 3.x distribution (MirrorMaker 1 was removed in 4.0) in ${code(
    spec.install.kafkaHome,
    'spec.install.kafkaHome',
  )}, Java,
the user ${code(spec.install.user, 'spec.install.user')}${
    prometheus
      ? ` and the JMX exporter agent at ${code(
          spec.install.jmxExporterJar,
          'spec.install.jmxExporterJar',
        )}`
      : ''
  }.

\`\`\`sh`;
  for (const dir of dirs) {
    text += `\nsudo install -d -m 0755 ${shellQuote(dir)}`;
  }
  text += `\nsudo install -d -o ${user} -g ${group} -m 0750 ${shellQuote(
    spec.install.logDir,
    'spec.install.logDir',
  )}\n# each file to its path, with the mode in the table:${installLines(
    nonSecret,
    'sudo install -m ',
  )}`;
  if (secretFiles.length > 0) {
    text += '\n# files with secrets: readable by the service user only';
  }
  text += `${installLines(
    secretFiles,
    `sudo install -o ${user} -g ${group} -m `,
  )}
sudo systemctl daemon-reload
sudo systemctl enable --now ${allUnits}${CHECK}
systemctl status ${allUnits}
journalctl -u ${units[0]} -f`;
  for (const unit of units) text += `\nsudo systemctl restart ${unit}`;
  text += `\nsudo systemctl disable --now ${allUnits}${SECRETS}`;
  if (secretFiles.length > 0) {
    for (let k = 0; k < secretFiles.length; k++) {
      text += `${k > 0 ? ', ' : ''}${code(secretFiles[k].path)}`;
    }
    text += ` hold the TLS store passwords and SASL credentials of the clusters, taken from ${CLUSTERS} in app-config. They are mode 0600 and must belong to the service user. No other file holds a secret; the plugin shows these redacted.`;
  } else {
    text += `No file holds a secret: neither cluster uses TLS store passwords or SASL (see ${CLUSTERS} in app-config).`;
  }
  text += JMX;
  if (deploymentFiles.length > 0) {
    text += `\n## Files for the deployment\n\n${FILE_TABLE_HEAD}${fileRows(
      deploymentFiles,
    )}\n`;
  }
  if (prometheus) {
    text += `\n${PROMETHEUS}The exporters listen on 127.0.0.1 only. Point a Prometheus (agent) on each node at ${code(
      paths.prometheusScrape,
    )}
with ${SCRAPE_CONFIG_FILES}, and load ${ALERTS} with ${RULE_FILES} where alerts are evaluated.
`;
  }
  if (spec.monitoring.newRelic.enabled) text += `\n${NEW_RELIC}`;
  return `${text}\n${ANSIBLE}`;
}
