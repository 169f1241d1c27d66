/**
 * MirrorMaker 1 replication throughput on the local test bed (two
 * single-node KRaft clusters, dc1 -> dc2), all phases in one process so the
 * ratios share the machine's conditions:
 *
 * - raw: Kafka's own ProducerPerformance writing N records of S bytes into
 *   dc2, the most a single writer gets into that broker on this machine
 *   (once with the producer's defaults, once with our producer properties);
 * - ours: the start script and client files rendered for a 1-node,
 *   1-process dc1 -> dc2 deployment with the renderer's defaults;
 * - seed: the seed's settings (its consumer and producer properties, one
 *   stream, 2 GiB heap, the JVM flags kafka-run-class.sh adds);
 * - variants: ours with single settings changed, to see what moves the rate.
 *
 * Every MirrorMaker phase copies the same preload (N records written by
 * ProducerPerformance into a fresh topic on dc1) into the same-named topic
 * on dc2, timed from process start until the target's end offsets sum to N.
 * The steady-state rate and CPU cost are taken between 10 % and 90 % of N,
 * which leaves out JVM start-up, group join and the last half-full batches.
 * Phases run in rounds, every other round in reverse order; the best
 * round's rate and the cheapest round's CPU per record count, as other load
 * on the machine and cold JITs only ever make a phase slower and dearer.
 *
 * Run: npm run bench:replication   (goals: ours/raw >= 0.9, ours/seed >= 1.5)
 * Env: BENCH_RECORDS (3000000), BENCH_RECORD_SIZE (512), BENCH_PARTITIONS (6),
 *      BENCH_ROUNDS (3), BENCH_PAYLOAD (random | json | tool),
 *      BENCH_VARIANTS (all | none | comma-separated variant ids),
 *      BENCH_WARMUP (1 | 0), BENCH_PHASE_TIMEOUT_S (600)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import {
  KafkaClusterConfig,
  renderBundle,
  unescapeProperties,
  validateDeploymentClusters,
  validateMirrorMakerEntity,
} from '@mirrormaker/plugin-mirror-maker-common';
import { exampleEntity } from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import {
  createKafkaClient,
  createTopics,
  findFreePort,
  findFreePortRanges,
  findJava,
  findJmxExporterAgent,
  JavaProcess,
  KafkaCluster,
  sleep,
  startJavaProcess,
  startKafkaClusters,
  startScriptProcess,
  sumEndOffsets,
  TestBed,
  withAdmin,
  writeLog4jConfig,
  writePropertiesFile,
} from '../testbed';

type Props = Record<string, string>;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  }
  return value;
}

const RECORDS = envInt('BENCH_RECORDS', 3_000_000);
const RECORD_SIZE = envInt('BENCH_RECORD_SIZE', 512);
const PARTITIONS = envInt('BENCH_PARTITIONS', 6);
const ROUNDS = envInt('BENCH_ROUNDS', 3);
const PAYLOADS = ['random', 'json', 'tool'] as const;
const PAYLOAD = (process.env.BENCH_PAYLOAD || 'random') as
  | (typeof PAYLOADS)[number];
if (!PAYLOADS.includes(PAYLOAD)) {
  throw new Error(`BENCH_PAYLOAD must be one of ${PAYLOADS.join(', ')}`);
}
const WARMUP = process.env.BENCH_WARMUP !== '0';
const PHASE_TIMEOUT_MS = envInt('BENCH_PHASE_TIMEOUT_S', 600) * 1000;
const POLL_MS = 200;
// Longer than the seed's linger.ms (15 s), so its last batches are not
// mistaken for a stall.
const STALL_MS = 90_000;
const GOAL_VS_RAW = 0.9;
const GOAL_VS_SEED = 1.5;
// ProducerPerformance reports MB/sec in MiB; every phase uses its unit.
const MIB = 1024 * 1024;
// USER_HZ, the unit of utime/stime in /proc/<pid>/stat, is 100 on Linux.
const CLOCK_TICKS = 100;

/** The seed's inventory (group_vars/kafka-mirror-maker.yml, all.yml). */
const SEED = {
  clusterName: 'development-kafka',
  heap: '2G',
  consumer: {
    'auto.offset.reset': 'earliest',
    'partition.assignment.strategy':
      'org.apache.kafka.clients.consumer.RoundRobinAssignor',
    'fetch.max.bytes': '52428800',
    'fetch.min.bytes': '1000012',
    'fetch.max.wait.ms': '500',
    'exclude.internal.topics': 'true',
    'allow.auto.create.topics': 'false',
  } as Props,
  producer: {
    'compression.type': 'none',
    'partitioner.class':
      'org.apache.kafka.clients.producer.internals.DefaultPartitioner',
    'request.timeout.ms': '30000',
    'max.block.ms': '60000',
    'linger.ms': '15000',
    'max.request.size': '1000000',
    'batch.size': '500000',
    'buffer.memory': '200000000',
    'max.in.flight.requests.per.connection': '5',
    acks: 'all',
  } as Props,
  // kafka-run-class.sh's KAFKA_JVM_PERFORMANCE_OPTS, which the seed's start
  // script inherits; ours renders its own flags.
  jvmFlags: [
    '-server',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:MaxInlineLevel=15',
    '-Djava.awt.headless=true',
  ],
  // The systemd unit passes no --num.streams and no
  // --offset.commit.interval.ms, so MirrorMaker's own defaults apply.
  cli: {
    'num.streams': '1',
    'offset.commit.interval.ms': '60000',
    'abort.on.send.failure': 'false',
  } as Props,
};

