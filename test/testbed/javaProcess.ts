import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveKafkaHome } from './kafkaHome';
import { registerExitCleanup, trackProcess } from './processRegistry';

/** How a JVM ended. `code` is null when it was ended by a signal. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
}

export interface JavaProcessOptions {
  /** Fully qualified main class, e.g. `kafka.Kafka`. */
  mainClass: string;
  args?: string[];
  /** Short name used in messages; defaults to the main class' simple name. */
  name?: string;
  /** Kafka runtime folder (with libs/); see resolveKafkaHome. */
  kafkaHome?: string;
  /** Heap size in MiB (-Xms and -Xmx). Default 256. */
  heapMb?: number;
  /**
   * Favour start-up time over peak throughput (C1 compiler only).
   * Default true; benchmarks may want false.
   */
  fastStartup?: boolean;
  /** Enables remote JMX on 127.0.0.1:<jmxPort> without auth/SSL. */
  jmxPort?: number;
  /** Extra JVM options placed before the main class (e.g. -javaagent:..., -Dfoo=bar). */
  jvmArgs?: string[];
  /** An existing log4j 1.x properties file. Takes precedence over logFile. */
  log4jConfig?: string;
  /**
   * File that log4j writes to; a properties file is written next to it
   * (`<name>-log4j.properties`). Without log4jConfig and logFile, log4j
   * logs WARN and above to stderr.
   */
  logFile?: string;
  /** Root log level for the generated log4j config. Default INFO with logFile, else WARN. */
  logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Value of -Dkafka.logs.dir. Defaults to the folder of logFile, else cwd. */
  logsDir?: string;
  /** File that receives the JVM's stdout and stderr. Without it they are kept in memory. */
  outFile?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Seconds the watchdog waits after SIGTERM before SIGKILL when the Node
   * process disappears. Default 10.
   */
  orphanGraceSeconds?: number;
}

/**
 * Runs a command so that it cannot outlive the Node process that started it.
 * The wrapper forks a watcher that blocks reading the stdin pipe held by
 * Node, then execs the command (so the wrapper's pid becomes the JVM's pid
 * and signals reach it directly). When Node goes away, even by SIGKILL, the
 * pipe reaches EOF and the watcher sends SIGTERM, then SIGKILL after a grace
 * period. $1 is the grace period in tenths of a second.
 */
const WATCHDOG_SCRIPT = [
  'grace=$1; shift',
  '(',
  // "alive" = exists and is not a zombie (orphans may stay zombies for a while).
  '  alive() { kill -0 $$ 2>/dev/null || return 1; s=$(< /proc/$$/stat) || return 0; s=${s##*) }; [ "${s%% *}" != Z ]; }',
  '  while read -r -u 3 _; do :; done',
  '  alive || exit 0',
  '  kill -TERM $$ 2>/dev/null',
  '  i=0',
  '  while [ $i -lt $grace ] && alive; do sleep 0.1; i=$((i+1)); done',
  '  alive && kill -KILL $$ 2>/dev/null',
  ') 3<&0 </dev/null >/dev/null 2>&1 &',
  'exec "$@" </dev/null',
].join('\n');

const MAX_CAPTURED_BYTES = 4 * 1024 * 1024;

/**
 * Arguments for `bash` that run `command` under the stdin watchdog. Spawn it
 * with stdio[0] = 'pipe' and keep that pipe open for as long as the command
 * may live; `detached: true` makes the command lead its own process group.
 */
export function watchdogBashArgs(
  command: string[],
  orphanGraceSeconds = 10,
): string[] {
  return [
    '-c',
    WATCHDOG_SCRIPT,
    'kafka-testbed-watchdog',
    String(Math.round(orphanGraceSeconds * 10)),
    ...command,
  ];
}

/**
 * Whether a process exists and is not a zombie (a killed orphan can stay a
 * zombie until something reaps it).
 */
export function isProcessAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state; the command name (field 2) is in parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return (
      stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
    );
  } catch {
    return true; // no procfs: trust kill(0)
  }
}

/** The java executable: $JAVA_HOME/bin/java, else the first `java` on PATH. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  const javaHome = env.JAVA_HOME;
  if (javaHome) {
    const candidate = path.join(javaHome, 'bin', 'java');
    if (isExecutable(candidate)) return candidate;
  }
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'java');
    if (isExecutable(candidate)) return candidate;
  }
  throw new Error(
    'java not found: install a Java runtime (17 or newer) or set JAVA_HOME.',
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Last `lines` lines of a text file ('' if it does not exist). Reads at most the last 256 KiB. */
export function tailFile(file: string, lines = 40): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    return tailText(buffer.toString('utf8'), lines);
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function tailText(text: string, lines: number): string {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.slice(Math.max(0, all.length - lines)).join('\n');
}

