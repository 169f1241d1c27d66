import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ProcessStatus } from '@mirrormaker/plugin-mirror-maker-node';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { newestTail, readJsonSync, writeFileAtomic } from './files';
import { RestartPolicy } from './options';
import { isAlive, processName, processStartTime } from './procfs';

/** What `run/process-<i>.json` holds: enough to find, adopt or start the process again. */
export interface ProcessRecord {
  version: 1;
  deploymentRef: string;
  host: string;
  index: number;
  /** What the operator asked for; only `running` processes are restarted or brought back. */
  desired: 'running' | 'stopped';
  /** The backend instance that supervises the process. */
  owner: string;
  pid?: number;
  /** Field 22 of /proc/<pid>/stat, to tell our process from a later one with the same pid. */
  startTime?: string;
  revisionId?: string;
  ports: { jmx: number; exporter?: number };
  metricsUrl?: string;
  restarts: number;
  state: ProcessStatus['state'];
  since: string;
  message?: string;
}

export interface SupervisorOptions {
  stateFile: string;
  record: ProcessRecord;
  /** Program and arguments; never a shell string. */
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Receives stdout and stderr, appended. */
  outFile: string;
  /** Other logs of the process; the newest of these and `outFile` explains a crash. */
  logFiles?: string[];
  policy: RestartPolicy;
  logger: LoggerService;
  /** Identifies this backend instance in the state file. */
  instanceId: string;
  /** How often a process this instance did not start is checked. Default 500 ms. */
  pollMs?: number;
}

/** How a run ended; undefined when it was not our child and nobody told us. */
type Exit = { code: number | null; signal: NodeJS.Signals | null } | undefined;

interface Run {
  pid: number;
  startTime?: string;
  startedAt: number;
  child?: ChildProcess;
  gone: boolean;
  exited: Promise<void>;
  end(exit: Exit): void;
  poller?: NodeJS.Timeout;
}

const KILL_WAIT_MS = 10_000;
const GROUP_WAIT_MS = 2_000;
const LOG_LINES = 10;

/** Pause before restart number `consecutive + 1` of a crash series. */
export function restartDelay(
  policy: RestartPolicy,
  consecutive: number,
): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** consecutive);
}

