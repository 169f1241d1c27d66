import { KafkaClusterConfig } from '../kind/clusters';
import { effectiveTopics } from '../topics/effective';
import {
  requireAbsolutePath,
  requireBroker,
  requireDeploymentName,
  requireHost,
  requireInteger,
  requireLabelName,
  requireUnixName,
  sanitizeIdPart,
} from './checks';
import { ResolvedMirrorMakerSpec, resolveSpec } from './defaults';
import { assertSingleLine } from './escape/chars';
import { RenderInput } from './types';

/** Labels every monitoring system gets from us; user labels may not reuse them. */
export const RESERVED_LABELS = [
  'client_id',
  'deployment',
  'host',
  'instance',
  'job',
  'partition',
  'process',
  'topic',
];

const MAX_PROCESSES_PER_NODE = 64;

/** Everything the file renderers need, checked once. */
export interface RenderContext {
  /** `metadata.name`. */
  name: string;
  /** `namespace/name`, for comments. */
  ref: string;
  spec: ResolvedMirrorMakerSpec;
  source: KafkaClusterConfig;
  target: KafkaClusterConfig;
  /** The Java regex for `--include`. */
  include: string;
  /** 1..P */
  processes: number[];
  paths: DeploymentPaths;
  jmxPort(i: number): number;
  exporterPort(i: number): number;
  /** `kafka-mirror-maker-<name>-<i>` (the systemd unit name without `.service`). */
  unitName(i: number): string;
  /** Producer `client.id` of process i on a host: `<groupId>-<host>-<i>`. */
  producerClientId(host: string, i: number): string;
}

/** Where each file goes on a node. */
export interface DeploymentPaths {
  consumerConfig: string;
  producerConfig(i: number): string;
  log4jConfig(i: number): string;
  exporterConfig(i: number): string;
  prometheusScrape: string;
  script(i: number): string;
  logFile(i: number): string;
  unit(i: number): string;
  newRelicConfig: string;
  newRelicMetrics: string;
  newRelicJvmMetrics: string;
}

function clusterField(cluster: KafkaClusterConfig, path: string): string {
  return `mirrorMaker.clusters.${cluster.name}.${path}`;
}

function checkClusters(
  source: KafkaClusterConfig,
  target: KafkaClusterConfig,
): void {
  for (const cluster of [source, target]) {
    assertSingleLine(cluster.name, 'cluster name', 'a cluster name');
    if (cluster.brokers.length === 0) {
      throw new Error(
        `${clusterField(
          cluster,
          'brokers',
        )} is empty; list at least one host:port`,
      );
    }
    cluster.brokers.forEach((broker, index) =>
      requireBroker(broker, clusterField(cluster, `brokers[${index}]`)),
    );
  }
  const sourceBrokers = new Set(source.brokers.map(b => b.toLowerCase()));
  const shared = target.brokers.find(b => sourceBrokers.has(b.toLowerCase()));
  if (source.name === target.name || shared !== undefined) {
    throw new Error(
      `spec.source and spec.target are the same cluster (${
        shared !== undefined
          ? `both list broker ${shared}`
          : `both are "${source.name}"`
      }); MirrorMaker would copy every topic into itself in a loop`,
    );
  }
}

function checkPorts(spec: ResolvedMirrorMakerSpec): void {
  const p = spec.placement.processesPerNode;
  requireInteger(spec.jmx.initialPort, 'spec.jmx.initialPort', 1, 65535 - p);
  if (!spec.monitoring.prometheus.enabled) return;
  requireInteger(
    spec.jmx.exporterInitialPort,
    'spec.jmx.exporterInitialPort',
    1,
    65535 - p,
  );
  const jmx = [spec.jmx.initialPort + 1, spec.jmx.initialPort + p];
  const exporter = [
    spec.jmx.exporterInitialPort + 1,
    spec.jmx.exporterInitialPort + p,
  ];
  if (jmx[0] <= exporter[1] && exporter[0] <= jmx[1]) {
    throw new Error(
      `spec.jmx: JMX ports ${jmx[0]}-${jmx[1]} and exporter ports ${exporter[0]}-${exporter[1]} overlap; move spec.jmx.exporterInitialPort at least ${p} away from spec.jmx.initialPort`,
    );
  }
}

function checkInstall(spec: ResolvedMirrorMakerSpec): void {
  const install = spec.install;
  for (const key of [
    'kafkaHome',
    'configDir',
    'binDir',
    'logDir',
    'jmxExporterJar',
  ] as const) {
    requireAbsolutePath(install[key], `spec.install.${key}`);
  }
  if (install.jmxExporterJar.includes('=')) {
    throw new Error(
      'spec.install.jmxExporterJar contains "=", which ends the jar path in a -javaagent option; rename the file',
    );
  }
  if (!/^[A-Za-z0-9._+-]+$/.test(install.javaBin)) {
    requireAbsolutePath(install.javaBin, 'spec.install.javaBin');
  }
  requireUnixName(install.user, 'spec.install.user');
  requireUnixName(install.group, 'spec.install.group');
  if (!/^[1-9][0-9]{0,6}[kKmMgG]?$/.test(spec.jvm.heap)) {
    throw new Error(
      `spec.jvm.heap ${JSON.stringify(
        spec.jvm.heap,
      )} is not a JVM heap size; use a number with an optional k, m or g suffix, e.g. 512M or 2G`,
    );
  }
  if (!/^[1-9][0-9]{0,9}(?:KB|MB|GB)?$/i.test(spec.logging.maxFileSize)) {
    throw new Error(
      `spec.logging.maxFileSize ${JSON.stringify(
        spec.logging.maxFileSize,
      )} is not a log4j file size; use a number with an optional KB, MB or GB suffix, e.g. 100MB`,
    );
  }
  requireInteger(
    spec.logging.maxBackupIndex,
    'spec.logging.maxBackupIndex',
    0,
    1000,
  );
}

