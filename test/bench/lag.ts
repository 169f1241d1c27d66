/**
 * Consumer-group lag of a MirrorMaker-sized group on the local test bed (one
 * single-node KRaft cluster), three ways, all in one process so the ratios
 * share the machine's conditions:
 *
 * - ours: LagService.groupLag through a ClusterRegistry, with the cache off
 *   (cacheMs 0) so every run asks the broker; the registry's shared client
 *   is connected and has its metadata before the timed runs (a warm-up), as
 *   in a running backend; the first call's time is shown apart;
 * - tool: Kafka's ConsumerGroupCommand --describe --group, a fresh JVM per
 *   run as an operator runs it; once with the JVM flags kafka-run-class.sh
 *   adds (C2 JIT, G1), as kafka-consumer-groups.sh runs it, and once with
 *   the test bed's quick-start flags (C1 only, serial GC), which start
 *   faster; a ratio is printed for each;
 * - community: the offsets route of @backstage-community/plugin-kafka-backend
 *   (GET /api/kafka/consumers/:clusterId/:consumerId/offsets) in a Backstage
 *   backend started with startTestBackend, called over HTTP; the package is
 *   installed with npm into a git-ignored folder on first use.
 *
 * The cluster holds T topics x P partitions, each partition with a
 * pseudo-random number of records and a commit somewhere between its start
 * and its end (some at either end), so lags vary. Nothing is written during
 * the timed runs, so all three must report the same offsets: every
 * partition is compared and mismatches are printed. Each way is timed over
 * several runs after a warm-up; the median counts.
 *
 * Run: npm run bench:lag   (goals: tool/ours >= 20, community/ours >= 2)
 * Env: BENCH_TOPICS (100), BENCH_PARTITIONS (10), BENCH_MAX_RECORDS (40),
 *      BENCH_RUNS (21), BENCH_TOOL_RUNS (3), BENCH_COMMUNITY_RUNS (11),
 *      BENCH_CONCURRENCY (8, LagService's), BENCH_COMMUNITY (1 | 0),
 *      BENCH_COMMUNITY_VERSION (0.12.0),
 *      BENCH_COMMUNITY_DIR (test/bench/.community)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { performance } from 'perf_hooks';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ClusterRegistry } from '@mirrormaker/plugin-mirror-maker-backend/src/kafka/ClusterRegistry';
import {
  GroupLag,
  LagService,
} from '@mirrormaker/plugin-mirror-maker-backend/src/metrics/LagService';
import { effectiveTopics } from '@mirrormaker/plugin-mirror-maker-common';
import { Partitioners } from 'kafkajs';
import {
  createKafkaClient,
  createTopics,
  runKafkaTool,
  sleep,
  startKafkaClusters,
  TestBed,
} from '../testbed';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  }
  return value;
}

const TOPICS = envInt('BENCH_TOPICS', 100);
const PARTITIONS = envInt('BENCH_PARTITIONS', 10);
const MAX_RECORDS = envInt('BENCH_MAX_RECORDS', 40);
const RUNS = envInt('BENCH_RUNS', 21);
const TOOL_RUNS = envInt('BENCH_TOOL_RUNS', 3);
const COMMUNITY_RUNS = envInt('BENCH_COMMUNITY_RUNS', 11);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 8);
const COMMUNITY = process.env.BENCH_COMMUNITY !== '0';
const COMMUNITY_PACKAGE = '@backstage-community/plugin-kafka-backend';
// The release built against @backstage/backend-plugin-api 1.x, as this repo.
const COMMUNITY_VERSION = process.env.BENCH_COMMUNITY_VERSION || '0.12.0';
const COMMUNITY_DIR = path.resolve(
  process.env.BENCH_COMMUNITY_DIR || path.join(__dirname, '.community'),
);
const GOAL_VS_TOOL = 20;
const GOAL_VS_COMMUNITY = 2;
const GROUP = 'mm1-bench-dc1-to-dc2';
const CLUSTER = 'dc1';
const TOOL_MAIN = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';
// kafka-run-class.sh's defaults for a tool: KAFKA_HEAP_OPTS and
// KAFKA_JVM_PERFORMANCE_OPTS.
const SCRIPT_HEAP_MB = 256;
const SCRIPT_JVM_FLAGS = [
  // Undoes the test bed's serial collector, which cannot be combined with G1.
  '-XX:-UseSerialGC',
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
];
const matches = effectiveTopics({ suffix: CLUSTER }).matches;

/** One partition's figures as one of the three reports them. */
interface Row {
  committed: number | null;
  end: number | null;
  lag: number | null;
}
type Rows = Map<string, Row>;

