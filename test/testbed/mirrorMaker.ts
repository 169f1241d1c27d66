import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Admin } from 'kafkajs';
import { createKafkaClient, sleep } from './kafkaClient';
import {
  ExitInfo,
  JavaProcess,
  startJavaProcess,
  writePropertiesFile,
} from './javaProcess';

export interface MirrorMakerOptions {
  /** Unique name; also the folder name for its files. */
  name: string;
  /** Consumer properties; must contain bootstrap.servers (source) and group.id. */
  consumer: Record<string, string>;
  /** Producer properties; must contain bootstrap.servers (target). */
  producer: Record<string, string>;
  /** Java regex of topics to mirror (`--include`). */
  include: string;
  /** `--num.streams` (consumer threads). Default 1. */
  numStreams?: number;
  /** `--abort.on.send.failure`. Default true. */
  abortOnSendFailure?: boolean;
  /** `--offset.commit.interval.ms`. Default 1000 (MirrorMaker's own default is 60000). */
  offsetCommitIntervalMs?: number;
  /** Heap in MiB. Default 256. */
  heapMb?: number;
  /** Remote JMX port. */
  jmxPort?: number;
  /** Extra MirrorMaker arguments appended to the command line. */
  extraArgs?: string[];
  /** Extra JVM options (e.g. a -javaagent). */
  jvmArgs?: string[];
  /** C1-only JIT for faster start-up. Default true. */
  fastStartup?: boolean;
  /** Wait until the consumer group is Stable with all streams as members. Default true. */
  waitForReady?: boolean;
  /** Readiness timeout. Default 90 s. */
  readyTimeoutMs?: number;
  /** SIGTERM-to-SIGKILL timeout when stopping. Default 15 s. */
  stopTimeoutMs?: number;
}

/** A running MirrorMaker 1 process (`kafka.tools.MirrorMaker`). */
export class MirrorMaker {
  constructor(
    readonly name: string,
    readonly dir: string,
    readonly groupId: string,
    readonly sourceBootstrap: string,
    readonly targetBootstrap: string,
    readonly consumerConfigFile: string,
    readonly producerConfigFile: string,
    readonly process: JavaProcess,
    private readonly stopTimeoutMs: number,
    /** Remote JMX port, if enabled. */
    readonly jmxPort?: number,
  ) {}

  get pid(): number {
    return this.process.pid;
  }

  get logFile(): string {
    return this.process.logFile ?? '';
  }

  get exited(): Promise<ExitInfo> {
    return this.process.exited;
  }

  isRunning(): boolean {
    return this.process.isRunning();
  }

  logTail(lines = 40): string {
    return this.process.logTail(lines);
  }

  /** Stops MirrorMaker (SIGTERM: it commits offsets and closes; SIGKILL after the timeout). */
  stop(options: { timeoutMs?: number } = {}): Promise<ExitInfo> {
    return this.process.stop({
      timeoutMs: options.timeoutMs ?? this.stopTimeoutMs,
    });
  }
}

function requireProp(
  props: Record<string, string>,
  key: string,
  which: string,
): string {
  const value = props[key];
  if (!value) throw new Error(`MirrorMaker ${which} properties need '${key}'`);
  return value;
}

/** Waits until the group has `members` members and is Stable, or the process exits. */
async function waitForGroupMembers(
  mm: {
    name: string;
    groupId: string;
    sourceBootstrap: string;
    process: JavaProcess;
  },
  members: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void mm.process.exited.then(() => {
    exited = true;
  });
  let last = 'no attempt';
  let admin: Admin | undefined;
  try {
    while (!exited) {
      try {
        if (!admin) {
          // Keep kafkajs' own retries: the group coordinator lookup needs them
          // while __consumer_offsets is still being created.
          admin = createKafkaClient(mm.sourceBootstrap, {
            connectionTimeout: 1_000,
            retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 },
          }).admin();
          await admin.connect();
        }
        const { groups } = await admin.describeGroups([mm.groupId]);
        const group = groups[0];
        last = group
          ? `state ${group.state}, ${group.members.length} member(s)`
          : 'group not found';
        if (
          group &&
          group.state === 'Stable' &&
          group.members.length >= members
        )
          return;
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
        await admin?.disconnect().catch(() => undefined);
        admin = undefined;
      }
      if (Date.now() >= deadline) {
        throw new Error(
          `MirrorMaker ${mm.name}: consumer group ${mm.groupId} on ${
            mm.sourceBootstrap
          } not ready after ${timeoutMs} ms (${last})\n${mm.process.logTail(
            40,
          )}`,
        );
      }
      await sleep(250);
    }
  } finally {
    await admin?.disconnect().catch(() => undefined);
  }
  const info = await mm.process.exited;
  throw new Error(
    `MirrorMaker ${mm.name} exited during start-up (${mm.process.describeExit(
      info,
    )})\n${mm.process.logTail(40)}`,
  );
}