/** What a client or MirrorMaker uses for a key nobody sets, for the diff. */
const UNSET: Record<'consumer' | 'producer', Props> = {
  consumer: {
    'allow.auto.create.topics': 'true',
    'auto.offset.reset': 'latest',
    'exclude.internal.topics': 'true',
    'fetch.max.bytes': '52428800',
    'fetch.max.wait.ms': '500',
    'fetch.min.bytes': '1',
    'max.partition.fetch.bytes': '1048576',
    'max.poll.records': '500',
    'partition.assignment.strategy': 'RangeAssignor,CooperativeStickyAssignor',
    'security.protocol': 'PLAINTEXT',
    'session.timeout.ms': '45000',
  },
  producer: {
    acks: 'all (MirrorMaker)',
    'batch.size': '16384',
    'buffer.memory': '33554432',
    'compression.type': 'none',
    'delivery.timeout.ms': '2147483647 (MirrorMaker)',
    'enable.idempotence': 'true (no conflicting setting)',
    'linger.ms': '0',
    'max.block.ms': '9223372036854775807 (MirrorMaker)',
    'max.in.flight.requests.per.connection': '1 (MirrorMaker)',
    'max.request.size': '1048576',
    'partitioner.class': 'built-in sticky',
    'request.timeout.ms': '30000',
    'security.protocol': 'PLAINTEXT',
  },
};

/** Keys that name the connection rather than tune it. */
const IDENTITY_KEYS = new Set(['bootstrap.servers', 'group.id', 'client.id']);

interface Variant {
  id: string;
  label: string;
  consumer?: Props;
  producer?: Props;
  numStreams?: number;
}

const VARIANTS: Variant[] = [
  {
    id: 'inflight5',
    label: 'max.in.flight.requests.per.connection=5',
    producer: { 'max.in.flight.requests.per.connection': '5' },
  },
  {
    id: 'nocompress',
    label: 'compression.type=none',
    producer: { 'compression.type': 'none' },
  },
  {
    id: 'batch1m',
    label: 'batch.size=1048576',
    producer: { 'batch.size': '1048576' },
  },
  {
    id: 'linger5',
    label: 'linger.ms=5',
    producer: { 'linger.ms': '5' },
  },
  {
    id: 'fetchmin',
    label: 'fetch.min.bytes=1000012, fetch.max.wait.ms=500 (seed)',
    consumer: { 'fetch.min.bytes': '1000012', 'fetch.max.wait.ms': '500' },
  },
  {
    id: 'streams2',
    label: 'num.streams=2',
    numStreams: 2,
  },
  {
    id: 'streams-partitions',
    label: `num.streams=${PARTITIONS} (one per partition)`,
    numStreams: PARTITIONS,
  },
  {
    id: 'acks1',
    label: 'acks=1, enable.idempotence=false (can lose data; reference)',
    producer: { acks: '1', 'enable.idempotence': 'false' },
  },
  {
    id: 'inflight5-nocompress',
    label: 'max.in.flight.requests.per.connection=5, compression.type=none',
    producer: {
      'max.in.flight.requests.per.connection': '5',
      'compression.type': 'none',
    },
  },
  {
    id: 'nocompress-fetchmin',
    label:
      'compression.type=none, fetch.min.bytes=1000012, fetch.max.wait.ms=500',
    consumer: { 'fetch.min.bytes': '1000012', 'fetch.max.wait.ms': '500' },
    producer: { 'compression.type': 'none' },
  },
  {
    id: 'proposed',
    label: 'compression.type=none, batch.size=1048576',
    producer: { 'compression.type': 'none', 'batch.size': '1048576' },
  },
];

/** CPU seconds of the phase's writer JVM (MirrorMaker or the tool) and brokers. */
interface Cpu {
  writer: number;
  dc1: number;
  dc2: number;
}

interface Sample {
  /** Seconds since the writer was started. */
  t: number;
  /** Records on the target. */
  n: number;
  cpu: Cpu;
  /** Busy CPU seconds of the whole machine, all cores. */
  busy: number;
  /** CPU seconds of this Node process (the polling). */
  node: number;
}

/** One phase in one round; rates in records/s. */
interface PhaseResult {
  id: string;
  label: string;
  round: number;
  error?: string;
  /** Seconds from process start to the first record on the target. */
  startupS?: number;
  /** Seconds from process start until all N records were on the target. */
  endS?: number;
  /** Rate between 10 % and 90 % of N. */
  steady?: number;
  /** N / (end - first record). */
  afterStartup?: number;
  /** CPU microseconds per record between 10 % and 90 % of N. */
  cpuPerRecord?: Cpu;
  /**
   * Cores kept busy by other programs between 10 % and 90 % of N: the
   * machine is shared, and a phase that had to share it ran slower.
   */
  otherCores?: number;
  /** What ProducerPerformance printed itself. */
  tool?: { recordsPerSec: number; mibPerSec: number };
  delivered?: number;
  /** Bytes the target's log segments hold per record (compression shows here). */
  targetBytesPerRecord?: number;
}

/** Time at which the samples first reach `level`, interpolated between polls. */
function crossing(samples: Sample[], level: number): number | undefined {
  for (let i = 0; i < samples.length; i++) {
    if (samples[i].n < level) continue;
    if (i === 0) return samples[0].t;
    const a = samples[i - 1];
    const b = samples[i];
    return a.t + ((level - a.n) / (b.n - a.n)) * (b.t - a.t);
  }
  return undefined;
}

function summarize(
  samples: Sample[],
  total: number,
): Pick<
  PhaseResult,
  | 'startupS'
  | 'endS'
  | 'steady'
  | 'afterStartup'
  | 'cpuPerRecord'
  | 'otherCores'
