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

function fileTable(files: BundleFile[]): string[] {
  return [
    '| File | Mode | Secret | What it is |',
    '| --- | --- | --- | --- |',
    ...files.map(
      file =>
        `| ${cell(file.path)} | ${octal(file.mode)} | ${
          file.secret ? 'yes' : 'no'
        } | ${file.description.replace(/\|/g, '\\|')} |`,
    ),
  ];
}

/** README.md of the bundle: what goes where, how to install and run it, where the secrets are. */
export function renderReadme(
  ctx: RenderContext,
  nodes: BundleNode[],
  deploymentFiles: BundleFile[],
): string {
  const { spec, paths } = ctx;
  const units = ctx.processes.map(i => `${ctx.unitName(i)}.service`);
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
  const lines: string[] = [
    `# Kafka MirrorMaker deployment ${code(ctx.name, 'metadata.name')}`,
    '',
    `${GENERATED_NOTICE} Source entity: ${code(ctx.ref, 'metadata.name')}.`,
    '',
    `- Source cluster: ${code(ctx.source.name)} (data centre ${code(
      ctx.source.dataCentre,
    )}), brokers ${code(ctx.source.brokers.join(','))}`,
    `- Target cluster: ${code(ctx.target.name)} (data centre ${code(
      ctx.target.dataCentre,
    )}), brokers ${code(ctx.target.brokers.join(','))}`,
    `- Topics: MirrorMaker's ${code('--include')} pattern is ${code(
      ctx.include,
      'spec.topics',
    )}`,
    `- Consumer group: ${code(spec.groupId, 'spec.groupId')}; ${
      spec.placement.nodes.length
    } node(s) x ${spec.placement.processesPerNode} process(es) x ${
      spec.placement.numStreams
    } stream(s)`,
    `- On a failed send MirrorMaker ${
      spec.abortOnSendFailure
        ? 'stops (systemd restarts it) instead of dropping records'
        : '**drops the records and goes on** (--abort.on.send.failure false)'
    }`,
    '',
    'Create the topics in the target cluster before the first start: MirrorMaker does not create them, and a',
    'process that cannot produce stops (or, with --abort.on.send.failure false, silently drops records).',
    '',
    '## Processes on every node',
    '',
    '| Process | systemd unit | JMX port (127.0.0.1) | Exporter port (127.0.0.1) | Log file |',
    '| --- | --- | --- | --- | --- |',
    ...ctx.processes.map(
      i =>
        `| ${i} | ${cell(units[i - 1])} | ${ctx.jmxPort(i)} | ${
          spec.monitoring.prometheus.enabled ? String(ctx.exporterPort(i)) : '-'
        } | ${cell(paths.logFile(i), 'spec.install.logDir')} |`,
    ),
    '',
    `## Files on each node (${nodes.map(node => code(node.host)).join(', ')})`,
    '',
    'Every node gets the same files; only the host name in the producer client ids and metric labels differs.',
    '',
    ...fileTable(first.files),
    '',
    '## Install on a node',
    '',
    `Needs a Kafka 3.x distribution (MirrorMaker 1 was removed in 4.0) in ${code(
      spec.install.kafkaHome,
      'spec.install.kafkaHome',
    )}, Java,`,
    `the user ${code(spec.install.user, 'spec.install.user')}${
      spec.monitoring.prometheus.enabled
        ? ` and the JMX exporter agent at ${code(
            spec.install.jmxExporterJar,
            'spec.install.jmxExporterJar',
          )}`
        : ''
    }.`,
    '',
    '```sh',
    ...dirs.map(dir => `sudo install -d -m 0755 ${shellQuote(dir)}`),
    `sudo install -d -o ${user} -g ${group} -m 0750 ${shellQuote(
      spec.install.logDir,
      'spec.install.logDir',
    )}`,
    '# each file to its path, with the mode in the table:',
    ...nonSecret.map(
      file =>
        `sudo install -m ${octal(file.mode)} ${shellQuote(
          file.path.slice(file.path.lastIndexOf('/') + 1),
        )} ${shellQuote(file.path)}`,
    ),
    ...(secretFiles.length > 0
      ? ['# files with secrets: readable by the service user only']
      : []),
    ...secretFiles.map(
      file =>
        `sudo install -o ${user} -g ${group} -m ${octal(
          file.mode,
        )} ${shellQuote(
          file.path.slice(file.path.lastIndexOf('/') + 1),
        )} ${shellQuote(file.path)}`,
    ),
    'sudo systemctl daemon-reload',
    `sudo systemctl enable --now ${units.join(' ')}`,
    '```',
    '',
    'Check, restart one process at a time (wait until its consumer has rejoined and lag is falling before the next), stop:',
    '',
    '```sh',
    `systemctl status ${units.join(' ')}`,
    `journalctl -u ${units[0]} -f`,
    ...units.map(unit => `sudo systemctl restart ${unit}`),
    `sudo systemctl disable --now ${units.join(' ')}`,
    '```',
    '',
    'When the process count goes down, stop, disable and delete the units and files of the processes that are gone.',
    '',
    '## Where the secrets are',
    '',
    secretFiles.length > 0
      ? `${secretFiles
          .map(file => code(file.path))
          .join(
            ', ',
          )} hold the TLS store passwords and SASL credentials of the clusters, taken from ${code(
          'mirrorMaker.clusters',
        )} in app-config. They are mode 0600 and must belong to the service user. No other file holds a secret; the plugin shows these redacted.`
      : `No file holds a secret: neither cluster uses TLS store passwords or SASL (see ${code(
          'mirrorMaker.clusters',
        )} in app-config).`,
    '',
    'JMX listens on 127.0.0.1 without authentication: anyone with a shell on the node can read and change MBeans.',
    '',
  ];
  if (deploymentFiles.length > 0) {
    lines.push(
      '## Files for the deployment',
      '',
      ...fileTable(deploymentFiles),
      '',
    );
  }
  if (spec.monitoring.prometheus.enabled) {
    lines.push(
      '## Prometheus',
      '',
      `The exporters listen on 127.0.0.1 only. Point a Prometheus (agent) on each node at ${code(
        paths.prometheusScrape,
      )}`,
      `with ${code('scrape_config_files')}, and load ${code(
        'prometheus/alerts.yml',
      )} with ${code('rule_files')} where alerts are evaluated.`,
      '',
    );
  }
  if (spec.monitoring.newRelic.enabled) {
    lines.push(
      '## New Relic',
      '',
      `Install the infrastructure agent and nri-jmx on each node; the files in ${code(
        '/etc/newrelic-infra/integrations.d',
      )} are picked up`,
      `by the agent. Import ${code(
        'newrelic/dashboard.json',
      )} (NerdGraph ${code(
        'dashboardCreate',
      )} or the UI's import). The system charts match`,
      'nodes by host name: list nodes by name, not IP address, to see them.',
      '',
    );
  }
  lines.push(
    '## Ansible',
    '',
    `${code('ansible/inventory.ini')} and ${code(
      `ansible/group_vars/${ANSIBLE_GROUP}.yml`,
    )} carry the same values under the seed playbooks'`,
    'variable names, for teams that still deploy with them.',
    '',
  );
  return lines.join('\n');
}
