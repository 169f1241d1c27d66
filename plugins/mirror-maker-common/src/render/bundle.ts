import { buildContext, RenderContext } from './context';
import {
  renderGroupVars,
  renderInventory,
  ANSIBLE_GROUP,
} from './files/ansible';
import { renderDashboard } from './files/dashboard';
import { renderJmxExporterConfig } from './files/jmxExporter';
import { renderLog4j } from './files/log4j';
import {
  renderNewRelicConfig,
  renderNewRelicJvmMetrics,
  renderNewRelicMetrics,
} from './files/newRelic';
import { renderAlertRules, renderScrapeConfig } from './files/prometheus';
import { renderReadme } from './files/readme';
import { renderScript } from './files/script';
import { renderSystemdUnit } from './files/systemdUnit';
import { renderConsumerProperties } from './kafka/consumer';
import { renderProducerProperties } from './kafka/producer';
import { Bundle, BundleFile, BundleNode, RenderInput } from './types';

const PUBLIC = 0o644;
const PRIVATE = 0o600;
const EXECUTABLE = 0o755;

function file(
  path: string,
  content: string,
  description: string,
  mode = PUBLIC,
  secret = false,
): BundleFile {
  return { path, mode, content, secret, description };
}

function propertiesFile(
  path: string,
  rendered: { content: string; secret: boolean },
  description: string,
): BundleFile {
  return file(
    path,
    rendered.content,
    description,
    rendered.secret ? PRIVATE : PUBLIC,
    rendered.secret,
  );
}

function nodeFiles(ctx: RenderContext, host: string): BundleFile[] {
  const { paths, spec } = ctx;
  const files: BundleFile[] = [
    propertiesFile(
      paths.consumerConfig,
      renderConsumerProperties(ctx),
      `Consumer settings of all processes on the node (source cluster ${ctx.source.name}).`,
    ),
  ];
  for (const i of ctx.processes) {
    files.push(
      propertiesFile(
        paths.producerConfig(i),
        renderProducerProperties(ctx, host, i),
        `Producer settings of process ${i} (target cluster ${ctx.target.name}, its own client.id).`,
      ),
      file(
        paths.log4jConfig(i),
        renderLog4j(ctx, i),
        `Logging of process ${i}: size-capped rolling file.`,
      ),
    );
    if (spec.monitoring.prometheus.enabled) {
      files.push(
        file(
          paths.exporterConfig(i),
          renderJmxExporterConfig(ctx, host, i),
          `Prometheus JMX exporter rules of process ${i}.`,
        ),
      );
    }
    files.push(
      file(
        paths.script(i),
        renderScript(ctx, host, i),
        `Start script of process ${i}.`,
        EXECUTABLE,
      ),
      file(
        paths.unit(i),
        renderSystemdUnit(ctx, host, i),
        `systemd unit of process ${i}.`,
      ),
    );
  }
  if (spec.monitoring.prometheus.enabled) {
    files.push(
      file(
        paths.prometheusScrape,
        renderScrapeConfig(ctx, host),
        'Scrape configuration for a Prometheus agent on the node (scrape_config_files).',
      ),
    );
  }
  if (spec.monitoring.newRelic.enabled) {
    files.push(
      file(
        paths.newRelicConfig,
        renderNewRelicConfig(ctx, host),
        'nri-jmx instances, one per process.',
      ),
      file(
        paths.newRelicMetrics,
        renderNewRelicMetrics(ctx),
        'nri-jmx collection: MirrorMaker and Kafka client MBeans.',
      ),
      file(
        paths.newRelicJvmMetrics,
        renderNewRelicJvmMetrics(ctx),
        'nri-jmx collection: JVM MBeans.',
      ),
    );
  }
  return files;
}

/**
 * Renders every file of a MirrorMaker deployment: per node, the client
 * configuration, start scripts, log4j files, systemd units and monitoring
 * configuration; for the deployment, dashboards, alert rules, an Ansible
 * inventory and a README. Pure and deterministic: the same input gives the
 * same bytes. Throws an Error naming the field when a value cannot be
 * written safely.
 */
export function renderBundle(input: RenderInput): Bundle {
  const ctx = buildContext(input);
  const nodes: BundleNode[] = ctx.spec.placement.nodes.map(host => ({
    host,
    files: nodeFiles(ctx, host),
  }));
  const files: BundleFile[] = [];
  if (ctx.spec.monitoring.newRelic.enabled) {
    files.push(
      file(
        'newrelic/dashboard.json',
        renderDashboard(ctx),
        'New Relic dashboard (NerdGraph dashboard JSON).',
      ),
    );
  }
  if (ctx.spec.monitoring.prometheus.enabled) {
    files.push(
      file(
        'prometheus/alerts.yml',
        renderAlertRules(ctx),
        'Prometheus alerting rules (rule_files).',
      ),
    );
  }
  files.push(
    file(
      'ansible/inventory.ini',
      renderInventory(ctx),
      "Ansible inventory of the nodes for the seed's playbooks.",
    ),
    file(
      `ansible/group_vars/${ANSIBLE_GROUP}.yml`,
      renderGroupVars(ctx),
      "Ansible variables under the seed's names (every string !unsafe).",
    ),
  );
  files.push(
    file(
      'README.md',
      renderReadme(ctx, nodes, files),
      'What goes where, how to install, where the secrets are.',
    ),
  );
  return { name: ctx.name, nodes, files };
}
