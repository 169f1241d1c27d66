import { promises as fs } from 'fs';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  DeployRequest,
  DeployTarget,
  DeployTargetReadiness,
  ProcessAddress,
  ProcessStatus,
} from '@mirrormaker/plugin-mirror-maker-node';
import {
  daemonReload,
  directLogs,
  exporterScrape,
  httpBody,
  directStart,
  directStatus,
  directStop,
  ensureLogDir,
  systemdDisable,
  systemdLogs,
  systemdStart,
  systemdStatus,
  systemdStop,
} from './commands';
import {
  checkPrivateKey,
  loadPrivateKey,
  readSshSettings,
  SSH_CONFIG_KEY,
  SshTargetSettings,
} from './config';
import { installFiles, InstallItem } from './install';
import {
  layoutOf,
  planProcesses,
  PlannedProcess,
  ProcessLayout,
} from './layout';
import { SshConnection } from './SshConnection';
import { resolveSpec } from '@mirrormaker/plugin-mirror-maker-common';
import { parseDirectStatus, parseSystemdShow } from './status';
import { requireCount } from './validate';

export interface SshDeployTargetOptions {
  /** The `mirrorMaker.deploy.ssh` settings; undefined leaves the target not ready. */
  settings: SshTargetSettings | undefined;
  logger: LoggerService;
  /** Reads `privateKeyFile`; tests pass their own. */
  readFile?: (path: string) => Promise<string>;
}

/** What the target knows of one process. */
interface KnownProcess {
  /** Where its files are: of the revision it runs, else of the last plan. */
  layout: ProcessLayout;
  /** The revision it was started with, while it runs. */
  revisionId?: string;
  /** When the target last started or stopped it. */
  since: string;
}

interface KnownDeployment {
  request: DeployRequest;
  processes: Map<string, KnownProcess>;
}

function keyOf(process: ProcessAddress): string {
  return `${process.host}#${process.index}`;
}

/** Extra time a stop command gets beyond its own SIGKILL deadline. */
const STOP_SLACK_MS = 15_000;
/** How long a direct-mode start waits for a process it replaces. */
const REPLACE_TIMEOUT_MS = 30_000;

/**
 * Deploys over SSH: uploads a deployment's rendered files to its nodes by
 * SFTP (each file replaced in one rename) and drives systemd there, or, in
 * `direct` mode for nodes without systemd, runs the start script with nohup
 * and a pid file. Host keys are always checked against `knownHosts`.
 *
 * It keeps the last request of each deployment in memory, which is what
 * status, stopProcess and stopDeployment go by; after a backend restart a
 * deployment is unknown until its next rollout plans it.
 */
export class SshDeployTarget implements DeployTarget {
  readonly name = 'ssh';
  readonly #settings: SshTargetSettings | undefined;
  readonly #logger: LoggerService;
  readonly #readFile: (path: string) => Promise<string>;
  readonly #connections = new Map<string, Promise<SshConnection>>();
  readonly #deployments = new Map<string, KnownDeployment>();

  /** Reads `mirrorMaker.deploy.ssh`; throws on a malformed value, naming it. */
  static fromConfig(config: Config, logger: LoggerService): SshDeployTarget {
    return new SshDeployTarget({
      settings: readSshSettings(config.getOptionalConfig(SSH_CONFIG_KEY)),
      logger,
    });
  }

  constructor(options: SshDeployTargetOptions) {
    this.#settings = options.settings;
    this.#logger = options.logger;
    this.#readFile = options.readFile ?? (path => fs.readFile(path, 'utf8'));
  }