> {
  const first = crossing(samples, 1);
  const end = crossing(samples, total);
  const t10 = crossing(samples, total * 0.1);
  const t90 = crossing(samples, total * 0.9);
  // CPU is read at the polls, so it is paired with the polls' counts rather
  // than interpolated.
  const a = samples.find(s => s.n >= total * 0.1);
  const b = samples.find(s => s.n >= total * 0.9);
  const perRecord = (key: keyof Cpu) =>
    a && b && b.n > a.n ? ((b.cpu[key] - a.cpu[key]) * 1e6) / (b.n - a.n) : 0;
  return {
    startupS: first,
    endS: end,
    steady:
      t10 !== undefined && t90 !== undefined && t90 > t10
        ? (total * 0.8) / (t90 - t10)
        : undefined,
    afterStartup:
      first !== undefined && end !== undefined && end > first
        ? total / (end - first)
        : undefined,
    cpuPerRecord:
      a && b && b.n > a.n
        ? {
            writer: perRecord('writer'),
            dc1: perRecord('dc1'),
            dc2: perRecord('dc2'),
          }
        : undefined,
    otherCores:
      a && b && b.t > a.t
        ? Math.max(
            0,
            b.busy -
              a.busy -
              (b.node - a.node) -
              (b.cpu.writer - a.cpu.writer) -
              (b.cpu.dc1 - a.cpu.dc1) -
              (b.cpu.dc2 - a.cpu.dc2),
          ) /
          (b.t - a.t)
        : undefined,
  };
}

/** Busy CPU seconds of the machine since boot (/proc/stat, all cores). */
function machineBusySeconds(): number {
  try {
    const [line] = fs.readFileSync('/proc/stat', 'utf8').split('\n');
    // user nice system idle iowait irq softirq steal; guest time is already
    // counted in user.
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Size of a topic's log segments in a test bed cluster (log.dirs is <dir>/data). */
function logBytes(cluster: KafkaCluster, topic: string): number | undefined {
  const data = path.join(cluster.dir, 'data');
  const partition = new RegExp(
    `^${topic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`,
  );
  try {
    let total = 0;
    for (const dir of fs.readdirSync(data).filter(d => partition.test(d))) {
      for (const file of fs.readdirSync(path.join(data, dir))) {
        if (file.endsWith('.log'))
          total += fs.statSync(path.join(data, dir, file)).size;
      }
    }
    return total;
  } catch {
    return undefined;
  }
}

function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Reads a properties file as the renderer writes it (`key=value`, no continuations). */
function parseProperties(text: string): Props {
  const props: Props = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('!'))
      continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) continue;
    props[unescapeProperties(trimmed.slice(0, eq))] = unescapeProperties(
      trimmed.slice(eq + 1),
    );
  }
  return props;
}

/**
 * mulberry32: 32-bit state kept exact with Math.imul. A textbook LCG in
 * doubles loses bits above 2^53 and falls into short cycles, which makes
 * "random" payloads repeat and compress.
 */
function prng(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return n => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

/**
 * Records of exactly `size` bytes, one a line, for ProducerPerformance's
 * --payload-file. 'random' holds the tool's own kind of record (uniform
 * A-Z, which lz4 cannot shrink) but drawn once, so the tool's per-byte
 * random numbers do not eat the CPU the brokers need; 'json' has the
 * repeating structure of real event streams (lz4 about 2.3:1 on 64 KiB
 * blocks).
 */
function writePayloads(
  file: string,
  kind: 'random' | 'json',
  size: number,
  count = 20_000,
): void {
  const next = prng(7);
  const syllables =
    'ka lo mi ne ru ta shi po ven dor al ex tri qu zen bel cor fin gra hol'.split(
      ' ',
    );
  const words = Array.from({ length: 300 }, () =>
    Array.from(
      { length: 2 + next(3) },
      () => syllables[next(syllables.length)],
    ).join(''),
  );
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    if (kind === 'random') {
      let line = '';
      for (let j = 0; j < size; j++) line += String.fromCharCode(65 + next(26));
      lines.push(line);
      continue;
    }
    const head = JSON.stringify({
      orderId: `ord-${next(1e9)}`,
      customerId: `cust-${next(1e6)}`,
      amount: next(1e7) / 100,
      currency: ['EUR', 'USD', 'GBP', 'CHF'][next(4)],
      status: ['created', 'paid', 'shipped', 'delivered', 'returned'][next(5)],
      ts: 1700000000000 + next(1e9),
      items: [
        { sku: `sku-${next(1e5)}`, qty: 1 + next(9) },
        { sku: `sku-${next(1e5)}`, qty: 1 + next(9) },
      ],
      note: '',
    });
    const room = Math.max(0, size - head.length);
    let note = '';
    while (note.length < room) note += `${words[next(words.length)]} `;
    lines.push(
      head
        .replace('"note":""', `"note":"${note.slice(0, room)}"`)
        .slice(0, size),
    );
  }
  fs.writeFileSync(file, lines.join('\n'));
}

class Bench {
  readonly results: PhaseResult[] = [];
  readonly live = new Set<JavaProcess>();
  round = 0;
  private readonly dir: string;
  private readonly payloadFile?: string;

  constructor(readonly bed: TestBed) {
    this.dir = path.join(bed.dir, 'bench');
    fs.mkdirSync(this.dir, { recursive: true });
    if (PAYLOAD !== 'tool') {
      this.payloadFile = path.join(this.dir, `payloads-${PAYLOAD}.txt`);
      writePayloads(this.payloadFile, PAYLOAD, RECORD_SIZE);
    }
  }