type Feature = NonNullable<
  Parameters<typeof startTestBackend>[0]['features']
>[number];

interface Timing {
  name: string;
  samples: number[];
}

/** Deterministic, so every run of the bench builds the same cluster. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function ms(value: number | undefined): string {
  if (value === undefined) return '-';
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
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

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

function topicName(i: number): string {
  return `bench-${String(i).padStart(3, '0')}.${CLUSTER}`;
}

/** Creates the topics, writes the records and the group's commits. */
async function fill(bed: TestBed): Promise<void> {
  const began = performance.now();
  const cluster = bed.cluster(CLUSTER);
  const topics = Array.from({ length: TOPICS }, (_, i) => topicName(i));
  for (let i = 0; i < topics.length; i += 10) {
    const batch = topics
      .slice(i, i + 10)
      .map(topic => ({ topic, numPartitions: PARTITIONS }));
    // A new topic's metadata can lag its creation by a moment, which
    // kafkajs's wait for leaders takes for an unknown topic; existing
    // topics are left alone on the next attempt.
    for (let attempt = 1; ; attempt++) {
      try {
        await createTopics(cluster, batch);
        break;
      } catch (e) {
        if (attempt >= 5) throw e;
        await sleep(500);
      }
    }
  }
  const random = prng(42);
  const counts = topics.map(() =>
    Array.from({ length: PARTITIONS }, () =>
      Math.floor(random() * (MAX_RECORDS + 1)),
    ),
  );
  const producer = createKafkaClient(cluster).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    for (let i = 0; i < topics.length; i += 10) {
      await producer.sendBatch({
        acks: -1,
        topicMessages: topics.slice(i, i + 10).map((topic, j) => ({
          topic,
          messages: counts[i + j].flatMap((count, partition) =>
            Array.from({ length: count }, (_, k) => ({
              partition,
              value: `${topic}/${partition}/${k}`,
            })),
          ),
        })),
      });
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  const commits = topics.flatMap((topic, t) =>
    counts[t].map((count, partition) => {
      const r = random();
      // A tenth at the log end, a tenth at the start, the rest between.
      let offset = Math.floor(random() * (count + 1));
      if (r < 0.1) offset = count;
      else if (r < 0.2) offset = 0;
      return { topic, partition, offset: String(offset) };
    }),
  );
  // One member commits everything: kafkajs's admin.setOffsets joins the
  // group once per topic, which costs the broker's initial rebalance delay
  // each time.
  const consumer = createKafkaClient(cluster).consumer({
    groupId: GROUP,
    allowAutoTopicCreation: false,
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics });
    const joined = new Promise<void>(resolve =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    await consumer.run({ autoCommit: false, eachBatch: async () => {} });
    consumer.pause(topics.map(topic => ({ topic })));
    await joined;
    await consumer.commitOffsets(commits);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  const partitions = counts.flat();
  say(
    `${TOPICS} topics x ${PARTITIONS} partitions, ${partitions.reduce(
      (a, b) => a + b,
      0,
    )} records, group ${GROUP} committed on all ${
      partitions.length
    } (set up in ${((performance.now() - began) / 1000).toFixed(1)} s)`,
  );
}

function rowsOfOurs(lag: GroupLag): Rows {
  const rows: Rows = new Map();
  for (const topic of lag.topics) {
    for (const p of topic.partitions) {
      rows.set(`${topic.topic}/${p.partition}`, {
        committed: p.committedOffset,
        end: p.logEndOffset,
        lag: p.lag,
      });
    }
  }
  return rows;
}

/** The table ConsumerGroupCommand --describe prints; '-' is null. */
function rowsOfTool(stdout: string): Rows {
  const lines = stdout.split('\n');
  const header = lines.findIndex(l => /^GROUP\s+TOPIC\s+PARTITION\s/.test(l));
  if (header < 0) throw new Error(`ConsumerGroupCommand printed:\n${stdout}`);
  const columns = lines[header].trim().split(/\s+/);
  const at = (name: string) => columns.indexOf(name);
  const num = (cell: string) => (cell === '-' ? null : Number(cell));
  const rows: Rows = new Map();
  for (const line of lines.slice(header + 1)) {
    const cells = line.trim().split(/\s+/);
    if (cells.length < columns.length) continue;
    const topic = cells[at('TOPIC')];
    if (!matches(topic)) continue;
    rows.set(`${topic}/${cells[at('PARTITION')]}`, {
      committed: num(cells[at('CURRENT-OFFSET')]),
      end: num(cells[at('LOG-END-OFFSET')]),
      lag: num(cells[at('LAG')]),
    });
  }
  return rows;
}

interface CommunityAnswer {
  offsets: Array<{
    topic: string;
    partitionId: number;
    groupOffset: string;
    topicOffset: string;
  }>;
}

function rowsOfCommunity(answer: CommunityAnswer): Rows {
  const rows: Rows = new Map();
  for (const o of answer.offsets) {
    if (!matches(o.topic)) continue;
    const committed = Number(o.groupOffset);
    const end = Number(o.topicOffset);
    rows.set(`${o.topic}/${o.partitionId}`, {
      committed: committed < 0 ? null : committed,
      end,
      lag: committed < 0 ? null : end - committed,
    });
  }
  return rows;
}

/** Every partition of `ours` against `other`; prints and counts mismatches. */
function compare(name: string, ours: Rows, other: Rows): number {
  const problems: string[] = [];
  const show = (r?: Row) =>
    r ? `committed ${r.committed}, end ${r.end}, lag ${r.lag}` : 'absent';
  for (const key of new Set([...ours.keys(), ...other.keys()])) {
    const a = ours.get(key);
    const b = other.get(key);
    if (
      !a ||
      !b ||
      a.committed !== b.committed ||
      a.end !== b.end ||
      a.lag !== b.lag
    ) {
      problems.push(`  ${key}: ours ${show(a)}; ${name} ${show(b)}`);
    }
  }
  if (problems.length === 0) {
    say(`${name}: all ${ours.size} partitions agree with ours`);
  } else {
    say(`${name}: ${problems.length} of ${ours.size} partitions DIFFER:`);
    for (const p of problems.slice(0, 20)) say(p);
    if (problems.length > 20) say(`  ... and ${problems.length - 20} more`);
  }
  return problems.length;
}

async function benchOurs(
  bed: TestBed,
): Promise<{ timing: Timing; first: number; rows: Rows }> {
  const registry = new ClusterRegistry({
    clusters: [
      {
        name: CLUSTER,
        brokers: [bed.bootstrap(CLUSTER)],
        dataCentre: CLUSTER,
        topicSuffix: CLUSTER,
      },
    ],
    logger: mockServices.rootLogger({ level: 'none' }),
  });
  const service = new LagService({
    clusters: registry,
    logger: mockServices.rootLogger({ level: 'none' }),
    cacheMs: 0,
    concurrency: CONCURRENCY,
  });
  const args = { cluster: CLUSTER, groupId: GROUP, matches };
  try {
    const [firstLag, first] = await timed(() => service.groupLag(args));
    if (!firstLag.reachable) throw new Error(`ours: ${firstLag.error}`);
    await service.groupLag(args);
    const samples: number[] = [];
    let last = firstLag;
    for (let i = 0; i < RUNS; i++) {
      const [lag, took] = await timed(() => service.groupLag(args));
      if (!lag.reachable) throw new Error(`ours: ${lag.error}`);
      samples.push(took);
      last = lag;
    }
    say(
      `ours: total lag ${last.totalLag} over ${last.partitionCount} partitions, ${last.partitionsWithoutCommit} without commit`,
    );
    return {
      timing: { name: `ours: LagService.groupLag, cacheMs 0`, samples },
      first,
      rows: rowsOfOurs(last),
    };
  } finally {
    await registry.close();
  }
}

async function benchTool(
  bed: TestBed,
  flavour: 'script' | 'quick',
): Promise<{ timing: Timing; rows: Rows }> {
  const args = [
    '--bootstrap-server',
    bed.bootstrap(CLUSTER),
    '--describe',
    '--group',
    GROUP,
  ];
  const options =
    flavour === 'script'
      ? {
          fastStartup: false,
          heapMb: SCRIPT_HEAP_MB,
          jvmArgs: SCRIPT_JVM_FLAGS,
        }
      : {};
  const samples: number[] = [];
  let rows: Rows = new Map();
  for (let i = 0; i < TOOL_RUNS; i++) {
    const [result, took] = await timed(() =>
      runKafkaTool(TOOL_MAIN, args, options),
    );
    if (result.code !== 0) {
      throw new Error(
        `ConsumerGroupCommand exited with ${result.code}:\n${result.stdout}\n${result.stderr}`,
      );
    }
    samples.push(took);
    rows = rowsOfTool(result.stdout);
  }
  const label =
    flavour === 'script'
      ? 'tool: ConsumerGroupCommand, kafka-run-class.sh flags'
      : 'tool: ConsumerGroupCommand, C1-only quick start';
  return { timing: { name: label, samples }, rows };
}

/** Swallows kafkajs's console lines until restored, keeping a count. */
function captureKafkajsLog(): { summary(): string; restore(): void } {
  const methods = ['log', 'info', 'warn', 'error'] as const;
  const originals = methods.map(m => console[m]);
  const counts = new Map<string, number>();
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      const line = args.map(String).join(' ');
      if (!line.includes('"logger":"kafkajs"')) {
        originals[i].apply(console, args);
        return;
      }
      let message = line;
      try {
        message = String(JSON.parse(line).message);
      } catch {
        // Not JSON after all: counted under its whole text.
      }
      counts.set(message, (counts.get(message) ?? 0) + 1);
    };
  });
  return {
    summary() {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      if (total === 0) return 'no kafkajs log lines';
      const top = [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([message, n]) => `${n} x "${message}"`);
      return `${total} kafkajs log lines, most often: ${top.join('; ')}`;
    },
    restore() {
      methods.forEach((m, i) => {
        console[m] = originals[i];
      });
    },
  };
}

