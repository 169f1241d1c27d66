import {
  BundleFile,
  resolveSpec,
  ResolvedMirrorMakerSpec,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  DeployRequest,
  ProcessAddress,
} from '@mirrormaker/plugin-mirror-maker-node';
import {
  isHost,
  requireCount,
  requireDeploymentName,
  requireFileMode,
  requireRemotePath,
  requireUnitName,
  requireUnixName,
} from './validate';

/** The renderer's limit; more would be a request it never produced. */
const MAX_PROCESSES_PER_NODE = 64;

/** Where one process's files are and how it is run, all from the request. */
export interface ProcessLayout {
  host: string;
  index: number;
  /** The process's own files and the node's shared ones, checked. */
  files: BundleFile[];
  /** The start script, `bin/kafka-mirror-maker-<i>.sh`. */
  script: string;
  /** The producer properties, on the JVM's command line (tells our process from others). */
  producerConfig: string;
  /** The rendered systemd unit file. */
  unitFile: BundleFile;
  /** Its name, `kafka-mirror-maker-<name>-<i>.service`. */
  unit: string;
  logDir: string;
  /** stdout and stderr of a `direct` process. */
  outFile: string;
  /** Process id of a `direct` process. */
  pidFile: string;
  /** Owner of the files under systemd (the unit's `User=` and `Group=`). */
  user: string;
  group: string;
}

/** A process of a planned request, with where its metrics are. */
export type PlannedProcess = ProcessAddress & { metricsUrl?: string };

function specOf(request: DeployRequest): ResolvedMirrorMakerSpec {
  const { entity } = request.input;
  return resolveSpec(entity.spec, entity.metadata.name);
}

function processesPerNode(spec: ResolvedMirrorMakerSpec): number {
  return requireCount(
    spec.placement.processesPerNode,
    'spec.placement.processesPerNode',
    MAX_PROCESSES_PER_NODE,
  );
}

/** File names of process `i`'s own files, as the renderer names them. */
function ownNames(name: string, i: number) {
  return {
    producer: `kafka-mirror-maker-producer-${i}.properties`,
    log4j: `kafka-mirror-log4j-${i}.properties`,
    exporter: `jmx-exporter-${i}.yml`,
    script: `kafka-mirror-maker-${i}.sh`,
    unit: `kafka-mirror-maker-${name}-${i}.service`,
  };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * Every process of the request in rollout order (node by node, as
 * `spec.placement.nodes` lists them), with the URL of its JMX exporter when
 * Prometheus is on. `hosts` maps node names to where the backend reaches
 * them, which is also where it scrapes them.
 */
export function planProcesses(
  request: DeployRequest,
  hosts: Record<string, { address: string }> = {},
): PlannedProcess[] {
  requireDeploymentName(request.bundle.name);
  const spec = specOf(request);
  const count = processesPerNode(spec);
  const planned: PlannedProcess[] = [];
  for (const node of request.bundle.nodes) {
    if (!isHost(node.host)) {
      throw new Error(
        `node ${JSON.stringify(node.host)} is not a host name or IP address`,
      );
    }
    for (let index = 1; index <= count; index++) {
      const process: PlannedProcess = { host: node.host, index };
      if (spec.monitoring.prometheus.enabled) {
        const port = spec.jmx.exporterInitialPort + index;
        const address = hosts[node.host]?.address ?? node.host;
        process.metricsUrl = `http://${urlHost(address)}:${port}/metrics`;
      }
      planned.push(process);
    }
  }
  return planned;
}

/**
 * The layout of one process of the request. Throws, before anything runs,
 * when the request does not hold the process, a file it needs is missing,
 * or any path, name or mode fails the checks in ./validate.
 */
export function layoutOf(
  request: DeployRequest,
  process: ProcessAddress,
): ProcessLayout {
  const name = requireDeploymentName(request.bundle.name);
  const spec = specOf(request);
  const count = processesPerNode(spec);
  requireCount(process.index, 'process number', count);
  const node = request.bundle.nodes.find(n => n.host === process.host);
  if (!node || !isHost(process.host)) {
    throw new Error(
      `${JSON.stringify(
        process.host,
      )} is not a node of deployment ${name} (nodes: ${request.bundle.nodes
        .map(n => n.host)
        .join(', ')})`,
    );
  }
  const owners = new Map<string, number>();
  for (let i = 1; i <= count; i++) {
    for (const file of Object.values(ownNames(name, i))) owners.set(file, i);
  }
  const mine = ownNames(name, process.index);
  const files: BundleFile[] = [];
  const seen = new Set<string>();
  let script: string | undefined;
  let producerConfig: string | undefined;
  let unitFile: BundleFile | undefined;
  for (const file of node.files) {
    const owner = owners.get(baseName(file.path));
    if (owner !== undefined && owner !== process.index) continue;
    requireRemotePath(file.path, `file of ${process.host}`);
    requireFileMode(file.mode, file.path);
    if (seen.has(file.path)) {
      throw new Error(`the bundle lists ${file.path} twice for ${node.host}`);
    }
    seen.add(file.path);
    const base = baseName(file.path);
    if (base === mine.script) script = file.path;
    if (base === mine.producer) producerConfig = file.path;
    if (base === mine.unit) {
      unitFile = file;
      continue;
    }
    files.push(file);
  }
  const missing = [
    script ? undefined : mine.script,
    producerConfig ? undefined : mine.producer,
    unitFile ? undefined : mine.unit,
  ].filter(Boolean);
  if (missing.length > 0 || !script || !producerConfig || !unitFile) {
    throw new Error(
      `the bundle of ${name} has no ${missing.join(', ')} for process ${
        process.index
      } on ${process.host}`,
    );
  }
  const logDir = requireRemotePath(spec.install.logDir, 'spec.install.logDir');
  return {
    host: process.host,
    index: process.index,
    files,
    script,
    producerConfig,
    unitFile,
    unit: requireUnitName(mine.unit),
    logDir,
    outFile: `${logDir}/process-${process.index}.out`,
    pidFile: `${logDir}/process-${process.index}.pid`,
    user: requireUnixName(spec.install.user, 'spec.install.user'),
    group: requireUnixName(spec.install.group, 'spec.install.group'),
  };
}
