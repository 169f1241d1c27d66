import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Kafka, KafkaConfig } from 'kafkajs';
import { createKafkaClient, sleep } from './kafkaClient';
import {
  ExitInfo,
  JavaProcess,
  runKafkaTool,
  startJavaProcess,
  writePropertiesFile,
} from './javaProcess';
import { findFreePorts } from './ports';

export interface KafkaClusterOptions {
  /** Cluster name, also the folder name under `baseDir`. */
  name: string;
  /** Parent folder; the cluster lives in `<baseDir>/<name>`. */
  baseDir: string;
  kafkaHome?: string;
  /** Broker heap in MiB. Default 256. */
  heapMb?: number;
  /** C1-only JIT for faster start-up. Default true. */
  fastStartup?: boolean;
  /** Remote JMX port for the broker JVM. */
  jmxPort?: number;
  /** Extra JVM options (e.g. a -javaagent). */
  jvmArgs?: string[];
  /** Overrides / additions to the generated server.properties. */
  brokerProperties?: Record<string, string | number | boolean>;
  /** Readiness timeout. Default 90 s. */
  startTimeoutMs?: number;
  /** SIGTERM-to-SIGKILL timeout when stopping. Default 15 s. */
  stopTimeoutMs?: number;
}

/** Generates a Kafka cluster id (a Kafka Uuid: 16 random bytes, base64url, no padding). */
export function randomKafkaUuid(): string {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    // Kafka avoids ids starting with '-' because they look like CLI options.
    if (!id.startsWith('-')) return id;
  }
}

/** A running single-node KRaft cluster (combined broker + controller, node.id 1). */
export class KafkaCluster {
  /** Broker JVM process (changes if the cluster is restarted). */
  process: JavaProcess;

  constructor(
    readonly name: string,
    readonly dir: string,
    readonly clusterId: string,
    readonly port: number,
    readonly controllerPort: number,
    readonly configFile: string,
    readonly logFile: string,
    proc: JavaProcess,
    private readonly stopTimeoutMs: number,
    /** Remote JMX port of the broker JVM, if enabled. */
    readonly jmxPort?: number,
  ) {
    this.process = proc;
  }

  /** `127.0.0.1:<port>`, the PLAINTEXT listener. */
  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.process.pid;
  }

  get exited(): Promise<ExitInfo> {
    return this.process.exited;
  }

  /** A kafkajs client for this cluster (logging off unless configured). */
  createClient(config: Partial<KafkaConfig> = {}): Kafka {
    return createKafkaClient(this, config);
  }

  /** Last lines of the broker log (and JVM output). */
  logTail(lines = 40): string {
    return this.process.logTail(lines);
  }

  /** Stops the broker (SIGTERM, then SIGKILL after the stop timeout). */
  stop(options: { timeoutMs?: number } = {}): Promise<ExitInfo> {
    return this.process.stop({
      timeoutMs: options.timeoutMs ?? this.stopTimeoutMs,
    });
  }
}

function serverProperties(
  dir: string,
  port: number,
  controllerPort: number,
  overrides: Record<string, string | number | boolean>,
): Record<string, string | number | boolean> {
  return {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map':
      'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': path.join(dir, 'data'),
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'auto.create.topics.enable': false,
    'offsets.topic.replication.factor': 1,
    // Fewer internal partitions: faster to create on a tiny machine.
    'offsets.topic.num.partitions': 5,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 5,
    'group.initial.rebalance.delay.ms': 0,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'background.threads': 2,
    'log.segment.bytes': 16 * 1024 * 1024,
    'log.retention.hours': 168,
    'log.retention.check.interval.ms': 300_000,
    'log.cleaner.enable': true,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 8 * 1024 * 1024,
    'delete.topic.enable': true,
    ...overrides,
  };
}

/** Probes the broker with kafkajs until it answers describeCluster and listTopics. */
async function waitForBroker(
  bootstrap: string,
  proc: JavaProcess,
  timeoutMs: number,
  name: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt';
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  while (!exited) {
    const admin = createKafkaClient(bootstrap, {
      connectionTimeout: 1_000,
      requestTimeout: 5_000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.listTopics();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
      lastError = 'no brokers/controller in metadata yet';
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Kafka cluster ${name} (${bootstrap}) not ready after ${timeoutMs} ms (last probe: ${lastError})\n${proc.logTail(
          40,
        )}`,
      );
    }
    await sleep(200);
  }
  const info = await proc.exited;
  throw new Error(
    `Kafka cluster ${name} (${bootstrap}) exited during start-up (${proc.describeExit(
      info,
    )})\n${proc.logTail(40)}`,
  );
}

const PORT_CLASH = /Address already in use|BindException/;

/**
 * Starts one single-node KRaft cluster in `<baseDir>/<name>`: picks free
 * loopback ports, writes server.properties and log4j config, formats the
 * storage with StorageTool, starts `kafka.Kafka` and waits until it answers.
 * Retries with new ports if a port was taken in the meantime.
 */
export async function startKafkaCluster(
  options: KafkaClusterOptions,
): Promise<KafkaCluster> {
  const maxAttempts = 3;
  for (let attempt = 1; ; attempt++) {
    const dir = path.join(options.baseDir, options.name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const [port, controllerPort] = await findFreePorts(2);
    try {
      return await startOnPorts(options, dir, port, controllerPort);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (attempt >= maxAttempts || !PORT_CLASH.test(message)) throw e;
    }
  }
}

async function startOnPorts(
  options: KafkaClusterOptions,
  dir: string,
  port: number,
  controllerPort: number,
): Promise<KafkaCluster> {
  const clusterId = randomKafkaUuid();
  const configFile = writePropertiesFile(
    path.join(dir, 'server.properties'),
    serverProperties(dir, port, controllerPort, options.brokerProperties ?? {}),
  );
  const logFile = path.join(dir, 'server.log');

  const format = await runKafkaTool(
    'kafka.tools.StorageTool',
    ['format', '-t', clusterId, '-c', configFile],
    {
      kafkaHome: options.kafkaHome,
      cwd: dir,
      fastStartup: true,
      timeoutMs: 60_000,
    },
  );
  if (format.code !== 0) {
    throw new Error(
      `StorageTool format failed for cluster ${options.name} (exit code ${format.code}):\n${format.stdout}\n${format.stderr}`,
    );
  }

  const proc = startJavaProcess({
    name: `kafka-${options.name}`,
    mainClass: 'kafka.Kafka',
    args: [configFile],
    kafkaHome: options.kafkaHome,
    heapMb: options.heapMb ?? 256,
    fastStartup: options.fastStartup,
    jmxPort: options.jmxPort,
    jvmArgs: options.jvmArgs,
    logFile,
    outFile: path.join(dir, 'kafka.out'),
    logsDir: dir,
    cwd: dir,
  });
  try {
    await waitForBroker(
      `127.0.0.1:${port}`,
      proc,
      options.startTimeoutMs ?? 90_000,
      options.name,
    );
  } catch (e) {
    await proc.stop({ timeoutMs: 5_000 });
    throw e;
  }
  return new KafkaCluster(
    options.name,
    dir,
    clusterId,
    port,
    controllerPort,
    configFile,
    logFile,
    proc,
    options.stopTimeoutMs ?? 15_000,
    options.jmxPort,
  );
}