/** Installs the community plugin once; returns why not when it cannot. */
function installCommunity(): string | undefined {
  const installed = path.join(
    COMMUNITY_DIR,
    'node_modules',
    ...COMMUNITY_PACKAGE.split('/'),
    'package.json',
  );
  if (fs.existsSync(installed)) {
    const { version } = JSON.parse(fs.readFileSync(installed, 'utf8'));
    if (version === COMMUNITY_VERSION) return undefined;
  }
  fs.mkdirSync(COMMUNITY_DIR, { recursive: true });
  say(
    `installing ${COMMUNITY_PACKAGE}@${COMMUNITY_VERSION} into ${COMMUNITY_DIR}`,
  );
  const npm = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      COMMUNITY_DIR,
      '--no-save',
      '--no-audit',
      '--no-fund',
      `${COMMUNITY_PACKAGE}@${COMMUNITY_VERSION}`,
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (npm.status !== 0) {
    const output = `${npm.stdout ?? ''}${npm.stderr ?? ''}`.trim();
    return `npm install failed (${
      npm.error?.message ?? `exit ${npm.status}`
    }): ${output.split('\n').slice(-5).join(' | ')}`;
  }
  return undefined;
}

async function benchCommunity(
  bed: TestBed,
): Promise<
  { timing: Timing; rows: Rows; logged: string } | { missing: string }
