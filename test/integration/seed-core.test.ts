/*
 * Core replication scenario: two single-node clusters (dc1, dc2) and two
 * MirrorMaker 1 processes in the "remote read, local write" layout:
 *
 *   dc1/orders.dc1 --(mm-dc1-to-dc2, runs next to dc2)--> dc2/orders.dc1
 *   dc2/orders.dc2 --(mm-dc2-to-dc1, runs next to dc1)--> dc1/orders.dc2
 *
 * Each MirrorMaker only includes its source data center's topics, so
 * nothing loops back.
 */
import {
  ConsumedRecord,
  MirrorMaker,
  TestBed,
  consumeRecords,
  createTopics,
  produceRecords,
  startKafkaClusters,
  sumEndOffsets,
  waitForGroupCaughtUp,
} from '../testbed';

const RECORDS = 1_000;
const PARTITIONS = 3;
const DCS = ['dc1', 'dc2'] as const;
type Dc = (typeof DCS)[number];

const SLOW_HOOK_MS = 180_000;
const TEST_MS = 150_000;

function other(dc: Dc): Dc {
  return dc === 'dc1' ? 'dc2' : 'dc1';
}

function topicOf(dc: Dc): string {
  return `orders.${dc}`;
}

function groupOf(dc: Dc): string {
  return `mm1-${dc}-to-${other(dc)}`;
}

function expectedRecords(dc: Dc): Map<string, string> {
  const records = new Map<string, string>();
  for (let i = 0; i < RECORDS; i++) {
    records.set(
      `k-${i}`,
      JSON.stringify({ i, dc, note: `order ${i} from ${dc}` }),
    );
  }
  return records;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

function log(message: string): void {
  // eslint-disable-next-line no-console
  console.log(`[seed-core] ${message}`);
}

describe('seed core: MirrorMaker 1 replicates dc1 <-> dc2 without loops', () => {
  let testBed: TestBed | undefined;
  const mirrorMakers: Partial<Record<Dc, MirrorMaker>> = {};
  const suiteStart = Date.now();

  beforeAll(async () => {
    let t = Date.now();
    testBed = await startKafkaClusters([...DCS]);
    const bed = testBed;
    log(
      `clusters up in ${seconds(t)}: ${DCS.map(
        dc => `${dc}=${bed.bootstrap(dc)}`,
      ).join(' ')}`,
    );

    // Auto-creation is off: create the source topic and the mirror of the
    // other side's topic on each cluster, with the same partition counts.
    await Promise.all(
      DCS.map(dc =>
        createTopics(bed.cluster(dc), [
          { topic: topicOf(dc), numPartitions: PARTITIONS },
          { topic: topicOf(other(dc)), numPartitions: PARTITIONS },
        ]),
      ),
    );

    t = Date.now();
    // Remote read, local write: each MirrorMaker consumes the remote source
    // and produces into the cluster it sits next to.
    const started = await Promise.all(
      DCS.map(source =>
        bed.startMirrorMaker({
          name: `mm-${source}-to-${other(source)}`,
          include: `.*\\.${source}`,
          consumer: {
            'bootstrap.servers': bed.bootstrap(source),
            'group.id': groupOf(source),
            'auto.offset.reset': 'earliest',
            'client.id': `${groupOf(source)}-consumer`,
          },
          producer: {
            'bootstrap.servers': bed.bootstrap(other(source)),
            acks: 'all',
            'client.id': `${groupOf(source)}-producer`,
          },
          numStreams: 1,
          abortOnSendFailure: true,
          offsetCommitIntervalMs: 1_000,
        }),
      ),
    );
    DCS.forEach((dc, i) => {
      mirrorMakers[dc] = started[i];
    });
    log(
      `MirrorMaker 1 x2 ready in ${seconds(t)} (pids ${started
        .map(mm => mm.pid)
        .join(', ')})`,
    );
  }, SLOW_HOOK_MS);

  afterAll(async () => {
    const t = Date.now();
    await testBed?.stop();
    log(`test bed stopped in ${seconds(t)}; suite took ${seconds(suiteStart)}`);
  }, SLOW_HOOK_MS);

  it(
    'copies 1,000 keyed records each way, intact, exactly once, with no loop-back',
    async () => {
      const bed = testBed!;
      const t = Date.now();
      await Promise.all(
        DCS.map(dc =>
          produceRecords(
            bed.cluster(dc),
            topicOf(dc),
            Array.from(expectedRecords(dc), ([key, value]) => ({ key, value })),
          ),
        ),
      );
      log(`produced ${RECORDS} records to each source topic in ${seconds(t)}`);

      for (const source of DCS) {
        const target = other(source);
        const topic = topicOf(source);
        const received: ConsumedRecord[] = await consumeRecords(
          bed.cluster(target),
          topic,
          RECORDS,
          {
            timeoutMs: 90_000,
          },
        );
        const actual = new Map(received.map(r => [r.key ?? '', r.value ?? '']));
        expect(received).toHaveLength(RECORDS);
        expect(actual.size).toBe(RECORDS);
        expect(actual).toEqual(expectedRecords(source));
        expect(received.every(r => r.topic === topic)).toBe(true);
      }
      log(`both directions replicated in ${seconds(t)}`);

      // Wait until each MirrorMaker has committed up to its source's log end,
      // then count: targets hold exactly the records, sources did not grow.
      await Promise.all(
        DCS.map(source =>
          waitForGroupCaughtUp(
            bed.cluster(source),
            groupOf(source),
            [topicOf(source)],
            { timeoutMs: 60_000 },
          ),
        ),
      );
      for (const source of DCS) {
        const target = other(source);
        const topic = topicOf(source);
        expect(await sumEndOffsets(bed.cluster(target), topic)).toBe(RECORDS);
        expect(await sumEndOffsets(bed.cluster(source), topic)).toBe(RECORDS);
      }
      for (const dc of DCS) {
        expect(mirrorMakers[dc]?.isRunning()).toBe(true);
      }
      log(`offsets committed and counts verified after ${seconds(t)}`);
    },
    TEST_MS,
  );
});
