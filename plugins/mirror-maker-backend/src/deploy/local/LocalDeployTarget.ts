import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  BundleFile,
  MirrorMakerEntity,
  renderBundle,
  resolveSpec,
} from '@mirrormaker/plugin-mirror-maker-common';
import type {
  DeployRequest,
  DeployTarget,
  DeployTargetReadiness,
  ProcessAddress,
  ProcessStatus,
} from '@mirrormaker/plugin-mirror-maker-node';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DIR_MODE, newestTail, readJson, writeFileAtomic } from './files';
import {
  capHeap,
  CONFIG_KEY,
  LocalDeployTargetOptions,
  readLocalOptions,
  ResolvedLocalOptions,
  resolveLocalOptions,
} from './options';
import {
  deploymentDirName,
  isInside,
  nodePaths,
  NodePaths,
  safeSegment,
} from './paths';
import { NodePorts, PortAllocator } from './ports';
import { ProcessRecord, ProcessSupervisor } from './ProcessSupervisor';
import { isAlive } from './procfs';

/** One node of a request, rendered for this host. */
interface NodeLayout {
  host: string;
  paths: NodePaths;
  ports: NodePorts;
  processesPerNode: number;
  exporter: boolean;
  /** The node's files that go under its folder (not the systemd units or New Relic files for /etc). */
  files: BundleFile[];
}

/** Used when a start finds the process running an older revision. */
const RESTART_STOP_TIMEOUT_MS = 30_000;

/** Variables a start script and the JVM may need; the backend's own (and its secrets) stay out. */
const PASSED_ENV = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'JAVA_HOME',
];

/** `-<i>.<ext>` ends the names of the per-process files; the node's shared files have none. */
const PROCESS_FILE = /-(\d+)\.[A-Za-z]+$/;