  private cluster(name: 'dc1' | 'dc2'): KafkaClusterConfig {
    return {
      name,
      brokers: [this.bed.bootstrap(name)],
      dataCentre: name,
      topicSuffix: name,
    };
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.live].map(p => p.stop({ timeoutMs: 10_000 }).catch(() => null)),
    );
    this.live.clear();
  }

  /** Starts ProducerPerformance writing all N records into `topic`. */
  private startProducerPerformance(
    name: string,
    bootstrap: string,
    topic: string,
    props: Props,
  ): JavaProcess {
    const proc = startJavaProcess({
      name,
      mainClass: 'org.apache.kafka.tools.ProducerPerformance',
      args: [
        '--topic',
        topic,
        '--num-records',
        String(RECORDS),
        ...(this.payloadFile
          ? ['--payload-file', this.payloadFile]
          : ['--record-size', String(RECORD_SIZE)]),
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${bootstrap}`,
        ...Object.entries(props).map(([k, v]) => `${k}=${v}`),
      ],
      heapMb: 512,
      fastStartup: false,
    });
    this.live.add(proc);
    void proc.exited.then(() => this.live.delete(proc));
    return proc;
  }

  private async finishTool(
    proc: JavaProcess,
  ): Promise<{ recordsPerSec: number; mibPerSec: number }> {
    const info = await proc.exited;
    if (info.code !== 0) {
      throw new Error(
        `${proc.name} failed (${proc.describeExit(info)})\n${proc.logTail(20)}`,
      );
    }
    const summary = proc
      .stdout()
      .split('\n')
      .map(line =>
        line.match(
          /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/,
        ),
      )
      .filter((m): m is RegExpMatchArray => m !== null)
      .pop();
    if (!summary || Number(summary[1]) !== RECORDS) {
      throw new Error(
        `${proc.name}: no summary for ${RECORDS} records\n${proc.logTail(20)}`,
      );
    }
    return {
      recordsPerSec: Number(summary[2]),
      mibPerSec: Number(summary[3]),
    };
  }

  private async createTopic(topic: string): Promise<void> {
    for (const dc of ['dc1', 'dc2'] as const) {
      await createTopics(this.bed.cluster(dc), [
        { topic, numPartitions: PARTITIONS },
      ]);
    }
  }

  /** Frees the disk: a run writes tens of GB, each phase into its own topic. */
  private async dropTopic(topic: string): Promise<void> {
    for (const dc of ['dc1', 'dc2'] as const) {
      await withAdmin(this.bed.cluster(dc), admin =>
        admin.deleteTopics({ topics: [topic], timeout: 30_000 }),
      ).catch(() => undefined);
    }
  }

  private async preload(topic: string): Promise<void> {
    await this.createTopic(topic);
    // Fast settings: the preload is not measured, it only has to be the
    // same data for every phase.
    const proc = this.startProducerPerformance(
      `preload-${topic}`,
      this.bed.bootstrap('dc1'),
      topic,
      { acks: '1', 'linger.ms': '20', 'batch.size': '262144' },
    );
    await this.finishTool(proc);
    const loaded = await sumEndOffsets(this.bed.cluster('dc1'), topic);
    if (loaded !== RECORDS) {
      throw new Error(`preload of ${topic}: ${loaded} of ${RECORDS} records`);
    }
  }

  /**
   * Polls the target topic's end offsets and the CPU clocks until N
   * records are there; fails when the writer exits first, or progress
   * stops.
   */
  private async follow(
    topic: string,
    t0: number,
    proc: JavaProcess,
    exitIsFine: boolean,
  ): Promise<Sample[]> {
    // A client per phase: kafkajs keeps asking for every topic it has seen,
    // and the topics of earlier phases are deleted.
    const admin = createKafkaClient(this.bed.cluster('dc2')).admin();
    await admin.connect();
    const pids = {
      writer: proc.pid,
      dc1: this.bed.cluster('dc1').pid,
      dc2: this.bed.cluster('dc2').pid,
    };
    const cpu: Cpu = { writer: 0, dc1: 0, dc2: 0 };
    const samples: Sample[] = [];
    let lastProgress = performance.now();
    let lastN = 0;
    let lastError = '';
    try {
      for (;;) {
        let n: number | undefined;
        try {
          const offsets = await admin.fetchTopicOffsets(topic);
          n = offsets.reduce((sum, o) => sum + Number(o.high), 0);
        } catch (e) {
          lastError = `; last poll error: ${errorText(e)}`;
        }
        const now = performance.now();
        for (const key of ['writer', 'dc1', 'dc2'] as const) {
          cpu[key] = cpuSeconds(pids[key]) ?? cpu[key];
        }
        if (n !== undefined) {
          const self = process.cpuUsage();
          samples.push({
            t: (now - t0) / 1000,
            n,
            cpu: { ...cpu },
            busy: machineBusySeconds(),
            node: (self.user + self.system) / 1e6,
          });
          if (n >= RECORDS) return samples;
          if (n > lastN) {
            lastN = n;
            lastProgress = now;
          }
        }
        const exit = proc.exitInfo;
        if (exit && (!exitIsFine || exit.code !== 0)) {
          throw new Error(
            `${
              proc.name
            } exited (${proc.describeExit()}) after ${lastN} of ${RECORDS} records\n${proc.logTail(
              30,
            )}`,
          );
        }
        if (now - t0 > PHASE_TIMEOUT_MS || now - lastProgress > STALL_MS) {
          throw new Error(
            `${proc.name}: ${lastN} of ${RECORDS} records after ${(
              (now - t0) /
              1000
            ).toFixed(0)} s (no progress for ${(
              (now - lastProgress) /
              1000
            ).toFixed(0)} s${lastError})\n${proc.logTail(30)}`,
          );
        }
        await sleep(POLL_MS);
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private report(result: PhaseResult): PhaseResult {
    this.results.push(result);
    const cpu = result.cpuPerRecord;
    const line = result.error
      ? `  ${result.id}: FAILED ${result.error.split('\n')[0]}`
      : `  ${result.id}: ${fmtRate(result.steady)} records/s, ${
          cpu ? (cpu.writer + cpu.dc1 + cpu.dc2).toFixed(1) : '-'
        } us CPU/record, other load ${
          result.otherCores === undefined ? '-' : result.otherCores.toFixed(1)
        } cores, start-up ${fmtS(result.startupS)} s, all after ${fmtS(
          result.endS,
        )} s${
          result.tool
            ? `; tool: ${fmtRate(
                result.tool.recordsPerSec,
              )} records/s, ${result.tool.mibPerSec.toFixed(1)} MB/s`
            : ''
        }`;
    process.stdout.write(`${line}\n`);
    if (result.delivered !== undefined && result.delivered !== RECORDS) {
      process.stdout.write(
        `  ${result.id}: ${result.delivered} records on the target, expected ${RECORDS} (duplicates)\n`,
      );
    }
    return result;
  }

  private targetBytesPerRecord(topic: string): number | undefined {
    const bytes = logBytes(this.bed.cluster('dc2'), topic);
    return bytes === undefined ? undefined : bytes / RECORDS;
  }

  /** ProducerPerformance straight into dc2. */
  async raw(id: string, label: string, props: Props): Promise<PhaseResult> {
    process.stdout.write(`[round ${this.round}] ${label}\n`);
    const topic = `bench-${id}-${this.round}`;
    let proc: JavaProcess | undefined;
    try {
      await this.createTopic(topic);
      const t0 = performance.now();
      proc = this.startProducerPerformance(
        id,
        this.bed.bootstrap('dc2'),
        topic,
        props,
      );
      const samples = await this.follow(topic, t0, proc, true);
      const tool = await this.finishTool(proc);
      return this.report({
        id,
        label,
        round: this.round,
        ...summarize(samples, RECORDS),
        tool,
        delivered: samples[samples.length - 1].n,
        targetBytesPerRecord: this.targetBytesPerRecord(topic),
      });
    } catch (e) {
      return this.report({
        id,
        label,
        round: this.round,
        error: errorText(e),
      });
    } finally {
      await proc?.stop({ timeoutMs: 5_000 });
      await this.dropTopic(topic);
    }
  }

  /** Preloads a fresh topic, starts a MirrorMaker and times the copy. */
  async mirror(
    id: string,
    label: string,
    start: (topic: string, dir: string) => Promise<JavaProcess>,
  ): Promise<PhaseResult> {
    process.stdout.write(`[round ${this.round}] ${label}\n`);
    const topic = `bench-${id}-${this.round}`;
    const dir = path.join(this.dir, `${id}-${this.round}`);
    fs.mkdirSync(dir, { recursive: true });
    let proc: JavaProcess | undefined;
    try {
      await this.preload(topic);
      const t0 = performance.now();
      proc = await start(topic, dir);
      this.live.add(proc);
      const samples = await this.follow(topic, t0, proc, false);
      return this.report({
        id,
        label,
        round: this.round,
        ...summarize(samples, RECORDS),
        delivered: samples[samples.length - 1].n,
        targetBytesPerRecord: this.targetBytesPerRecord(topic),
      });
    } catch (e) {
      return this.report({
        id,
        label,
        round: this.round,
        error: errorText(e),
      });
    } finally {
      if (proc) {
        await proc.stop({ timeoutMs: 15_000 });
        this.live.delete(proc);
      }
      await this.dropTopic(topic);
    }
  }

  /**
   * Renders the deployment as the plugin would (exampleEntity on one node,
   * one process, renderer defaults plus `variant`), writes its node files
   * and starts its start script. Returns the effective settings too.
   */
  async renderOurs(
    topic: string,
    dir: string,
    variant: Omit<Variant, 'id' | 'label'> = {},
    write = true,
  ): Promise<{
    script: string;
    consumer: Props;
    producer: Props;
    cli: Props;
  }> {
    const [jmx, exporter] = await findFreePortRanges(2, 1);
    const agent = findJmxExporterAgent(this.bed.kafkaHome);
    const name = topic.replace(/[^a-z0-9-]/g, '-');
    const base = exampleEntity({
      topics: { names: [topic] },
      placement: {
        nodes: ['localhost'],
        processesPerNode: 1,
        ...(variant.numStreams ? { numStreams: variant.numStreams } : {}),
      },
      install: {
        kafkaHome: this.bed.kafkaHome,
        configDir: path.join(dir, 'config'),
        binDir: path.join(dir, 'bin'),
        logDir: path.join(dir, 'logs'),
        ...(agent ? { jmxExporterJar: agent } : {}),
      },
      jmx: { initialPort: jmx - 1, exporterInitialPort: exporter - 1 },
      // Without the agent jar the exporter cannot load; everything else
      // stays at the renderer's defaults.
      ...(agent ? {} : { monitoring: { prometheus: { enabled: false } } }),
      ...(variant.consumer ? { consumer: variant.consumer } : {}),
      ...(variant.producer ? { producer: variant.producer } : {}),
    });
    const entity = { ...base, metadata: { name } };
    const source = this.cluster('dc1');
    const target = this.cluster('dc2');
    const problems = [
      ...validateMirrorMakerEntity(entity).filter(p => p.severity === 'error'),
      ...validateDeploymentClusters(entity, source, target),
    ];
    if (problems.length > 0) {
      throw new Error(
        `the bench deployment is invalid: ${JSON.stringify(problems)}`,
      );
    }
    const [node] = renderBundle({ entity, source, target }).nodes;
    let script = '';
    let text = '';
    let consumer: Props = {};
    let producer: Props = {};
    for (const file of node.files) {
      // systemd units go to /etc; only what lives under our folder runs here.
      if (!file.path.startsWith(dir)) continue;
      if (write) {
        fs.mkdirSync(path.dirname(file.path), { recursive: true });
        fs.writeFileSync(file.path, file.content, { mode: file.mode });
      }
      if (/kafka-mirror-maker-1\.sh$/.test(file.path)) {
        script = file.path;
        text = file.content;
      }
      if (/consumer\.properties$/.test(file.path))
        consumer = parseProperties(file.content);
      if (/producer-1\.properties$/.test(file.path))
        producer = parseProperties(file.content);
    }
    if (!script) throw new Error('the bundle has no start script');
    const option = (flag: string) =>
      text.match(new RegExp(`--${flag.replace(/\./g, '\\.')} (\\S+)`))?.[1] ??
      '?';
    const cli: Props = {
      'num.streams': option('num.streams'),
      'offset.commit.interval.ms': option('offset.commit.interval.ms'),
      'abort.on.send.failure': option('abort.on.send.failure'),
      heap: text.match(/-Xmx(\S+)/)?.[1] ?? '?',
      'jvm flags': ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20']
        .filter(f => text.includes(f))
        .join(' '),
    };
    return { script, consumer, producer, cli };
  }

  startOurs(script: string): JavaProcess {
    return startScriptProcess({
      script,
      name: path.basename(path.dirname(path.dirname(script))),
      env: { KAFKA_HOME: this.bed.kafkaHome, JAVA: findJava() },
      outFile: `${script}.out`,
    });
  }

  /**
   * The seed's files for one process: its consumer and producer
   * properties, a log4j file, and a start script doing what its
   * kafka-mirror-maker-<i>.sh, kafka-run-class.sh and systemd ExecStart do
   * together.
   */
  async startSeed(topic: string, dir: string): Promise<JavaProcess> {
    const consumer = writePropertiesFile(
      path.join(dir, 'consumer.properties'),
      {
        'bootstrap.servers': this.bed.bootstrap('dc1'),
        'group.id': `kafka-mirror-maker-consumer-${SEED.clusterName}-${topic}`,
        ...SEED.consumer,
      },
    );
    const producer = writePropertiesFile(
      path.join(dir, 'producer.properties'),
      {
        'bootstrap.servers': this.bed.bootstrap('dc2'),
        'client.id': `kafka-mirror-maker-producer-${SEED.clusterName}`,
        ...SEED.producer,
      },
    );
    const log4j = writeLog4jConfig(path.join(dir, 'log4j.properties'), {
      logFile: path.join(dir, 'kafka-mirror-maker-1.log'),
    });
    const jmxPort = await findFreePort();
    const script = path.join(dir, 'kafka-mirror-maker-1.sh');
    const command = [
      'exec "$JAVA"',
      `-Xmx${SEED.heap}`,
      `-Xms${SEED.heap}`,
      ...SEED.jvmFlags,
      '-Dcom.sun.management.jmxremote=true',
      '-Dcom.sun.management.jmxremote.authenticate=false',
      '-Dcom.sun.management.jmxremote.ssl=false',
      `-Dcom.sun.management.jmxremote.port=${jmxPort}`,
      `-Dkafka.logs.dir=${shq(dir)}`,
      `-Dlog4j.configuration=${shq(`file:${log4j}`)}`,
      '-cp "$KAFKA_HOME/libs/*"',
      'kafka.tools.MirrorMaker',
      `--consumer.config ${shq(consumer)}`,
      `--producer.config ${shq(producer)}`,
      `--whitelist ${shq(topic)}`,
      `--abort.on.send.failure ${SEED.cli['abort.on.send.failure']}`,
    ];
    fs.writeFileSync(
      script,
      `#!/usr/bin/env bash\nset -euo pipefail\n${command.join(' \\\n  ')}\n`,
      { mode: 0o755 },
    );
    return startScriptProcess({
      script,
      name: 'seed',
      env: { KAFKA_HOME: this.bed.kafkaHome, JAVA: findJava() },
      outFile: `${script}.out`,
    });
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function fmtRate(value?: number): string {
  return value === undefined ? '-' : Math.round(value).toLocaleString('en-US');
}

function fmtS(value?: number): string {
  return value === undefined ? '-' : value.toFixed(1);
}

function fmtRatio(value?: number): string {
  return value === undefined || !Number.isFinite(value)
    ? '-'
    : value.toFixed(2);
}

/** A phase over all rounds: the best round's rates, the cheapest round's CPU cost. */
interface Aggregate {
  id: string;
  label: string;
  rounds: PhaseResult[];
  best?: PhaseResult;
  cpu?: Cpu;
}

function aggregate(results: PhaseResult[], id: string): Aggregate | undefined {
  const rounds = results.filter(r => r.id === id);
  if (rounds.length === 0) return undefined;
  const ok = rounds.filter(r => !r.error && r.steady !== undefined);
  const best = ok.reduce<PhaseResult | undefined>(
    (b, r) => (b && b.steady! >= r.steady! ? b : r),
    undefined,
  );
  // Sharing the machine and cold JITs only ever add CPU per record, so the
  // cheapest round is the closest to what the configuration itself costs.
  const total = (r: PhaseResult) =>
    r.cpuPerRecord!.writer + r.cpuPerRecord!.dc1 + r.cpuPerRecord!.dc2;
  const cheapest = ok
    .filter(r => r.cpuPerRecord)
    .reduce<PhaseResult | undefined>(
      (c, r) => (c && total(c) <= total(r) ? c : r),
      undefined,
    );
  return {
    id,
    label: rounds[0].label,
    rounds,
    best,
    cpu: cheapest?.cpuPerRecord,
  };
}

function ratio(a?: Aggregate, b?: Aggregate): number | undefined {
  const x = a?.best?.steady;
  const y = b?.best?.steady;
  return x !== undefined && y ? x / y : undefined;
}

/** How many times cheaper per record `a` is than `b`, in CPU. */
function cpuRatio(a?: Aggregate, b?: Aggregate): number | undefined {
  const total = (c?: Cpu) => (c ? c.writer + c.dc1 + c.dc2 : undefined);
  const x = total(a?.cpu);
  const y = total(b?.cpu);
  return x !== undefined && y ? x / y : undefined;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) =>
    Math.max(...rows.map(r => (r[c] ?? '').length)),
  );
  return rows
    .map(r =>
      r
        .map((cell, c) =>
          c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const HEADER = [
  'phase',
  'rec/s',
  'MB/s',
  'rounds: rec/s (other cores)',
  'x ours',
  'start s',
  'end s',
  '1st->end rec/s',
  'CPU us/rec',
  'writer/dc1/dc2',
  'dc2 B/rec',
];

function row(a: Aggregate, ours?: Aggregate): string[] {
  const b = a.best;
  const rounds = a.rounds
    .map(r =>
      r.error || r.steady === undefined
        ? 'failed'
        : `${Math.round(r.steady / 1000)}k (${
            r.otherCores === undefined ? '-' : r.otherCores.toFixed(1)
          })`,
    )
    .join(' ');
  const cpu = a.cpu;
  return [
    a.label,
    fmtRate(b?.steady),
    b?.steady === undefined ? '-' : ((b.steady * RECORD_SIZE) / MIB).toFixed(1),
    rounds,
    fmtRatio(ratio(a, ours)),
    fmtS(b?.startupS),
    fmtS(b?.endS),
    fmtRate(b?.afterStartup),
    cpu ? (cpu.writer + cpu.dc1 + cpu.dc2).toFixed(1) : '-',
    cpu
      ? [cpu.writer, cpu.dc1, cpu.dc2].map(v => v.toFixed(1)).join(' / ')
      : '-',
    b?.targetBytesPerRecord === undefined
      ? '-'
      : b.targetBytesPerRecord.toFixed(0),
  ];
}

function keyDiff(
  ours: { consumer: Props; producer: Props; cli: Props },
  seed: { consumer: Props; producer: Props; cli: Props },
): string {
  const rows: string[][] = [];
  const identity = new Set<string>();
  for (const part of ['consumer', 'producer', 'cli'] as const) {
    const keys = [
      ...new Set([...Object.keys(ours[part]), ...Object.keys(seed[part])]),
    ].sort();
    for (const key of keys) {
      const a = ours[part][key];
      const b = seed[part][key];
      if (a === b) continue;
      if (IDENTITY_KEYS.has(key)) {
        identity.add(key);
        continue;
      }
      const unset = part === 'cli' ? undefined : UNSET[part][key];
      const show = (v?: string) => v ?? (unset ? `- (${unset})` : '- (unset)');
      rows.push([part === 'cli' ? 'process' : part, key, show(a), show(b)]);
    }
  }
  const lines = rows.map(r =>
    [r[0].padEnd(9), r[1].padEnd(38), r[2].padEnd(30), r[3]].join(' '),
  );
  return [
    `${''.padEnd(9)} ${'key'.padEnd(38)} ${'ours'.padEnd(30)} seed`,
    ...lines,
    `(also differ, by naming only: ${[...identity].join(', ')})`,
  ].join('\n');
}

function selectedVariants(): Variant[] {
  const wanted = (process.env.BENCH_VARIANTS ?? 'all').trim();
  if (wanted === 'all') return VARIANTS;
  if (wanted === 'none' || wanted === '') return [];
  const ids = wanted.split(',').map(s => s.trim());
  const unknown = ids.filter(id => !VARIANTS.some(v => v.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown variant(s) ${unknown.join(', ')}; known: ${VARIANTS.map(
        v => v.id,
      ).join(', ')}`,
    );
  }
  return VARIANTS.filter(v => ids.includes(v.id));
}

type Files = { consumer: Props; producer: Props; cli: Props };

async function run(bench: Bench, seedFiles: Files): Promise<void> {
  const variants = selectedVariants();
  const startOurs =
    (variant: Omit<Variant, 'id' | 'label'> = {}) =>
    async (topic: string, dir: string) =>
      bench.startOurs((await bench.renderOurs(topic, dir, variant)).script);

  if (WARMUP) {
    // Brokers start with cold JITs (the produce path with and without
    // compression, the fetch path); measured phases that come first would
    // pay for that alone.
    process.stdout.write('warm-up, not reported:\n');
    const warmups = [
      () => bench.mirror('warmup-ours', 'warm-up: ours', startOurs()),
      () =>
        bench.mirror('warmup-seed', 'warm-up: seed', (topic, dir) =>
          bench.startSeed(topic, dir),
        ),
      () => bench.raw('warmup-raw', 'warm-up: raw', {}),
    ];
    for (const warmup of warmups) {
      const result = await warmup();
      bench.results.pop();
      if (result.error) throw new Error(`warm-up failed: ${result.error}`);
    }
  }

  // Our producer settings, without the names that belong to a deployment.
  const probe = await bench.renderOurs(
    'bench-probe',
    path.join(bench.bed.dir, 'bench', 'probe'),
    {},
    false,
  );
  const oursFiles: Files = probe;
  const ourProducer = Object.fromEntries(
    Object.entries(probe.producer).filter(([k]) => !IDENTITY_KEYS.has(k)),
  );

  const phases: Array<() => Promise<PhaseResult>> = [
    () =>
      bench.raw(
        'raw',
        'raw: ProducerPerformance -> dc2, producer defaults',
        {},
      ),
    () =>
      bench.raw(
        'raw-ours',
        'raw: ProducerPerformance -> dc2, our producer properties',
        ourProducer,
      ),
    () =>
      bench.mirror(
        'ours',
        'ours: rendered defaults (1 process, 1 stream, 1G)',
        startOurs(),
      ),
    () =>
      bench.mirror(
        'seed',
        'seed: its properties, 1 stream, 2G, kafka-run-class flags',
        (topic, dir) => bench.startSeed(topic, dir),
      ),
    ...variants.map(
      v => () => bench.mirror(v.id, `ours + ${v.label}`, startOurs(v)),
    ),
  ];
  for (let round = 1; round <= ROUNDS; round++) {
    bench.round = round;
    // Every other round backwards, so drift over the run (disk, other
    // load) does not favour the phases that come first.
    const order = round % 2 === 1 ? phases : [...phases].reverse();
    for (const phase of order) await phase();
  }

  const pick = (id: string) => aggregate(bench.results, id);
  const raw = pick('raw');
  const ours = pick('ours');
  const seed = pick('seed');
  const out: string[] = [''];
  out.push(
    `${RECORDS.toLocaleString(
      'en-US',
    )} records x ${RECORD_SIZE} B (${PAYLOAD} payload), ${PARTITIONS} partitions, ${ROUNDS} round(s); rates: best round, CPU: cheapest round; ${
      os.cpus().length
    } cores, load ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
    'rec/s and CPU us/rec between 10 % and 90 % of the records; CPU: MirrorMaker or ProducerPerformance JVM / dc1 broker / dc2 broker; dc2 B/rec: log bytes on the target per record; other cores: CPU other programs on the machine used meanwhile',
    '',
    table([
      HEADER,
      ...['raw', 'raw-ours', 'ours', 'seed'].flatMap(id => {
        const a = pick(id);
        return a ? [row(a, ours)] : [];
      }),
    ]),
  );
  const oursRaw = ratio(ours, raw);
  const oursSeed = ratio(ours, seed);
  const verdict = (value: number | undefined, goal: number) =>
    value === undefined ? 'n/a' : value >= goal ? 'met' : 'NOT met';
  const endToEnd = (a?: Aggregate, b?: Aggregate) =>
    a?.best?.afterStartup !== undefined && b?.best?.afterStartup
      ? a.best.afterStartup / b.best.afterStartup
      : undefined;
  const toolRaw =
    ours?.best?.steady !== undefined && raw?.best?.tool
      ? ours.best.steady / raw.best.tool.recordsPerSec
      : undefined;
  out.push(
    '',
    `ours/raw   ${fmtRatio(oursRaw)}  goal >= ${GOAL_VS_RAW}  ${verdict(
      oursRaw,
      GOAL_VS_RAW,
    )}`,
    `ours/raw with our producer properties on both sides ${fmtRatio(
      ratio(ours, pick('raw-ours')),
    )}  (${verdict(
      ratio(ours, pick('raw-ours')),
      GOAL_VS_RAW,
    )}: what consuming and forwarding cost on top of producing)`,
    `ours/seed  ${fmtRatio(oursSeed)}  goal >= ${GOAL_VS_SEED}  ${verdict(
      oursSeed,
      GOAL_VS_SEED,
    )}`,
    `first record to all N (adds the wait of the last half-full batches for linger.ms): ours/raw ${fmtRatio(
      endToEnd(ours, raw),
    )}, ours/seed ${fmtRatio(endToEnd(ours, seed))}`,
    // With every core busy, the rate follows the CPU a record costs, and
    // that depends far less on which round had the machine to itself.
    `by CPU per record (the rate ratio on a CPU-bound machine): ours/raw ${fmtRatio(
      cpuRatio(raw, ours),
    )}, ours/seed ${fmtRatio(cpuRatio(seed, ours))}`,
  );
  if (raw?.best?.tool) {
    out.push(
      `raw as ProducerPerformance printed it: ${fmtRate(
        raw.best.tool.recordsPerSec,
      )} records/s, ${raw.best.tool.mibPerSec.toFixed(
        1,
      )} MB/s (ours against it: ${fmtRatio(toolRaw)})`,
    );
  }
  const variantRows = variants
    .map(v => pick(v.id))
    .filter((a): a is Aggregate => a !== undefined);
  if (variantRows.length > 0) {
    out.push(
      '',
      'Variants of ours (x ours: rate against the renderer defaults above; CPU: x ours: how much cheaper per record than ours)',
      table([
        [...HEADER, 'vs raw', 'vs seed', 'CPU: x ours'],
        ...variantRows.map(a => [
          ...row(a, ours),
          fmtRatio(ratio(a, raw)),
          fmtRatio(ratio(a, seed)),
          fmtRatio(cpuRatio(ours, a)),
        ]),
      ]),
    );
  }
  out.push(
    '',
    'Config keys that differ, ours (renderer defaults) vs seed; "- (x)": not set, x applies',
    keyDiff(oursFiles, seedFiles),
  );
  const failed = bench.results.filter(r => r.error);
  for (const r of failed) {
    out.push('', `${r.id} (round ${r.round}) failed:\n${r.error}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  if (failed.length > 0) process.exitCode = 1;
}

async function main(): Promise<void> {
  let bed: TestBed | undefined;
  let bench: Bench | undefined;
  let stopping = false;
  const stopAll = async () => {
    await bench?.close();
    await bed?.stop();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal gives up waiting; the test bed's exit hook and
    // watchdogs still kill every JVM.
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(
      `\n${signal}: stopping MirrorMaker, tools and brokers\n`,
    );
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(s, onSignal);

  process.stdout.write(
    'starting dc1 and dc2 (single-node KRaft, 512 MiB heaps, C2 JIT)\n',
  );
  try {
    bed = await startKafkaClusters(['dc1', 'dc2'], {
      heapMb: 512,
      fastStartup: false,
    });
    bench = new Bench(bed);
    await run(bench, {
      consumer: { ...SEED.consumer },
      producer: { ...SEED.producer },
      cli: {
        ...SEED.cli,
        heap: SEED.heap,
        'jvm flags': SEED.jvmFlags
          .filter(f => /^-XX:(\+UseG1GC|MaxGCPauseMillis)/.test(f))
          .join(' '),
      },
    });
  } finally {
    if (!stopping) await stopAll();
  }
}

main().catch(e => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