> {
  if (!COMMUNITY) return { missing: 'BENCH_COMMUNITY=0' };
  const failure = installCommunity();
  if (failure) return { missing: failure };
  const load = createRequire(path.join(COMMUNITY_DIR, 'index.js'));
  let feature: unknown;
  try {
    feature = load(`${COMMUNITY_PACKAGE}/alpha`).default;
  } catch (e) {
    return { missing: `the plugin did not load: ${(e as Error).message}` };
  }
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  try {
    backend = await startTestBackend({
      features: [
        feature as Feature,
        mockServices.rootConfig.factory({
          data: {
            kafka: {
              clientId: 'backstage-bench',
              clusters: [{ name: CLUSTER, brokers: [bed.bootstrap(CLUSTER)] }],
            },
          },
        }),
      ],
    });
  } catch (e) {
    return {
      missing: `the new backend system could not start it: ${
        (e as Error).message
      }`,
    };
  }
  // The plugin's kafkajs clients log to the console with kafkajs's default
  // logger; counted here rather than printed, so the tables stay readable.
  const kafkajsLog = captureKafkajsLog();
  try {
    const url = `http://127.0.0.1:${backend.server.port()}/api/kafka/consumers/${CLUSTER}/${encodeURIComponent(
      GROUP,
    )}/offsets`;
    const call = async (): Promise<CommunityAnswer> => {
      const response = await fetch(url, {
        headers: { Authorization: mockCredentials.user.header() },
      });
      const body = await response.text();
      if (!response.ok) {
        throw new Error(`GET ${url}: ${response.status} ${body}`);
      }
      return JSON.parse(body) as CommunityAnswer;
    };
    await call();
    await call();
    const samples: number[] = [];
    let answer: CommunityAnswer | undefined;
    for (let i = 0; i < COMMUNITY_RUNS; i++) {
      const [value, took] = await timed(call);
      samples.push(took);
      answer = value;
    }
    return {
      timing: {
        name: `community: ${COMMUNITY_PACKAGE}@${COMMUNITY_VERSION} offsets route`,
        samples,
      },
      rows: rowsOfCommunity(answer!),
      logged: kafkajsLog.summary(),
    };
  } catch (e) {
    return { missing: `its route failed: ${(e as Error).message}` };
  } finally {
    await backend.stop();
    kafkajsLog.restore();
  }
}