function checkMonitoring(spec: ResolvedMirrorMakerSpec): void {
  const { newRelic, labels, alerts } = spec.monitoring;
  if (newRelic.enabled) {
    if (newRelic.accountId === undefined) {
      throw new Error(
        'spec.monitoring.newRelic.accountId is required when New Relic is enabled: the dashboard queries that account',
      );
    }
    requireInteger(
      newRelic.accountId,
      'spec.monitoring.newRelic.accountId',
      1,
      Number.MAX_SAFE_INTEGER,
    );
  }
  for (const [key, value] of Object.entries(labels)) {
    requireLabelName(key, 'spec.monitoring.labels');
    if (RESERVED_LABELS.includes(key.toLowerCase())) {
      throw new Error(
        `spec.monitoring.labels: "${key}" is set by the generated configuration itself; choose another label name (reserved: ${RESERVED_LABELS.join(
          ', ',
        )})`,
      );
    }
    assertSingleLine(value, `spec.monitoring.labels.${key}`, 'a metric label');
  }
  requireInteger(
    alerts.lagGrowingMinutes,
    'spec.monitoring.alerts.lagGrowingMinutes',
    1,
    1440,
  );
  const heartbeat = alerts.heartbeatLatencySeconds;
  if (!Number.isFinite(heartbeat) || heartbeat <= 0) {
    throw new Error(
      `spec.monitoring.alerts.heartbeatLatencySeconds must be a positive number, got ${JSON.stringify(
        heartbeat,
      )}`,
    );
  }
}

function checkNodes(spec: ResolvedMirrorMakerSpec): void {
  const nodes = spec.placement.nodes;
  if (nodes.length === 0) {
    throw new Error('spec.placement.nodes is empty; list at least one host');
  }
  const seen = new Map<string, string>();
  nodes.forEach((host, index) => {
    requireHost(host, `spec.placement.nodes[${index}]`);
    const id = sanitizeIdPart(host).toLowerCase();
    const other = seen.get(id);
    if (other !== undefined) {
      throw new Error(
        `spec.placement.nodes lists ${JSON.stringify(
          other,
        )} and ${JSON.stringify(
          host,
        )}, which are the same node (or would get the same producer client.id); list each node once`,
      );
    }
    seen.set(id, host);
  });
}

/** Resolves defaults, checks every value rendering depends on, and derives names and paths. */
export function buildContext(input: RenderInput): RenderContext {
  const { entity, source, target } = input;
  const name = requireDeploymentName(entity.metadata.name, 'metadata.name');
  const namespace = entity.metadata.namespace ?? 'default';
  assertSingleLine(namespace, 'metadata.namespace', 'a comment line');
  const spec = resolveSpec(entity.spec, name);

  checkNodes(spec);
  requireInteger(
    spec.placement.processesPerNode,
    'spec.placement.processesPerNode',
    1,
    MAX_PROCESSES_PER_NODE,
  );
  requireInteger(
    spec.placement.numStreams,
    'spec.placement.numStreams',
    1,
    1000,
  );
  requireInteger(
    spec.offsetCommitIntervalMs,
    'spec.offsetCommitIntervalMs',
    1,
    2147483647,
  );
  assertSingleLine(spec.groupId, 'spec.groupId', 'a consumer group id');
  if (spec.groupId.length === 0) throw new Error('spec.groupId is empty');
  checkPorts(spec);
  checkInstall(spec);
  checkMonitoring(spec);
  checkClusters(source, target);

  // effectiveTopics remembers results by rule, so this is cheap when many
  // deployments share one.
  const { include } = effectiveTopics(
    entity.spec.topics,
    input.approvedTopics ?? [],
  );
  if (include.length === 0) {
    throw new Error(
      'spec.topics selects no topic: give a suffix, an include pattern or at least one name',
    );
  }
  assertSingleLine(
    include,
    'spec.topics (effective include pattern)',
    'a Java regular expression',
  );

  const { configDir, binDir, logDir } = spec.install;
  const integrations = '/etc/newrelic-infra/integrations.d';
  const processes = Array.from(
    { length: spec.placement.processesPerNode },
    (_, k) => k + 1,
  );
  const unitName = (i: number) => `kafka-mirror-maker-${name}-${i}`;
  return {
    name,
    ref: `${namespace}/${name}`,
    spec,
    source,
    target,
    include,
    processes,
    paths: {
      consumerConfig: `${configDir}/kafka-mirror-maker-consumer.properties`,
      producerConfig: i =>
        `${configDir}/kafka-mirror-maker-producer-${i}.properties`,
      log4jConfig: i => `${configDir}/kafka-mirror-log4j-${i}.properties`,
      exporterConfig: i => `${configDir}/jmx-exporter-${i}.yml`,
      prometheusScrape: `${configDir}/prometheus-scrape.yml`,
      script: i => `${binDir}/kafka-mirror-maker-${i}.sh`,
      logFile: i => `${logDir}/kafka-mirror-maker-${i}.log`,
      unit: i => `/etc/systemd/system/${unitName(i)}.service`,
      newRelicConfig: `${integrations}/kafka-mirror-maker-${name}-jmx-config.yml`,
      newRelicMetrics: `${integrations}/kafka-mirror-maker-${name}-metrics.yml`,
      newRelicJvmMetrics: `${integrations}/kafka-mirror-maker-${name}-jvm-metrics.yml`,
    },
    jmxPort: i => spec.jmx.initialPort + i,
    exporterPort: i => spec.jmx.exporterInitialPort + i,
    unitName,
    producerClientId: (host, i) =>
      `${spec.groupId}-${sanitizeIdPart(host)}-${i}`,
  };
}