function describeExit(exit: Exit): string {
  if (!exit) {
    return 'ended (exit status unknown: an earlier backend instance started it)';
  }
  return exit.signal
    ? `was killed by ${exit.signal}`
    : `exited with code ${exit.code}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * Runs one process detached in its own process group, so it outlives the
 * backend, and restarts it when it ends while it should run, with a pause
 * that doubles per crash (like systemd's `Restart=on-failure` with a
 * growing `RestartSec`). Every change is written to the state file, which
 * is what a later backend instance adopts the process from.
 */
export class ProcessSupervisor {
  private readonly record: ProcessRecord;
  private run?: Run;
  private restartTimer?: NodeJS.Timeout;
  /** Crashes in a row without a stable run between them. */
  private consecutive = 0;
  /** Stopping for a backend shutdown: the state file keeps `desired`. */
  private closing = false;
  /** Another backend instance took the process over; this one keeps its hands off. */
  private released = false;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly options: SupervisorOptions) {
    this.record = { ...options.record };
  }

  get deploymentRef(): string {
    return this.record.deploymentRef;
  }

  get host(): string {
    return this.record.host;
  }

  get index(): number {
    return this.record.index;
  }

  get revisionId(): string | undefined {
    return this.record.revisionId;
  }

  get pid(): number | undefined {
    return this.run?.pid;
  }

  private get label(): string {
    return `MirrorMaker process ${this.record.index} on ${this.record.host} of ${this.record.deploymentRef}`;
  }

  /** Whether the process runs now. */
  isRunning(): boolean {
    return !!this.run && !this.run.gone;
  }

  /**
   * A deliberate start: the restart count begins again at 0. Throws when the
   * program cannot be spawned at all.
   */
  async start(update: Partial<ProcessRecord> = {}): Promise<void> {
    if (this.isRunning()) {
      throw new Error(`${this.label} runs already as pid ${this.run!.pid}`);
    }
    this.cancelRestart();
    this.closing = false;
    this.released = false;
    Object.assign(this.record, update, {
      desired: 'running',
      owner: this.options.instanceId,
      restarts: 0,
    });
    this.consecutive = 0;
    try {
      await this.spawn();
    } catch (e) {
      this.setState('failed', (e as Error).message);
      await this.persist();
      throw e;
    }
    await this.persist();
  }

  /**
   * Watches a process started by an earlier backend instance (the record's
   * pid, checked alive by the caller). It is not our child, so its end is
   * noticed by polling.
   */
  async adopt(): Promise<void> {
    const { pid, startTime } = this.record;
    if (pid === undefined || !isAlive(pid, startTime)) {
      throw new Error(`${this.label}: pid ${pid} is not running`);
    }
    this.record.owner = this.options.instanceId;
    this.track(pid, startTime);
    this.setState('running');
    await this.persist();
  }

  /**
   * Starts the process again after a backend restart found it gone. When
   * the record still names a pid, it ended while nobody watched: that
   * counts as a restart, so the health gate and the UI see it.
   */
  async bringBack(): Promise<void> {
    if (this.record.pid !== undefined) this.record.restarts += 1;
    this.record.owner = this.options.instanceId;
    try {
      await this.spawn();
    } catch (e) {
      this.setState('failed', (e as Error).message);
    }
    await this.persist();
  }

  /** Marks the process as one that cannot run, with the reason. */
  async fail(message: string): Promise<void> {
    this.setState('failed', message);
    await this.persist();
  }

  /**
   * SIGTERM to the process group, SIGKILL after `timeoutMs`, and waits
   * until the process is gone. `desired` becomes `stopped` before the
   * signal, so the exit is not taken for a crash; with `keepDesired` (a
   * backend shutdown) it stays as it is, for the next instance to start the
   * process again.
   */
  async stop(timeoutMs: number, keepDesired = false): Promise<void> {
    this.cancelRestart();
    if (keepDesired) {
      this.closing = true;
    } else {
      this.record.desired = 'stopped';
      this.released = false;
      this.record.owner = this.options.instanceId;
    }
    await this.persist();
    const run = this.run;
    if (run) await this.terminate(run, timeoutMs);
    this.run = undefined;
    this.record.pid = undefined;
    this.record.startTime = undefined;
    if (!this.released) {
      this.setState(
        'stopped',
        keepDesired ? 'stopped by a backend shutdown' : undefined,
      );
    }
    await this.persist();
  }

  status(): ProcessStatus {
    let state = this.record.state;
    // Until the start script execs java, the process is still the script.
    if (
      state === 'running' &&
      this.run &&
      processName(this.run.pid) === path.basename(this.options.command)
    ) {
      state = 'starting';
    }
    return {
      host: this.record.host,
      index: this.record.index,
      state,
      ...(this.run ? { pid: this.run.pid } : {}),
      restarts: this.record.restarts,
      since: this.record.since,
      ...(this.record.revisionId !== undefined
        ? { revisionId: this.record.revisionId }
        : {}),
      ...(this.record.metricsUrl !== undefined
        ? { metricsUrl: this.record.metricsUrl }
        : {}),
      ...(this.record.message !== undefined
        ? { message: this.record.message }
        : {}),
    };
  }

  /** The newest log of the process (the JVM's own output when it could not start). */
  async logLines(lines: number): Promise<string[]> {
    return newestTail(
      [this.options.outFile, ...(this.options.logFiles ?? [])],
      lines,
    );
  }

  private async spawn(): Promise<void> {
    const { command, args, cwd, env, outFile } = this.options;
    await fs.promises.mkdir(path.dirname(outFile), {
      recursive: true,
      mode: 0o700,
    });
    const out = fs.openSync(outFile, 'a', 0o600);
    let child: ChildProcess;
    try {
      // detached: its own process group, so neither a signal to the
      // backend's group nor the backend's end reaches it.
      child = spawn(command, args, {
        cwd,
        env,
        detached: true,
        stdio: ['ignore', out, out],
      });
    } finally {
      fs.closeSync(out);
    }
    if (child.pid === undefined) {
      const error = await new Promise<Error>(resolve =>
        child.once('error', resolve),
      );
      throw new Error(
        `${this.label} could not be started: ${command}: ${error.message}`,
      );
    }
    child.unref();
    // Read now: the process may end at once, but stays a zombie until
    // the exit handler below runs.
    const startTime = processStartTime(child.pid);
    const run = this.track(child.pid, startTime, child);
    child.once('exit', (code, signal) => run.end({ code, signal }));
    child.on('error', e =>
      this.options.logger.warn(`${this.label}: ${e.message}`),
    );
    this.record.pid = child.pid;
    this.record.startTime = startTime;
    this.setState('running');
  }

  private track(pid: number, startTime?: string, child?: ChildProcess): Run {
    let resolveExited!: () => void;
    const run: Run = {
      pid,
      startTime,
      startedAt: Date.now(),
      child,
      gone: false,
      exited: new Promise<void>(resolve => {
        resolveExited = resolve;
      }),
      end: exit => {
        if (run.gone) return;
        run.gone = true;
        if (run.poller) clearInterval(run.poller);
        resolveExited();
        this.ended(run, exit);
      },
    };
    if (!child) {
      run.poller = setInterval(() => {
        if (!isAlive(pid, startTime)) run.end(undefined);
      }, this.options.pollMs ?? 500);
      run.poller.unref();
    }
    this.run = run;
    return run;
  }

  private ended(run: Run, exit: Exit): void {
    if (this.run !== run) return;
    this.run = undefined;
    this.record.pid = undefined;
    this.record.startTime = undefined;
    if (this.record.desired !== 'running' || this.closing || this.released) {
      return;
    }
    if (this.takenOver()) return;
    this.crashed(describeExit(exit), Date.now() - run.startedAt);
  }

  /**
   * Whether another backend instance has adopted or stopped the process
   * since; then this one lets it be.
   */
  private takenOver(): boolean {
    const onDisk = readJsonSync<ProcessRecord>(this.options.stateFile);
    if (
      !onDisk ||
      (onDisk.owner === this.options.instanceId && onDisk.desired === 'running')
    ) {
      return false;
    }
    this.released = true;
    this.cancelRestart();
    this.setState(
      'stopped',
      onDisk.owner === this.options.instanceId
        ? 'stopped'
        : `supervised by backend instance ${onDisk.owner}`,
    );
    return true;
  }

  private crashed(how: string, uptimeMs: number): void {
    const { policy, logger } = this.options;
    if (uptimeMs >= policy.stableAfterMs) this.consecutive = 0;
    const delay = restartDelay(policy, this.consecutive);
    this.consecutive += 1;
    this.setState('restarting', `${how}; restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart();
    }, delay);
    this.restartTimer.unref();
    void (async () => {
      const lines = await this.logLines(LOG_LINES);
      const last = lines.filter(l => l.trim()).pop();
      if (this.record.state === 'restarting' && last !== undefined) {
        this.record.message = `${how}; restarting in ${delay} ms; last log line: ${last}`;
      }
      logger.warn(
        `${this.label} ${how} after ${Math.round(
          uptimeMs / 1000,
        )} s; restarting in ${delay} ms (restart ${
          this.record.restarts + 1
        } since its start). Last log lines:\n${lines.join('\n')}`,
      );
      await this.persistQuietly();
    })();
  }

  private async restart(): Promise<void> {
    if (this.record.desired !== 'running' || this.closing || this.released) {
      return;
    }
    if (this.takenOver()) return;
    this.record.restarts += 1;
    try {
      await this.spawn();
      this.options.logger.info(
        `${this.label} restarted as pid ${this.record.pid} (restart ${this.record.restarts})`,
      );
    } catch (e) {
      this.crashed((e as Error).message, 0);
    }
    await this.persistQuietly();
  }

  private async terminate(run: Run, timeoutMs: number): Promise<void> {
    this.signal(run, 'SIGTERM');
    if (!(await this.waitGone(run, timeoutMs))) {
      this.options.logger.warn(
        `${this.label} (pid ${run.pid}) did not stop within ${timeoutMs} ms of SIGTERM; sending SIGKILL`,
      );
      this.signal(run, 'SIGKILL');
      if (!(await this.waitGone(run, KILL_WAIT_MS))) {
        throw new Error(
          `${this.label} (pid ${run.pid}) is still there ${KILL_WAIT_MS} ms after SIGKILL`,
        );
      }
    }
    if (run.child) {
      // The exit event follows once Node has collected the zombie.
      await Promise.race([run.exited, sleep(KILL_WAIT_MS)]);
    }
    run.end(undefined);
    await this.clearGroup(run.pid);
  }

  /**
   * Kills what the process left in its group (a start script's children
   * that ignored SIGTERM). While the group exists its number cannot be
   * given to another process, so signalling it is safe.
   */
  private async clearGroup(pgid: number): Promise<void> {
    const exists = () => {
      try {
        process.kill(-pgid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!exists()) return;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Emptied meanwhile.
    }
    // Killed members stay until their new parent collects them.
    const deadline = Date.now() + GROUP_WAIT_MS;
    while (exists() && Date.now() < deadline) await sleep(20);
  }

  private signal(run: Run, signal: NodeJS.Signals): void {
    if (!isAlive(run.pid, run.startTime)) return;
    try {
      process.kill(-run.pid, signal);
    } catch {
      // Not a group leader (started by something else): the process alone.
      try {
        process.kill(run.pid, signal);
      } catch {
        // Gone meanwhile.
      }
    }
  }

  private async waitGone(run: Run, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (run.gone || !isAlive(run.pid, run.startTime)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(50);
    }
  }

  private cancelRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private setState(state: ProcessStatus['state'], message?: string): void {
    if (this.record.state !== state) {
      this.record.since = new Date().toISOString();
    }
    this.record.state = state;
    this.record.message = message;
  }

  /** Writes the record; writes run one after another, so the last one wins. */
  private persist(): Promise<void> {
    if (this.released) return Promise.resolve();
    const content = `${JSON.stringify(this.record, null, 2)}\n`;
    const next = this.writes.then(() =>
      writeFileAtomic(this.options.stateFile, content, 0o600),
    );
    this.writes = next.catch(() => undefined);
    return next;
  }

  private async persistQuietly(): Promise<void> {
    try {
      await this.persist();
    } catch (e) {
      this.options.logger.error(
        `${this.label}: cannot write ${this.options.stateFile}: ${
          (e as Error).message
        }`,
      );
    }
  }
}
