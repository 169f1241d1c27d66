import { sanitizeIdPart } from './checks';
import { buildContext, RenderContext } from './context';
import {
  renderGroupVars,
  renderInventory,
  ANSIBLE_GROUP,
} from './files/ansible';
import { renderDashboard } from './files/dashboard';
import { prepareJmxExporterConfig } from './files/jmxExporter';
import { prepareLog4j } from './files/log4j';
import {
  prepareNewRelicConfig,
  renderNewRelicJvmMetrics,
  renderNewRelicMetrics,
} from './files/newRelic';
import { prepareScrapeConfig, renderAlertRules } from './files/prometheus';
import { renderReadme } from './files/readme';
import { prepareScript } from './files/script';
import { prepareSystemdUnit } from './files/systemdUnit';
import { renderConsumerProperties } from './kafka/consumer';
import { AppliedOverrides } from './kafka/overrides';
import { prepareProducerProperties } from './kafka/producer';
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

/** What a process's files on any node share: paths, descriptions and the host-independent contents. */
interface ProcessFiles {
  producerPath: string;
  producerDescription: string;
  log4jPath: string;
  log4j: string;
  log4jDescription: string;
  exporterPath: string;
  exporterDescription: string;
  scriptPath: string;
  scriptDescription: string;
  unitPath: string;
  unitDescription: string;
}

/**
 * Renders the files of every node. All checking and escaping happens here,
 * once per deployment and in the order the files are listed; what is left
 * per node and process is joining escaped pieces with the host (checked by
 * buildContext) and the process number.
 */
function prepareNodeFiles(ctx: RenderContext): {
  files: (host: string) => BundleFile[];
  consumer: AppliedOverrides;
  producer: AppliedOverrides;
} {
  const { paths, spec } = ctx;
  const prometheus = spec.monitoring.prometheus.enabled;
  const newRelic = spec.monitoring.newRelic.enabled;
  const consumer = renderConsumerProperties(ctx);
  const consumerDescription = `Consumer settings of all processes on the node (source cluster ${ctx.source.name}).`;
  const producer = prepareProducerProperties(ctx);
  const log4j = prepareLog4j(ctx);
  const processes: ProcessFiles[] = ctx.processes.map(i => ({
    producerPath: paths.producerConfig(i),
    producerDescription: `Producer settings of process ${i} (target cluster ${ctx.target.name}, its own client.id).`,
    log4jPath: paths.log4jConfig(i),
    log4j: log4j(i),
    log4jDescription: `Logging of process ${i}: size-capped rolling file.`,
    exporterPath: paths.exporterConfig(i),
    exporterDescription: `Prometheus JMX exporter rules of process ${i}.`,
    scriptPath: paths.script(i),
    scriptDescription: `Start script of process ${i}.`,
    unitPath: paths.unit(i),
    unitDescription: `systemd unit of process ${i}.`,
  }));
  const exporter = prometheus ? prepareJmxExporterConfig(ctx) : undefined;
  const script = prepareScript(ctx);
  const unit = prepareSystemdUnit(ctx);
  const scrape = prometheus ? prepareScrapeConfig(ctx) : undefined;
  const newRelicConfig = newRelic ? prepareNewRelicConfig(ctx) : undefined;
  const newRelicMetrics = newRelic ? renderNewRelicMetrics(ctx) : '';
  const newRelicJvmMetrics = newRelic ? renderNewRelicJvmMetrics(ctx) : '';

  const files = (host: string): BundleFile[] => {
    const hostId = sanitizeIdPart(host);
    const nodeFiles: BundleFile[] = [
      propertiesFile(paths.consumerConfig, consumer, consumerDescription),
    ];
    for (let k = 0; k < processes.length; k++) {
      const i = k + 1;
      const p = processes[k];
      nodeFiles.push(
        file(
          p.producerPath,
          producer.render(host, hostId, i),
          p.producerDescription,
          producer.secret ? PRIVATE : PUBLIC,
          producer.secret,
        ),
        file(p.log4jPath, p.log4j, p.log4jDescription),
      );
      if (exporter) {
        nodeFiles.push(
          file(p.exporterPath, exporter(host, i), p.exporterDescription),
        );
      }
      nodeFiles.push(
        file(p.scriptPath, script(host, i), p.scriptDescription, EXECUTABLE),
        file(p.unitPath, unit(host, i), p.unitDescription),
      );
    }
    if (scrape) {
      nodeFiles.push(
        file(
          paths.prometheusScrape,
          scrape(host),
          'Scrape configuration for a Prometheus agent on the node (scrape_config_files).',
        ),
      );
    }
    if (newRelicConfig) {
      nodeFiles.push(
        file(
          paths.newRelicConfig,
          newRelicConfig(host),
          'nri-jmx instances, one per process.',
        ),
        file(
          paths.newRelicMetrics,
          newRelicMetrics,
          'nri-jmx collection: MirrorMaker and Kafka client MBeans.',
        ),
        file(
          paths.newRelicJvmMetrics,
          newRelicJvmMetrics,
          'nri-jmx collection: JVM MBeans.',
        ),
      );
    }
    return nodeFiles;
  };
  return { files, consumer: consumer.applied, producer: producer.applied };
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
  const prepared = prepareNodeFiles(ctx);
  const nodes: BundleNode[] = ctx.spec.placement.nodes.map(host => ({
    host,
    files: prepared.files(host),
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
      renderGroupVars(ctx, prepared.consumer, prepared.producer),
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
