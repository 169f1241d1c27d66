import * as fs from 'fs';
import * as path from 'path';
import type { Kafka, KafkaConfig } from 'kafkajs';
import { resolveKafkaHome } from './kafkaHome';
import { KafkaCluster, startKafkaCluster } from './kafkaCluster';
import {
  MirrorMaker,
  MirrorMakerOptions,
  startMirrorMaker,
} from './mirrorMaker';
import { findFreePort } from './ports';
import { makeTempDir, removeStaleTempDirs } from './javaProcess';

/** Set to 1 to keep test bed folders after stop() (their path is in TestBed.dir). */
export const KEEP_DIR_ENV = 'KAFKA_TESTBED_KEEP_DIR';

export interface TestBedOptions {
  /**
   * Folder for all cluster and MirrorMaker files. Default: a fresh
   * `fs.mkdtemp` folder under os.tmpdir(), removed by stop(). A given folder
   * is created if needed and never removed.
   */
  dir?: string;
  /** Keep the temp folder after stop() (for post-mortems). Default: env KAFKA_TESTBED_KEEP_DIR=1. */
  keepDir?: boolean;
  /** Kafka runtime; default MIRROR_MAKER_KAFKA_HOME or <repo>/test/kafka-runtime. */
  kafkaHome?: string;
  /** Broker heap in MiB. Default 256. */
  heapMb?: number;
  /** C1-only JIT for faster start-up. Default true. */
  fastStartup?: boolean;
  /** Overrides / additions to every broker's server.properties. */
  brokerProperties?: Record<string, string | number | boolean>;
  /** Per-cluster overrides of server.properties, by cluster name. */
  clusterProperties?: Record<string, Record<string, string | number | boolean>>;
  /** Enable remote JMX on every broker (a free port each; see KafkaCluster.jmxPort). */
  brokerJmx?: boolean;
  /** Extra JVM options for the brokers. */
  brokerJvmArgs?: string[];
  /** Broker readiness timeout. Default 90 s. */
  startTimeoutMs?: number;
  /** SIGTERM-to-SIGKILL timeout when stopping. Default 15 s. */
  stopTimeoutMs?: number;
}

/** A set of single-node Kafka clusters plus the MirrorMaker processes started on them. */
export class TestBed {
  readonly clusters: Record<string, KafkaCluster> = {};
  readonly mirrorMakers: MirrorMaker[] = [];
  private stopped = false;

  constructor(
    readonly dir: string,
    readonly kafkaHome: string,
    private readonly ownsDir: boolean,
    private readonly keepDir: boolean,
    private readonly releaseDir: (options?: { keep?: boolean }) => void,
  ) {}

  /** The cluster with this name; throws if there is none. */
  cluster(name: string): KafkaCluster {
    const cluster = this.clusters[name];
    if (!cluster) {
      throw new Error(
        `No cluster named '${name}' (have: ${
          Object.keys(this.clusters).join(', ') || 'none'
        })`,
      );
    }
    return cluster;
  }

  /** Bootstrap address of a cluster, e.g. `127.0.0.1:40123`. */
  bootstrap(name: string): string {
    return this.cluster(name).bootstrap;
  }

  /** A kafkajs client for a cluster. */
  client(name: string, config: Partial<KafkaConfig> = {}): Kafka {
    return this.cluster(name).createClient(config);
  }

  /**
   * Starts a MirrorMaker 1 process (files in `<dir>/mirror-makers/<name>/`)
   * and waits until its consumer group is Stable.
   */
  async startMirrorMaker(options: MirrorMakerOptions): Promise<MirrorMaker> {
    if (this.stopped) throw new Error('Test bed already stopped');
    const mm = await startMirrorMaker(
      path.join(this.dir, 'mirror-makers'),
      options,
      this.kafkaHome,
    );
    this.mirrorMakers.push(mm);
    return mm;
  }

  /**
   * Stops all MirrorMaker processes, then all brokers (SIGTERM, SIGKILL
   * after the timeout) and removes the temp folder unless asked to keep it.
   * Safe to call more than once.
   */
  async stop(options: { keepDir?: boolean } = {}): Promise<void> {
    this.stopped = true;
    await Promise.all(this.mirrorMakers.map(mm => mm.stop()));
    await Promise.all(
      Object.values(this.clusters).map(cluster => cluster.stop()),
    );
    const keep = options.keepDir ?? this.keepDir;
    if (this.ownsDir && !keep) {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
    this.releaseDir({ keep });
  }
}

/**
 * Starts one single-node KRaft cluster per name, in parallel, each on free
 * loopback ports in its own folder under the test bed folder. If any cluster
 * fails to start, the others are stopped and the error is rethrown (with the
 * failing broker's log tail).
 */
export async function startKafkaClusters(
  names: string[],
  options: TestBedOptions = {},
): Promise<TestBed> {
  if (names.length === 0)
    throw new Error('startKafkaClusters needs at least one cluster name');
  if (new Set(names).size !== names.length)
    throw new Error(`Duplicate cluster names: ${names.join(', ')}`);
  for (const name of names) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) {
      throw new Error(
        `Invalid cluster name '${name}' (use letters, digits, '.', '_', '-')`,
      );
    }
  }
  const kafkaHome = resolveKafkaHome(options.kafkaHome);
  const givenDir = options.dir;
  const ownsDir = !givenDir;
  const keepDir = options.keepDir ?? process.env[KEEP_DIR_ENV] === '1';
  let dir: string;
  let releaseDir: (options?: { keep?: boolean }) => void = () => undefined;
  if (givenDir) {
    dir = path.resolve(givenDir);
    fs.mkdirSync(dir, { recursive: true });
  } else {
    removeStaleTempDirs();
    ({ dir, release: releaseDir } = makeTempDir('', keepDir));
  }
  const testBed = new TestBed(dir, kafkaHome, ownsDir, keepDir, releaseDir);

  const results = await Promise.allSettled(
    names.map(async name => {
      const cluster = await startKafkaCluster({
        name,
        baseDir: dir,
        kafkaHome,
        heapMb: options.heapMb,
        fastStartup: options.fastStartup,
        jvmArgs: options.brokerJvmArgs,
        jmxPort: options.brokerJmx ? await findFreePort() : undefined,
        brokerProperties: {
          ...(options.brokerProperties ?? {}),
          ...(options.clusterProperties?.[name] ?? {}),
        },
        startTimeoutMs: options.startTimeoutMs,
        stopTimeoutMs: options.stopTimeoutMs,
      });
      testBed.clusters[name] = cluster;
      return cluster;
    }),
  );
  const failure = results.find(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  if (failure) {
    await testBed.stop();
    throw failure.reason;
  }
  return testBed;
}