function ratio(
  label: string,
  slow: number | undefined,
  fast: number,
  goal: number,
): string[] {
  if (slow === undefined) return [label, '-', `>= ${goal}x`, 'n/a'];
  const value = slow / fast;
  return [
    label,
    `${value.toFixed(1)}x`,
    `>= ${goal}x`,
    value >= goal ? 'met' : 'MISSED',
  ];
}

async function run(bed: TestBed): Promise<void> {
  await fill(bed);
  const ours = await benchOurs(bed);
  const script = await benchTool(bed, 'script');
  const quick = await benchTool(bed, 'quick');
  const community = await benchCommunity(bed);

  say('');
  let mismatches = 0;
  mismatches += compare('tool', ours.rows, script.rows);
  mismatches += compare('tool (quick start)', ours.rows, quick.rows);
  if ('rows' in community) {
    mismatches += compare('community', ours.rows, community.rows);
    say(`community: its clients logged ${community.logged}`);
  } else {
    say(`community: NOT MEASURED, ${community.missing}`);
  }

  const timings = [
    ours.timing,
    script.timing,
    quick.timing,
    ...('timing' in community ? [community.timing] : []),
  ];
  say('');
  say(
    table([
      ['way', 'median ms', 'min ms', 'max ms', 'runs'],
      ...timings.map(t => [
        t.name,
        ms(median(t.samples)),
        ms(Math.min(...t.samples)),
        ms(Math.max(...t.samples)),
        String(t.samples.length),
      ]),
    ]),
  );
  say(
    `(ours, first call on a new registry, connect and metadata included: ${ms(
      ours.first,
    )} ms)`,
  );
  const oursMs = median(ours.timing.samples);
  const communityMs =
    'timing' in community ? median(community.timing.samples) : undefined;
  say('');
  say(
    table([
      ['ratio (medians)', 'value', 'goal', ''],
      ratio(
        'tool, kafka-run-class.sh flags / ours',
        median(script.timing.samples),
        oursMs,
        GOAL_VS_TOOL,
      ),
      ratio(
        'tool, C1-only quick start / ours',
        median(quick.timing.samples),
        oursMs,
        GOAL_VS_TOOL,
      ),
      ratio('community / ours', communityMs, oursMs, GOAL_VS_COMMUNITY),
    ]),
  );
  if (mismatches > 0) process.exitCode = 1;
}

async function main(): Promise<void> {
  let bed: TestBed | undefined;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal gives up waiting; the test bed's exit hook and
    // watchdogs still kill every JVM.
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the broker\n`);
    void (bed?.stop() ?? Promise.resolve()).finally(() =>
      process.exit(signal === 'SIGINT' ? 130 : 143),
    );
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(s, onSignal);

  say(`starting ${CLUSTER} (single-node KRaft, 512 MiB heap, C2 JIT)`);
  try {
    bed = await startKafkaClusters([CLUSTER], {
      heapMb: 512,
      fastStartup: false,
    });
    await run(bed);
  } finally {
    if (!stopping) await bed?.stop();
  }
}

main().catch(e => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