/**
 * Writes the consumer/producer configs into `<baseDir>/<name>/` and starts
 * `kafka.tools.MirrorMaker --consumer.config ... --producer.config ...
 * --include <regex> --num.streams N --abort.on.send.failure B
 * --offset.commit.interval.ms N`. Resolves once its consumer group is Stable.
 */
export async function startMirrorMaker(
  baseDir: string,
  options: MirrorMakerOptions,
  kafkaHome?: string,
): Promise<MirrorMaker> {
  if (!/^[A-Za-z0-9._-]+$/.test(options.name)) {
    throw new Error(
      `Invalid MirrorMaker name '${options.name}' (use letters, digits, '.', '_', '-')`,
    );
  }
  const dir = path.join(baseDir, options.name);
  if (fs.existsSync(dir))
    throw new Error(
      `MirrorMaker '${options.name}' already exists in ${baseDir}`,
    );
  fs.mkdirSync(dir, { recursive: true });

  const sourceBootstrap = requireProp(
    options.consumer,
    'bootstrap.servers',
    'consumer',
  );
  const groupId = requireProp(options.consumer, 'group.id', 'consumer');
  const targetBootstrap = requireProp(
    options.producer,
    'bootstrap.servers',
    'producer',
  );
  const consumerConfigFile = writePropertiesFile(
    path.join(dir, 'consumer.properties'),
    options.consumer,
  );
  const producerConfigFile = writePropertiesFile(
    path.join(dir, 'producer.properties'),
    options.producer,
  );
  const numStreams = options.numStreams ?? 1;

  const args = [
    '--consumer.config',
    consumerConfigFile,
    '--producer.config',
    producerConfigFile,
    '--include',
    options.include,
    '--num.streams',
    String(numStreams),
    '--abort.on.send.failure',
    String(options.abortOnSendFailure ?? true),
    '--offset.commit.interval.ms',
    String(options.offsetCommitIntervalMs ?? 1_000),
    ...(options.extraArgs ?? []),
  ];
  const proc = startJavaProcess({
    name: `mirror-maker-${options.name}`,
    mainClass: 'kafka.tools.MirrorMaker',
    args,
    kafkaHome,
    heapMb: options.heapMb ?? 256,
    fastStartup: options.fastStartup,
    jmxPort: options.jmxPort,
    jvmArgs: options.jvmArgs,
    logFile: path.join(dir, 'mirror-maker.log'),
    outFile: path.join(dir, 'mirror-maker.out'),
    logsDir: dir,
    cwd: dir,
  });
  const mm = new MirrorMaker(
    options.name,
    dir,
    groupId,
    sourceBootstrap,
    targetBootstrap,
    consumerConfigFile,
    producerConfigFile,
    proc,
    options.stopTimeoutMs ?? 15_000,
    options.jmxPort,
  );
  if (options.waitForReady ?? true) {
    try {
      await waitForGroupMembers(
        mm,
        numStreams,
        options.readyTimeoutMs ?? 90_000,
      );
    } catch (e) {
      await mm.stop({ timeoutMs: 5_000 });
      throw e;
    }
  }
  return mm;
}

/**
 * Pids of the MirrorMaker JVMs whose command line mentions `dir` (a deploy
 * target's work directory): what a test or the demo checks, or kills,
 * should the backend have left any running.
 */
export function mirrorMakerPidsIn(dir: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', `kafka.tools.MirrorMaker.*${dir}`], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** SIGKILLs every MirrorMaker JVM of `dir` (see {@link mirrorMakerPidsIn}). */
export function killMirrorMakersIn(dir: string): void {
  for (const pid of mirrorMakerPidsIn(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