  async checkReadiness(): Promise<DeployTargetReadiness> {
    const settings = this.#settings;
    if (!settings) {
      return {
        ready: false,
        message: `${SSH_CONFIG_KEY} is not configured: set knownHosts and privateKey (or privateKeyFile)`,
      };
    }
    const missing: string[] = [];
    if (settings.knownHosts.length === 0) {
      missing.push(
        `${SSH_CONFIG_KEY}.knownHosts is empty: list the host key of every node (ssh-keyscan output, checked)`,
      );
    }
    try {
      checkPrivateKey(
        await loadPrivateKey(settings, this.#readFile),
        settings.passphrase,
      );
    } catch (e) {
      missing.push((e as Error).message);
    }
    if (missing.length > 0)
      return { ready: false, message: missing.join('; ') };
    return {
      ready: true,
      message: `connects as ${settings.user} (port ${settings.port}), ${settings.knownHosts.length} known host keys, service manager ${settings.serviceManager}`,
    };
  }

  async plan(request: DeployRequest): Promise<PlannedProcess[]> {
    const planned = planProcesses(request, this.#requireSettings().hosts);
    const known = this.#remember(request);
    for (const process of planned) {
      const existing = known.processes.get(keyOf(process));
      if (!existing || existing.revisionId === undefined) {
        known.processes.set(keyOf(process), {
          layout: layoutOf(request, process),
          since: existing?.since ?? new Date().toISOString(),
        });
      }
    }
    return planned;
  }

  async writeFiles(
    request: DeployRequest,
    process: ProcessAddress,
  ): Promise<void> {
    const settings = this.#requireSettings();
    const layout = layoutOf(request, process);
    this.#remember(request);
    const systemd = settings.serviceManager === 'systemd';
    const owner = systemd
      ? { user: layout.user, group: layout.group }
      : undefined;
    const items: InstallItem[] = layout.files.map(f => ({
      path: f.path,
      mode: f.mode,
      content: f.content,
      ...(owner ? { owner } : {}),
    }));
    if (systemd) {
      const { unitFile } = layout;
      items.push({
        path: unitFile.path,
        mode: unitFile.mode,
        content: unitFile.content,
      });
    }
    const connection = await this.#connection(process.host);
    await installFiles(connection, items, {
      sudo: systemd && settings.sudo,
      timeoutMs: settings.commandTimeoutMs,
    });
    if (systemd) {
      await this.#run(
        process.host,
        ensureLogDir(layout.logDir, layout.user, layout.group, settings.sudo),
        'creating the log directory',
      );
      await this.#run(
        process.host,
        daemonReload(settings.sudo),
        'daemon-reload',
      );
    }
    this.#logger.info(
      `ssh: wrote ${items.length} files of ${request.deploymentRef} revision ${request.revision.number} for process ${process.index} on ${process.host}`,
    );
  }

  async startProcess(
    request: DeployRequest,
    process: ProcessAddress,
  ): Promise<void> {
    const settings = this.#requireSettings();
    const layout = layoutOf(request, process);
    const known = this.#remember(request);
    if (settings.serviceManager === 'systemd') {
      await this.#run(
        process.host,
        systemdStart(layout.unit, settings.sudo),
        `starting ${layout.unit}`,
      );
    } else {
      // A start is a fresh process, as `systemctl restart` gives.
      const previous = known.processes.get(keyOf(process))?.layout ?? layout;
      await this.#run(
        process.host,
        directStop(previous, REPLACE_TIMEOUT_MS),
        `stopping process ${process.index} before its start`,
        REPLACE_TIMEOUT_MS + STOP_SLACK_MS,
      );
      await this.#run(
        process.host,
        directStart(layout),
        `starting process ${process.index}`,
      );
    }
    known.processes.set(keyOf(process), {
      layout,
      revisionId: request.revision.id,
      since: new Date().toISOString(),
    });
    this.#logger.info(
      `ssh: started process ${process.index} of ${request.deploymentRef} on ${process.host} (revision ${request.revision.number})`,
    );
  }

  async stopProcess(
    deploymentRef: string,
    process: ProcessAddress,
    options: { timeoutMs: number },
  ): Promise<void> {
    const known = this.#deployments.get(deploymentRef);
    const entry = known?.processes.get(keyOf(process));
    if (!known || !entry) {
      this.#logger.debug(
        `ssh: nothing known of process ${process.index} of ${deploymentRef} on ${process.host}; nothing to stop`,
      );
      return;
    }
    await this.#stop(entry.layout, options.timeoutMs);
    let layout = entry.layout;
    try {
      layout = layoutOf(known.request, process);
    } catch {
      // The process is not in the newest request: keep what was stopped.
    }
    known.processes.set(keyOf(process), {
      layout,
      since: new Date().toISOString(),
    });
  }

  async status(deploymentRef: string): Promise<ProcessStatus[]> {
    const known = this.#deployments.get(deploymentRef);
    if (!known || !this.#settings) return [];
    const byHost = new Map<string, KnownProcess[]>();
    for (const process of known.processes.values()) {
      const list = byHost.get(process.layout.host) ?? [];
      list.push(process);
      byHost.set(process.layout.host, list);
    }
    const metrics = new Map<string, string | undefined>();
    try {
      for (const p of planProcesses(known.request, this.#settings.hosts)) {
        metrics.set(keyOf(p), p.metricsUrl);
      }
    } catch {
      // Status still answers for a request that no longer plans.
    }
    const results = await Promise.all(
      [...byHost].map(([host, processes]) =>
        this.#hostStatus(host, processes).catch(
          (error: Error): ProcessStatus[] =>
            processes.map(p => ({
              host,
              index: p.layout.index,
              state: 'failed',
              restarts: 0,
              since: p.since,
              message: `cannot ask ${host}: ${error.message}`,
            })),
        ),
      ),
    );
    const statuses = results.flat().map(s => {
      const entry = known.processes.get(keyOf(s));
      const metricsUrl = metrics.get(keyOf(s));
      return {
        ...s,
        ...(entry?.revisionId && s.state !== 'stopped'
          ? { revisionId: entry.revisionId }
          : {}),
        ...(metricsUrl ? { metricsUrl } : {}),
      };
    });
    const order = [...known.processes.keys()];
    return statuses.sort(
      (a, b) => order.indexOf(keyOf(a)) - order.indexOf(keyOf(b)),
    );
  }

  async stopDeployment(
    deploymentRef: string,
    options: { timeoutMs: number },
  ): Promise<void> {
    const known = this.#deployments.get(deploymentRef);
    if (!known) return;
    const settings = this.#requireSettings();
    const failures: string[] = [];
    for (const process of known.processes.values()) {
      const { layout } = process;
      try {
        await this.#stop(layout, options.timeoutMs);
        if (settings.serviceManager === 'systemd') {
          await this.#run(
            layout.host,
            systemdDisable(layout.unit, settings.sudo),
            `disabling ${layout.unit}`,
          );
        }
        process.revisionId = undefined;
        process.since = new Date().toISOString();
      } catch (e) {
        failures.push(
          `process ${layout.index} on ${layout.host}: ${(e as Error).message}`,
        );
      }
    }
    if (failures.length > 0) {
      throw new Error(
        `could not stop every process of ${deploymentRef}: ${failures.join(
          '; ',
        )}`,
      );
    }
    this.#deployments.delete(deploymentRef);
  }

  async logs(
    deploymentRef: string,
    process: ProcessAddress,
    options: { lines: number },
  ): Promise<string[]> {
    const settings = this.#requireSettings();
    const entry = this.#deployments
      .get(deploymentRef)
      ?.processes.get(keyOf(process));
    if (!entry) return [];
    const lines = requireCount(options.lines, 'lines', 100_000);
    const command =
      settings.serviceManager === 'systemd'
        ? systemdLogs(entry.layout.unit, lines, settings.sudo)
        : directLogs(entry.layout, lines);
    const out = await this.#run(process.host, command, 'reading the log');
    const result = out.split('\n');
    if (result[result.length - 1] === '') result.pop();
    return result;
  }

  /**
   * The Prometheus text of one process's JMX exporter, read on the node over
   * SSH: the exporter listens on the node's loopback only, which the
   * backend cannot reach. Undefined when it cannot be read.
   */
  async metrics(
    deploymentRef: string,
    process: ProcessAddress,
  ): Promise<string | undefined> {
    const known = this.#deployments.get(deploymentRef);
    if (!known?.processes.has(keyOf(process))) return undefined;
    const entity = known.request.input.entity;
    const spec = resolveSpec(entity.spec, entity.metadata.name);
    if (!spec.monitoring.prometheus.enabled) return undefined;
    const port = spec.jmx.exporterInitialPort + process.index;
    try {
      return httpBody(
        await this.#run(process.host, exporterScrape(port), 'reading metrics'),
      );
    } catch {
      return undefined;
    }
  }

  /**
   * Connects to a node and runs a no-op: checks address, host key and
   * private key of one host (checkReadiness does not connect anywhere).
   * Returns the host key fingerprint it verified.
   */
  async probe(host: string): Promise<{ fingerprint: string }> {
    const connection = await this.#connection(host);
    await this.#run(host, 'true', 'a no-op');
    return { fingerprint: connection.fingerprint };
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    const connections = [...this.#connections.values()];
    this.#connections.clear();
    for (const pending of connections) {
      try {
        (await pending).close();
      } catch {
        // It never opened.
      }
    }
  }

  #requireSettings(): SshTargetSettings {
    if (!this.#settings) {
      throw new Error(
        `the ssh deploy target is not configured: set ${SSH_CONFIG_KEY}`,
      );
    }
    return this.#settings;
  }

  #remember(request: DeployRequest): KnownDeployment {
    let known = this.#deployments.get(request.deploymentRef);
    if (!known) {
      known = { request, processes: new Map() };
      this.#deployments.set(request.deploymentRef, known);
    } else {
      known.request = request;
    }
    return known;
  }

  /** The connection to a node, opened on first use and again after it dropped. */
  async #connection(host: string): Promise<SshConnection> {
    const pending = this.#connections.get(host);
    if (pending) {
      const connection = await pending.catch(() => undefined);
      if (connection && !connection.closed) return connection;
      if (this.#connections.get(host) === pending) {
        this.#connections.delete(host);
      }
      return this.#connection(host);
    }
    const settings = this.#requireSettings();
    const mapped = settings.hosts[host];
    const opening = (async () => {
      const privateKey = await loadPrivateKey(settings, this.#readFile);
      const connection = await SshConnection.connect({
        host,
        address: mapped?.address ?? host,
        port: mapped?.port ?? settings.port,
        user: settings.user,
        privateKey,
        ...(settings.passphrase !== undefined
          ? { passphrase: settings.passphrase }
          : {}),
        knownHosts: settings.knownHosts,
        connectTimeoutMs: settings.connectTimeoutMs,
      });
      this.#logger.info(
        `ssh: connected to ${host} as ${settings.user}, host key ${connection.fingerprint}`,
      );
      return connection;
    })();
    this.#connections.set(host, opening);
    opening.catch(() => {
      if (this.#connections.get(host) === opening) {
        this.#connections.delete(host);
      }
    });
    return opening;
  }

  /** Runs a command on a node; a non-zero exit is an error with its output. */
  async #run(
    host: string,
    command: string,
    what: string,
    timeoutMs?: number,
  ): Promise<string> {
    const settings = this.#requireSettings();
    const connection = await this.#connection(host);
    const result = await connection.exec(
      command,
      timeoutMs ?? settings.commandTimeoutMs,
    );
    if (result.code !== 0) {
      const output = (result.stderr.trim() || result.stdout.trim())
        .split('\n')
        .slice(-5)
        .join(' | ');
      throw new Error(
        `${what} on ${host} failed (exit ${result.code ?? result.signal})${
          output ? `: ${output}` : ''
        }`,
      );
    }
    return result.stdout;
  }

  async #stop(layout: ProcessLayout, timeoutMs: number): Promise<void> {
    const settings = this.#requireSettings();
    const command =
      settings.serviceManager === 'systemd'
        ? systemdStop(layout.unit, timeoutMs, settings.sudo)
        : directStop(layout, timeoutMs);
    const out = await this.#run(
      layout.host,
      command,
      `stopping process ${layout.index}`,
      timeoutMs + STOP_SLACK_MS,
    );
    if (/^killed/m.test(out)) {
      this.#logger.warn(
        `ssh: process ${layout.index} on ${layout.host} did not stop within ${timeoutMs} ms and was killed`,
      );
    }
  }

  async #hostStatus(
    host: string,
    processes: KnownProcess[],
  ): Promise<ProcessStatus[]> {
    const settings = this.#requireSettings();
    const layouts = processes.map(p => p.layout);
    if (settings.serviceManager === 'systemd') {
      const out = await this.#run(
        host,
        systemdStatus(layouts.map(l => l.unit)),
        'reading unit states',
      );
      return parseSystemdShow(out, processes);
    }
    const out = await this.#run(
      host,
      directStatus(layouts),
      'reading process states',
    );
    return parseDirectStatus(out, processes);
  }
}