function onPath(program: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .some(dir => {
      try {
        fs.accessSync(path.join(dir, program), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function isRecord(value: unknown): value is ProcessRecord {
  const r = value as ProcessRecord | undefined;
  return (
    !!r &&
    r.version === 1 &&
    typeof r.deploymentRef === 'string' &&
    typeof r.host === 'string' &&
    Number.isInteger(r.index) &&
    r.index > 0 &&
    (r.desired === 'running' || r.desired === 'stopped')
  );
}

/**
 * The embedded `local` deploy target: runs the MirrorMaker 1 processes of
 * a deployment on the Backstage host, every node of the placement as a
 * folder `<workDir>/<deployment>/<host>/` with `config/`, `bin/`, `logs/`
 * and `run/`. Requests are rendered again with paths in that folder, free
 * loopback ports per node (remembered across restarts) and the heap capped,
 * so a demo on a laptop works without root and without port clashes.
 *
 * Processes run detached and outlive the backend; each has a state file
 * from which the next backend instance adopts it (`start()`). While the
 * backend runs, a process that ends on its own is restarted with growing
 * pauses. `shutdown()` stops them all but remembers that they should run.
 */
export class LocalDeployTarget implements DeployTarget {
  readonly name = 'local';
  private readonly options: ResolvedLocalOptions;
  private readonly logger: LoggerService;
  private readonly ports: PortAllocator;
  private readonly instanceId = randomUUID();
  /** By `<deployment folder>/<host>/<index>`. */
  private readonly supervisors = new Map<string, ProcessSupervisor>();
  private readonly layouts = new WeakMap<
    DeployRequest,
    Map<string, Promise<NodeLayout>>
  >();
  private started?: Promise<void>;
  private shuttingDown = false;

  /** Reads `mirrorMaker.deploy.local`; throws an InputError naming a bad key. */
  static fromConfig(config: Config, logger: LoggerService): LocalDeployTarget {
    return new LocalDeployTarget({ ...readLocalOptions(config), logger });
  }

  constructor(options: LocalDeployTargetOptions & { logger: LoggerService }) {
    this.options = resolveLocalOptions(options);
    this.logger = options.logger;
    this.ports = new PortAllocator(this.options.workDir);
  }

  /** The work directory, with one folder per deployment. */
  get workDir(): string {
    return this.options.workDir;
  }

  async checkReadiness(): Promise<DeployTargetReadiness> {
    const problems: string[] = [];
    const { kafkaHome, javaBin, jmxExporterJar, workDir } = this.options;
    if (!kafkaHome) {
      problems.push(
        `${CONFIG_KEY}.kafkaHome is not set; point it at a Kafka 3.x installation (a folder with libs/*.jar)`,
      );
    } else {
      const libs = path.join(kafkaHome, 'libs');
      const jars = await fs.promises
        .readdir(libs)
        .then(names => names.filter(n => n.endsWith('.jar')))
        .catch(() => [] as string[]);
      if (jars.length === 0) problems.push(`no Kafka jars in ${libs}`);
    }
    if (path.isAbsolute(javaBin)) {
      try {
        await fs.promises.access(javaBin, fs.constants.X_OK);
      } catch {
        problems.push(
          `${CONFIG_KEY}.javaBin ${javaBin} is not an executable file`,
        );
      }
    } else if (!onPath(javaBin)) {
      problems.push(
        `${CONFIG_KEY}.javaBin "${javaBin}" is not on the PATH; install Java 17 or set an absolute path`,
      );
    }
    if (!onPath('bash')) {
      problems.push('bash is not on the PATH; the start scripts need it');
    }
    if (jmxExporterJar) {
      try {
        await fs.promises.access(jmxExporterJar, fs.constants.R_OK);
      } catch {
        problems.push(
          `${CONFIG_KEY}.jmxExporterJar ${jmxExporterJar} cannot be read`,
        );
      }
    }
    try {
      await fs.promises.mkdir(workDir, { recursive: true, mode: DIR_MODE });
      await fs.promises.access(workDir, fs.constants.W_OK);
    } catch (e) {
      problems.push(
        `${CONFIG_KEY}.workDir ${workDir} cannot be written: ${
          (e as Error).message
        }`,
      );
    }
    return problems.length > 0
      ? { ready: false, message: problems.join('; ') }
      : {
          ready: true,
          message: `runs MirrorMaker processes on this host under ${workDir}${
            jmxExporterJar
              ? ''
              : ' (without JMX exporter: jmxExporterJar is not set)'
          }`,
        };
  }

  async plan(
    request: DeployRequest,
  ): Promise<(ProcessAddress & { metricsUrl?: string })[]> {
    const planned: (ProcessAddress & { metricsUrl?: string })[] = [];
    for (const host of request.input.entity.spec.placement.nodes) {
      const node = await this.layout(request, host);
      for (let index = 1; index <= node.processesPerNode; index++) {
        const metricsUrl = this.metricsUrl(node, index);
        planned.push({ host, index, ...(metricsUrl ? { metricsUrl } : {}) });
      }
    }
    return planned;
  }

  async writeFiles(
    request: DeployRequest,
    proc: ProcessAddress,
  ): Promise<void> {
    const node = await this.processLayout(request, proc);
    for (const dir of [node.paths.logDir, node.paths.runDir]) {
      await fs.promises.mkdir(dir, { recursive: true, mode: DIR_MODE });
    }
    for (const file of node.files) {
      const match = PROCESS_FILE.exec(path.basename(file.path));
      if (match && Number(match[1]) !== proc.index) continue;
      await writeFileAtomic(file.path, file.content, file.mode);
    }
  }

  async startProcess(
    request: DeployRequest,
    proc: ProcessAddress,
  ): Promise<void> {
    await this.start();
    if (this.shuttingDown) {
      throw new ServiceUnavailableError(
        'the local deploy target is shutting down',
      );
    }
    const node = await this.processLayout(request, proc);
    const { index } = proc;
    const script = node.paths.script(index);
    if (!fs.existsSync(script)) {
      throw new InputError(
        `${script} does not exist: write the files of process ${index} on ${proc.host} before starting it`,
      );
    }
    const key = this.key(request.deploymentRef, proc);
    let supervisor = this.supervisors.get(key);
    if (supervisor?.isRunning()) {
      if (supervisor.revisionId === request.revision.id) return;
      this.logger.info(
        `Restarting MirrorMaker process ${index} on ${proc.host} of ${request.deploymentRef}: it runs revision ${supervisor.revisionId}, not ${request.revision.id}`,
      );
      await supervisor.stop(RESTART_STOP_TIMEOUT_MS);
    }
    const metricsUrl = this.metricsUrl(node, index);
    const update = {
      revisionId: request.revision.id,
      ports: {
        jmx: node.ports.jmxInitialPort + index,
        ...(node.exporter
          ? { exporter: node.ports.exporterInitialPort + index }
          : {}),
      },
      metricsUrl,
    };
    if (!supervisor) {
      supervisor = this.supervise(node.paths, {
        version: 1,
        deploymentRef: request.deploymentRef,
        host: proc.host,
        index,
        desired: 'running',
        owner: this.instanceId,
        restarts: 0,
        state: 'starting',
        since: new Date().toISOString(),
        ...update,
      });
    }
    await supervisor.start(update);
    this.logger.info(
      `Started MirrorMaker process ${index} on ${proc.host} of ${request.deploymentRef} (revision ${request.revision.number}) as pid ${supervisor.pid}`,
    );
  }

  async stopProcess(
    deploymentRef: string,
    proc: ProcessAddress,
    options: { timeoutMs: number },
  ): Promise<void> {
    await this.start();
    await this.supervisors
      .get(this.key(deploymentRef, proc))
      ?.stop(options.timeoutMs);
  }

  async status(deploymentRef: string): Promise<ProcessStatus[]> {
    await this.start();
    return this.of(deploymentRef)
      .map(s => s.status())
      .sort((a, b) => a.host.localeCompare(b.host) || a.index - b.index);
  }

  async stopDeployment(
    deploymentRef: string,
    options: { timeoutMs: number },
  ): Promise<void> {
    await this.start();
    await Promise.all(
      this.of(deploymentRef).map(s => s.stop(options.timeoutMs)),
    );
  }

  async logs(
    deploymentRef: string,
    proc: ProcessAddress,
    options: { lines: number },
  ): Promise<string[]> {
    await this.start();
    const supervisor = this.supervisors.get(this.key(deploymentRef, proc));
    if (supervisor) return supervisor.logLines(options.lines);
    const paths = nodePaths(
      this.options.workDir,
      deploymentDirName(deploymentRef),
      proc.host,
    );
    return newestTail(
      [paths.outFile(proc.index), paths.logFile(proc.index)],
      options.lines,
    );
  }

  /**
   * Takes over what an earlier backend instance left: every process whose
   * state file says it should run is adopted when its pid still belongs to
   * it (same start time), else started again from its files. Runs once;
   * the other methods wait for it.
   */
  start(): Promise<void> {
    this.started ??= this.scan();
    return this.started;
  }

  /**
   * Stops every process this target runs (SIGTERM, SIGKILL after
   * `timeoutMs`), so the backend leaves none behind, but keeps them marked
   * as wanted: the next `start()` brings them back.
   */
  async shutdown(options: { timeoutMs: number }): Promise<void> {
    this.shuttingDown = true;
    await this.started?.catch(() => undefined);
    const results = await Promise.allSettled(
      [...this.supervisors.values()].map(s => s.stop(options.timeoutMs, true)),
    );
    for (const result of results) {
      if (result.status === 'rejected') {
        this.logger.error(
          `Local deploy target shutdown: ${(result.reason as Error).message}`,
        );
      }
    }
  }

  private async scan(): Promise<void> {
    const { workDir } = this.options;
    const list = (dir: string) =>
      fs.promises.readdir(dir).catch(() => [] as string[]);
    let adopted = 0;
    let restarted = 0;
    for (const deployment of await list(workDir)) {
      for (const host of await list(path.join(workDir, deployment))) {
        const runDir = path.join(workDir, deployment, host, 'run');
        for (const name of await list(runDir)) {
          if (!/^process-\d+\.json$/.test(name)) continue;
          const file = path.join(runDir, name);
          const record = await readJson<unknown>(file);
          const problem = this.recordProblem(record, deployment, host, name);
          if (problem) {
            this.logger.warn(
              `Local deploy target: ignoring ${file}: ${problem}`,
            );
            continue;
          }
          const outcome = await this.takeOver(record as ProcessRecord);
          if (outcome === 'adopted') adopted += 1;
          if (outcome === 'started') restarted += 1;
        }
      }
    }
    if (adopted + restarted > 0) {
      this.logger.info(
        `Local deploy target: adopted ${adopted} running MirrorMaker process(es) and started ${restarted} again under ${workDir}`,
      );
    }
  }

  private recordProblem(
    record: unknown,
    deployment: string,
    host: string,
    name: string,
  ): string | undefined {
    if (!isRecord(record)) return 'not a process state file';
    try {
      if (
        deploymentDirName(record.deploymentRef) !== deployment ||
        safeSegment(record.host, 'host') !== host ||
        name !== `process-${record.index}.json`
      ) {
        return `it describes process ${record.index} on ${record.host} of ${record.deploymentRef}, which belongs elsewhere`;
      }
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  }

  private async takeOver(
    record: ProcessRecord,
  ): Promise<'adopted' | 'started' | 'stopped' | 'failed'> {
    const paths = nodePaths(
      this.options.workDir,
      deploymentDirName(record.deploymentRef),
      record.host,
    );
    const alive =
      record.pid !== undefined &&
      record.startTime !== undefined &&
      isAlive(record.pid, record.startTime);
    if (record.desired === 'stopped' && !alive) {
      const stopped: ProcessRecord = { ...record, state: 'stopped' };
      delete stopped.pid;
      delete stopped.startTime;
      this.supervise(paths, stopped);
      return 'stopped';
    }
    const supervisor = this.supervise(paths, record);
    if (record.desired === 'stopped') {
      // The backend ended while stopping it.
      await supervisor.adopt();
      await supervisor.stop(RESTART_STOP_TIMEOUT_MS);
      return 'stopped';
    }
    if (alive) {
      await supervisor.adopt();
      return 'adopted';
    }
    if (!fs.existsSync(paths.script(record.index))) {
      await supervisor.fail(
        `its start script ${paths.script(
          record.index,
        )} is missing; deploy again`,
      );
      return 'failed';
    }
    await supervisor.bringBack();
    return 'started';
  }

  private supervise(
    paths: NodePaths,
    record: ProcessRecord,
  ): ProcessSupervisor {
    const env: NodeJS.ProcessEnv = {};
    for (const name of PASSED_ENV) {
      if (process.env[name] !== undefined) env[name] = process.env[name];
    }
    const supervisor = new ProcessSupervisor({
      stateFile: paths.stateFile(record.index),
      record,
      // The script execs java, so the pid becomes the JVM's.
      command: 'bash',
      args: [paths.script(record.index)],
      cwd: paths.root,
      env,
      outFile: paths.outFile(record.index),
      logFiles: [paths.logFile(record.index)],
      policy: this.options.restart,
      logger: this.logger,
      instanceId: this.instanceId,
    });
    this.supervisors.set(this.key(record.deploymentRef, record), supervisor);
    return supervisor;
  }

  private key(deploymentRef: string, proc: ProcessAddress): string {
    return `${deploymentDirName(deploymentRef)}/${proc.host}/${proc.index}`;
  }

  private of(deploymentRef: string): ProcessSupervisor[] {
    const prefix = `${deploymentDirName(deploymentRef)}/`;
    return [...this.supervisors.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([, supervisor]) => supervisor);
  }

  private metricsUrl(node: NodeLayout, index: number): string | undefined {
    return node.exporter
      ? `http://127.0.0.1:${node.ports.exporterInitialPort + index}/metrics`
      : undefined;
  }

  private async processLayout(
    request: DeployRequest,
    proc: ProcessAddress,
  ): Promise<NodeLayout> {
    const { nodes } = request.input.entity.spec.placement;
    if (!nodes.includes(proc.host)) {
      throw new InputError(
        `${proc.host} is not a node of ${
          request.deploymentRef
        }; spec.placement.nodes lists ${nodes.join(', ')}`,
      );
    }
    const node = await this.layout(request, proc.host);
    if (
      !Number.isInteger(proc.index) ||
      proc.index < 1 ||
      proc.index > node.processesPerNode
    ) {
      throw new InputError(
        `${request.deploymentRef} has no process ${proc.index} on ${proc.host}; it runs processes 1 to ${node.processesPerNode} per node`,
      );
    }
    return node;
  }

  /** Renders the request once per host, with this host's paths and ports. */
  private layout(request: DeployRequest, host: string): Promise<NodeLayout> {
    let byHost = this.layouts.get(request);
    if (!byHost) {
      byHost = new Map();
      this.layouts.set(request, byHost);
    }
    let layout = byHost.get(host);
    if (!layout) {
      layout = this.render(request, host);
      const cache = byHost;
      layout.catch(() => cache.delete(host));
      byHost.set(host, layout);
    }
    return layout;
  }

  private async render(
    request: DeployRequest,
    host: string,
  ): Promise<NodeLayout> {
    const { kafkaHome, javaBin, jmxExporterJar, maxHeap, workDir } =
      this.options;
    if (!kafkaHome) {
      throw new ServiceUnavailableError(
        `the local deploy target cannot deploy: ${CONFIG_KEY}.kafkaHome is not set`,
      );
    }
    const { entity } = request.input;
    const paths = nodePaths(
      workDir,
      deploymentDirName(request.deploymentRef),
      host,
    );
    const spec = resolveSpec(entity.spec, entity.metadata.name);
    const processesPerNode = spec.placement.processesPerNode;
    const exporter = !!jmxExporterJar && spec.monitoring.prometheus.enabled;
    const ports = await this.ports.portsFor(paths.portsFile, processesPerNode);

    const local = JSON.parse(JSON.stringify(entity)) as MirrorMakerEntity;
    local.spec.placement = { ...local.spec.placement, nodes: [host] };
    local.spec.install = {
      kafkaHome,
      configDir: paths.configDir,
      binDir: paths.binDir,
      logDir: paths.logDir,
      javaBin,
      // Only the systemd unit, which this target does not use, names them.
      user: spec.install.user,
      group: spec.install.group,
      ...(jmxExporterJar ? { jmxExporterJar } : {}),
    };
    local.spec.jvm = {
      ...local.spec.jvm,
      heap: capHeap(spec.jvm.heap, maxHeap),
    };
    local.spec.jmx = {
      initialPort: ports.jmxInitialPort,
      exporterInitialPort: ports.exporterInitialPort,
    };
    if (!exporter) {
      // The start script would name an agent jar that is not there.
      local.spec.monitoring = {
        ...local.spec.monitoring,
        prometheus: { enabled: false },
      };
    }
    const bundle = renderBundle({ ...request.input, entity: local });
    return {
      host,
      paths,
      ports,
      processesPerNode,
      exporter,
      files: bundle.nodes[0].files.filter(f => isInside(paths.root, f.path)),
    };
  }
}