export interface Log4jConfigOptions {
  /** Log file; when omitted, logs go to stderr. */
  logFile?: string;
  level?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/** Writes a log4j 1.x (reload4j) properties file. */
export function writeLog4jConfig(
  configFile: string,
  options: Log4jConfigOptions = {},
): string {
  const level = options.level ?? 'INFO';
  const appender = options.logFile
    ? [
        'log4j.appender.main=org.apache.log4j.FileAppender',
        `log4j.appender.main.File=${escapeProperty(options.logFile)}`,
        'log4j.appender.main.Append=true',
      ]
    : [
        'log4j.appender.main=org.apache.log4j.ConsoleAppender',
        'log4j.appender.main.Target=System.err',
      ];
  const lines = [
    `log4j.rootLogger=${level}, main`,
    ...appender,
    'log4j.appender.main.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.main.layout.ConversionPattern=[%d] %p %m (%c)%n',
    // Same noise reduction as Kafka's shipped config.
    'log4j.logger.org.apache.zookeeper=WARN',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.kafka.network.RequestChannel$=WARN',
    'log4j.logger.state.change.logger=WARN',
    'log4j.logger.kafka.log.LogCleaner=WARN',
    'log4j.logger.kafka.authorizer.logger=WARN',
    '',
  ];
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.writeFileSync(configFile, lines.join('\n'));
  return configFile;
}

/** `<dir>/server.log` -> `<dir>/server-log4j.properties`. */
function log4jConfigPathFor(logFile: string): string {
  const base = path.basename(logFile, path.extname(logFile));
  return path.join(path.dirname(logFile), `${base}-log4j.properties`);
}

/** Escapes a value for a Java properties file. */
export function escapeProperty(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Writes a Java properties file from a record (keys sorted for readability). */
export function writePropertiesFile(
  file: string,
  props: Record<string, string | number | boolean>,
): string {
  const lines = Object.keys(props)
    .sort()
    .map(key => `${key}=${escapeProperty(String(props[key]))}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * A JVM started by startJavaProcess. `pid` is the JVM's pid; it leads its own
 * process group.
 */
export class JavaProcess {
  readonly name: string;
  readonly mainClass: string;
  readonly pid: number;
  readonly logFile: string | undefined;
  readonly outFile: string | undefined;
  readonly command: string[];
  /** Resolves (never rejects) when the JVM has exited. */
  readonly exited: Promise<ExitInfo>;

  private exit: ExitInfo | undefined;
  private readonly stdoutChunks: Buffer[] = [];
  private readonly stderrChunks: Buffer[] = [];
  private capturedBytes = 0;
  private readonly untrack: () => void;

  /** Use startJavaProcess() to create one. */
  constructor(
    child: ChildProcess,
    init: {
      name: string;
      mainClass: string;
      logFile?: string;
      outFile?: string;
      command: string[];
    },
  ) {
    this.name = init.name;
    this.mainClass = init.mainClass;
    this.logFile = init.logFile;
    this.outFile = init.outFile;
    this.command = init.command;
    this.pid = child.pid ?? -1;

    const capture = (target: Buffer[]) => (chunk: Buffer) => {
      if (this.capturedBytes >= MAX_CAPTURED_BYTES) return;
      this.capturedBytes += chunk.length;
      target.push(chunk);
    };
    child.stdout?.on('data', capture(this.stdoutChunks));
    child.stderr?.on('data', capture(this.stderrChunks));
    // Writes to the watchdog pipe never happen; ignore EPIPE-style errors on teardown.
    child.stdin?.on('error', () => undefined);

    this.untrack = trackProcess(this);
    this.exited = new Promise<ExitInfo>(resolve => {
      const finish = (info: ExitInfo) => {
        if (this.exit) return;
        this.exit = info;
        // Closing the pipe lets the watchdog (if still around) exit too.
        child.stdin?.destroy();
        this.untrack();
        resolve(info);
      };
      child.once('error', error => finish({ code: null, signal: null, error }));
      // 'close' comes after 'exit' once stdout/stderr are drained, so captured output is complete.
      child.once('exit', () => child.stdin?.destroy());
      child.once('close', (code, signal) => finish({ code, signal }));
    });
  }

  /** Exit status once exited, else undefined. */
  get exitInfo(): ExitInfo | undefined {
    return this.exit;
  }

  isRunning(): boolean {
    return this.exit === undefined && this.pid > 0;
  }

  /** Captured stdout (only when no outFile was given). */
  stdout(): string {
    return Buffer.concat(this.stdoutChunks).toString('utf8');
  }

  /** Captured stderr (only when no outFile was given). */
  stderr(): string {
    return Buffer.concat(this.stderrChunks).toString('utf8');
  }

  /** Last lines of the log file and of the JVM's stdout/stderr, for error messages. */
  logTail(lines = 40): string {
    const parts: string[] = [];
    if (this.logFile) {
      parts.push(
        `--- last ${lines} lines of ${this.logFile} ---\n${
          tailFile(this.logFile, lines) || '(empty)'
        }`,
      );
    }
    if (this.outFile) {
      const out = tailFile(this.outFile, lines);
      if (out)
        parts.push(`--- last ${lines} lines of ${this.outFile} ---\n${out}`);
    } else {
      const out = tailText(`${this.stdout()}\n${this.stderr()}`, lines);
      if (out.trim())
        parts.push(`--- last ${lines} lines of output ---\n${out}`);
    }
    return parts.join('\n');
  }

  /** Describes how the process ended, e.g. "exit code 1" or "signal SIGKILL". */
  describeExit(info: ExitInfo | undefined = this.exit): string {
    if (!info) return 'running';
    if (info.error) return `failed to start: ${info.error.message}`;
    return info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
  }

  /** Sends a signal to the JVM (not its group). */
  signal(signal: NodeJS.Signals): void {
    if (!this.isRunning()) return;
    try {
      process.kill(this.pid, signal);
    } catch {
      // already gone
    }
  }

  /** SIGKILLs the JVM and everything in its process group, synchronously. */
  killNow(): void {
    if (this.pid <= 0 || this.exit) return;
    for (const target of [-this.pid, this.pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /**
   * Stops the JVM: SIGTERM (lets Kafka shut down cleanly), then SIGKILL to the
   * whole process group if it has not exited within `timeoutMs` (default 15 s).
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<ExitInfo> {
    if (this.exit) return this.exit;
    const timeoutMs = options.timeoutMs ?? 15_000;
    this.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(resolve => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const first = await Promise.race([this.exited, timedOut]);
    if (timer) clearTimeout(timer);
    if (first !== 'timeout') return first;
    this.killNow();
    return this.exited;
  }
}

/** Builds the JVM command line (the equivalent of Kafka's kafka-run-class.sh). */
export function buildJavaCommand(
  options: JavaProcessOptions & { log4jConfig: string; logsDir: string },
): string[] {
  const home = resolveKafkaHome(options.kafkaHome);
  const heapMb = options.heapMb ?? 256;
  const jvm: string[] = [
    `-Xms${heapMb}m`,
    `-Xmx${heapMb}m`,
    '-server',
    // Small, single-threaded collector: the test machines have few cores.
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
  ];
  if (options.fastStartup ?? true) jvm.push('-XX:TieredStopAtLevel=1');
  if (options.jmxPort !== undefined) {
    jvm.push(
      '-Dcom.sun.management.jmxremote',
      `-Dcom.sun.management.jmxremote.port=${options.jmxPort}`,
      `-Dcom.sun.management.jmxremote.rmi.port=${options.jmxPort}`,
      '-Dcom.sun.management.jmxremote.host=127.0.0.1',
      '-Djava.rmi.server.hostname=127.0.0.1',
      '-Dcom.sun.management.jmxremote.authenticate=false',
      '-Dcom.sun.management.jmxremote.ssl=false',
      '-Dcom.sun.management.jmxremote.local.only=false',
    );
  }
  jvm.push(
    `-Dkafka.logs.dir=${options.logsDir}`,
    `-Dlog4j.configuration=file:${options.log4jConfig}`,
  );
  jvm.push(...(options.jvmArgs ?? []));
  return [
    ...jvm,
    '-cp',
    path.join(home, 'libs', '*'),
    options.mainClass,
    ...(options.args ?? []),
  ];
}

/**
 * Starts a JVM with the Kafka runtime on its class path. The process is
 * guarded by a watchdog so it dies with the Node process, and is tracked so
 * it is killed on exit/SIGINT/SIGTERM.
 */
export function startJavaProcess(options: JavaProcessOptions): JavaProcess {
  const env = { ...process.env, ...(options.env ?? {}) };
  const java = findJava(env);
  const cwd = options.cwd ?? process.cwd();
  const name =
    options.name ?? options.mainClass.split('.').pop() ?? options.mainClass;

  let log4jConfig = options.log4jConfig;
  let scratch: { dir: string; release: () => void } | undefined;
  if (!log4jConfig) {
    if (options.logFile) {
      log4jConfig = writeLog4jConfig(log4jConfigPathFor(options.logFile), {
        logFile: options.logFile,
        level: options.logLevel ?? 'INFO',
      });
    } else {
      // Like Kafka's tools-log4j.properties: WARN and above to stderr.
      scratch = makeTempDir('log4j-');
      log4jConfig = writeLog4jConfig(
        path.join(scratch.dir, 'log4j.properties'),
        {
          level: options.logLevel ?? 'WARN',
        },
      );
    }
  }
  const logsDir =
    options.logsDir ?? (options.logFile ? path.dirname(options.logFile) : cwd);
  const javaArgs = buildJavaCommand({ ...options, log4jConfig, logsDir });

  let outFd: number | undefined;
  if (options.outFile) {
    fs.mkdirSync(path.dirname(options.outFile), { recursive: true });
    outFd = fs.openSync(options.outFile, 'a');
  }
  let child: ChildProcess;
  try {
    child = spawn(
      'bash',
      watchdogBashArgs([java, ...javaArgs], options.orphanGraceSeconds ?? 10),
      {
        cwd,
        env,
        detached: true,
        stdio: ['pipe', outFd ?? 'pipe', outFd ?? 'pipe'],
      },
    );
  } finally {
    if (outFd !== undefined) fs.closeSync(outFd);
  }
  const proc = new JavaProcess(child, {
    name,
    mainClass: options.mainClass,
    logFile: options.logFile,
    outFile: options.outFile,
    command: [java, ...javaArgs],
  });
  if (scratch) {
    const { dir, release } = scratch;
    void proc.exited.then(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      release();
    });
  }
  return proc;
}

export interface KafkaToolResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface KafkaToolOptions
  extends Omit<JavaProcessOptions, 'mainClass' | 'args' | 'outFile'> {
  /** Kill the tool after this long (default 120 s) and reject. */
  timeoutMs?: number;
}

/**
 * Runs a one-shot Kafka tool (e.g. `kafka.tools.StorageTool`,
 * `org.apache.kafka.tools.consumer.group.ConsumerGroupCommand`) to
 * completion and returns its exit code and output. Does not throw on a
 * non-zero exit code.
 */
export async function runKafkaTool(
  mainClass: string,
  args: string[],
  options: KafkaToolOptions = {},
): Promise<KafkaToolResult> {
  const proc = startJavaProcess({ heapMb: 128, ...options, mainClass, args });
  const timeoutMs = options.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>(resolve => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([proc.exited, timedOut]);
  if (timer) clearTimeout(timer);
  if (result === 'timeout') {
    await proc.stop({ timeoutMs: 5_000 });
    throw new Error(
      `${mainClass} did not finish within ${timeoutMs} ms\n${proc.logTail()}`,
    );
  }
  if (result.error)
    throw new Error(
      `${mainClass} could not be started: ${result.error.message}`,
    );
  return {
    code: result.code,
    signal: result.signal,
    stdout: proc.stdout(),
    stderr: proc.stderr(),
  };
}

/** Prefix of every temp folder the test bed creates under os.tmpdir(). */
export const TEMP_DIR_PREFIX = 'kafka-testbed-';
const OWNER_FILE = '.kafka-testbed-owner';

/**
 * Makes a unique temp folder `<tmpdir>/kafka-testbed-<name>XXXXXX`. Unless
 * `keep`, it is removed if the process exits early, and it records the
 * owning pid so removeStaleTempDirs() can sweep it after a SIGKILL.
 */
export function makeTempDir(
  name: string,
  keep = false,
): { dir: string; release: (options?: { keep?: boolean }) => void } {
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), `${TEMP_DIR_PREFIX}${name}`),
  );
  if (keep) return { dir, release: () => undefined };
  fs.writeFileSync(path.join(dir, OWNER_FILE), `${process.pid}\n`);
  const unregister = registerExitCleanup(() =>
    fs.rmSync(dir, { recursive: true, force: true }),
  );
  return {
    dir,
    release: (options = {}) => {
      unregister();
      // A folder kept for a post-mortem must not be swept later.
      if (options.keep) fs.rmSync(path.join(dir, OWNER_FILE), { force: true });
    },
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp folders of earlier runs whose Node process died without
 * cleaning up (e.g. killed with SIGKILL; its JVMs are ended by the watchdog).
 * Folders without an owner record, or whose owner is alive, are left alone.
 */
export function removeStaleTempDirs(): void {
  let entries: string[];
  try {
    entries = fs
      .readdirSync(os.tmpdir())
      .filter(name => name.startsWith(TEMP_DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = path.join(os.tmpdir(), name);
    try {
      const owner = Number(
        fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8').trim(),
      );
      if (!Number.isInteger(owner) || owner <= 0) continue;
      if (owner === process.pid || pidAlive(owner)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours, still in use, or already gone
    }
  }
}
