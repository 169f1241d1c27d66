/*
 * Throughput sampling and heartbeats against two real KRaft clusters and a
 * real MirrorMaker 1: the sampled rates match the rate records were really
 * produced at, on both sides, and heartbeats come through MirrorMaker with
 * their latency measured.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { MetricsStore } from '@mirrormaker/plugin-mirror-maker-backend/src/database/MetricsStore';
import { applyDatabaseMigrations } from '@mirrormaker/plugin-mirror-maker-backend/src/database/migrations';
import { ClusterRegistry } from '@mirrormaker/plugin-mirror-maker-backend/src/kafka/ClusterRegistry';
import { HeartbeatService } from '@mirrormaker/plugin-mirror-maker-backend/src/metrics/Heartbeat';
import {
  ThroughputPoint,
  ThroughputSampler,
} from '@mirrormaker/plugin-mirror-maker-backend/src/metrics/ThroughputSampler';
import { LoadedDeployment } from '@mirrormaker/plugin-mirror-maker-backend/src/service/CatalogDeployments';
import {
  KafkaClusterConfig,
  MirrorMakerEntity,
} from '@mirrormaker/plugin-mirror-maker-common';
import { Partitioners, Producer } from 'kafkajs';
import knexFactory, { Knex } from 'knex';
import {
  consumerGroupLag,
  createTopics,
  sleep,
  startKafkaClusters,
  sumEndOffsets,
  TestBed,
  waitFor,
} from '../testbed';

const SLOW_HOOK_MS = 180_000;
const TOPIC = 'orders.dc1';
const MM_GROUP = 'mm1-dc1';
const RATE_PER_SEC = 200;
const PRODUCE_MS = 30_000;
const SEND_EVERY_MS = 100;
const SAMPLE_EVERY_MS = 2_000;

function log(message: string): void {
  // eslint-disable-next-line no-console
  console.log(`[throughput-heartbeat] ${message}`);
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Points whose interval (from the previous sample) lies within [from, to]. */
function within(
  points: ThroughputPoint[],
  from: number,
  to: number,
  field: 'inPerSec' | 'outPerSec',
): number[] {
  const values: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const start = Date.parse(points[i - 1].at);
    const end = Date.parse(points[i].at);
    const value = points[i][field];
    if (start >= from && end <= to && value !== null) values.push(value);
  }
  return values;
}

describe('throughput and heartbeats through a real MirrorMaker', () => {
  let bed: TestBed | undefined;
  let registry: ClusterRegistry | undefined;
  let knex: Knex | undefined;
  let store: MetricsStore;
  let deployment: LoadedDeployment;
  let heartbeats: HeartbeatService | undefined;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    const start = Date.now();
    bed = await startKafkaClusters(['dc1', 'dc2']);
    log(`brokers up in ${Date.now() - start} ms`);
    for (const name of ['dc1', 'dc2']) {
      await createTopics(bed.cluster(name), [
        { topic: TOPIC, numPartitions: 3 },
      ]);
    }
    const config = (name: string): KafkaClusterConfig => ({
      name,
      brokers: [bed!.bootstrap(name)],
      dataCentre: name,
      topicSuffix: name,
    });
    const dc1 = config('dc1');
    const dc2 = config('dc2');
    registry = new ClusterRegistry({ clusters: [dc1, dc2], logger });
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    await applyDatabaseMigrations(knex);
    store = MetricsStore.fromKnex(knex);
    deployment = {
      ref: 'mirrormaker:default/dc1-to-dc2',
      entity: {
        apiVersion: 'mirrormaker.io/v1alpha1',
        kind: 'MirrorMaker',
        metadata: { name: 'dc1-to-dc2', namespace: 'default' },
        spec: {
          owner: 'group:default/team-dc2',
          source: 'resource:default/kafka-dc1',
          target: 'resource:default/kafka-dc2',
          topics: { suffix: 'dc1' },
          placement: { nodes: ['localhost'] },
        },
      } as MirrorMakerEntity,
      source: dc1,
      target: dc2,
      problems: [],
    };
    heartbeats = new HeartbeatService({
      store,
      clusters: registry,
      deployments: async () => [deployment],
      logger,
    });
    // Before MirrorMaker starts, so its first metadata already has the topic.
    await heartbeats.ensureTopics(deployment);
    const mmStart = Date.now();
    await bed.startMirrorMaker({
      name: 'dc1-to-dc2',
      include: '.*\\.dc1',
      consumer: {
        'bootstrap.servers': bed.bootstrap('dc1'),
        'group.id': MM_GROUP,
        'auto.offset.reset': 'earliest',
      },
      producer: { 'bootstrap.servers': bed.bootstrap('dc2'), acks: 'all' },
    });
    log(`MirrorMaker ready in ${Date.now() - mmStart} ms`);
  }, SLOW_HOOK_MS);

  afterAll(async () => {
    await heartbeats?.stop();
    await registry?.close();
    await knex?.destroy();
    await bed?.stop();
    for (const [message] of logger.warn.mock.calls) log(`warn: ${message}`);
  }, SLOW_HOOK_MS);

  it('samples in and out rates within 10% of the rate records were produced at', async () => {
    const sampler = new ThroughputSampler({
      store,
      clusters: registry!,
      deployments: async () => [deployment],
      lagOf: async () =>
        (await consumerGroupLag(bed!.cluster('dc1'), MM_GROUP, [TOPIC])).total,
      retentionMs: 60 * 60 * 1000,
      logger,
    });
    const seriesStart = Date.now();
    let sampling = true;
    const samplerLoop = (async () => {
      while (sampling) {
        const started = Date.now();
        await sampler.sampleOnce();
        await sleep(Math.max(0, SAMPLE_EVERY_MS - (Date.now() - started)));
      }
    })();
    // A little history before the records start, so the window has samples
    // at both ends.
    await sleep(SAMPLE_EVERY_MS * 1.5);

    const producer: Producer = bed!.client('dc1').producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    const perSend = (RATE_PER_SEC * SEND_EVERY_MS) / 1000;
    let produced = 0;
    const produceStart = Date.now();
    try {
      // Paced against the clock, not by the timer alone, so slow sends do not
      // lower the rate.
      while (Date.now() - produceStart < PRODUCE_MS) {
        const due =
          Math.floor((Date.now() - produceStart) / SEND_EVERY_MS + 1) * perSend;
        const count = due - produced;
        if (count > 0) {
          await producer.send({
            topic: TOPIC,
            acks: -1,
            messages: Array.from({ length: count }, (_, i) => ({
              key: `k${produced + i}`,
              value: `order ${produced + i}`,
            })),
          });
          produced += count;
        }
        await sleep(
          SEND_EVERY_MS - ((Date.now() - produceStart) % SEND_EVERY_MS),
        );
      }
    } finally {
      await producer.disconnect();
    }
    const produceEnd = Date.now();
    const realRate = produced / ((produceEnd - produceStart) / 1000);
    log(`produced ${produced} records at ${realRate.toFixed(1)}/s`);

    await waitFor(
      async () =>
        (await sumEndOffsets(bed!.cluster('dc2'), TOPIC)) === produced,
      { timeoutMs: 60_000, description: 'MirrorMaker to copy every record' },
    );
    // Two more samples after the copy finished.
    await sleep(SAMPLE_EVERY_MS * 2.5);
    sampling = false;
    await samplerLoop;

    const points = await sampler.series(deployment.ref, seriesStart);
    log(
      `series: ${points
        .map(
          p =>
            `${p.at.slice(17, 23)} in=${p.inPerSec?.toFixed(
              0,
            )} out=${p.outPerSec?.toFixed(0)} lag=${p.lag}`,
        )
        .join('; ')}`,
    );
    const inRates = within(points, produceStart, produceEnd, 'inPerSec');
    // MirrorMaker trails the producer by a moment at the start.
    const outRates = within(
      points,
      produceStart + SAMPLE_EVERY_MS,
      produceEnd,
      'outPerSec',
    );
    expect(inRates.length).toBeGreaterThanOrEqual(10);
    expect(outRates.length).toBeGreaterThanOrEqual(9);
    const meanIn = mean(inRates);
    const meanOut = mean(outRates);
    log(
      `mean in ${meanIn.toFixed(1)}/s, mean out ${meanOut.toFixed(
        1,
      )}/s, real ${realRate.toFixed(1)}/s`,
    );
    expect(Math.abs(meanIn - realRate) / realRate).toBeLessThan(0.1);
    expect(Math.abs(meanOut - realRate) / realRate).toBeLessThan(0.1);

    const samples = await store.flowSamples(deployment.ref, seriesStart);
    const last = samples[samples.length - 1];
    // The heartbeat topic matches the flow's rule but is left out of its sums.
    expect(last.sourceEndOffsets).toBe(produced);
    expect(last.targetEndOffsets).toBe(produced);
    expect(samples.some(s => s.lag === null)).toBe(false);
    expect(samples.every(s => s.sourceEndOffsets !== null)).toBe(true);
  });

  it('measures the latency of heartbeats copied by MirrorMaker', async () => {
    const service = heartbeats!;
    const start = Date.now();
    await service.start();
    log(`heartbeat consumer joined in ${Date.now() - start} ms`);

    for (let i = 0; i < 15; i++) {
      const beatStart = Date.now();
      await service.beatOnce();
      await sleep(Math.max(0, 1_000 - (Date.now() - beatStart)));
    }
    // The last beats may still be on their way.
    await waitFor(async () => service.stats().stored >= 10, {
      timeoutMs: 15_000,
      description: 'at least 10 heartbeats stored',
    });

    const series = await service.series(deployment.ref, start);
    log(
      `heartbeats: ${JSON.stringify(service.stats())}; latencies ${series
        .map(p => p.latencyMs)
        .join(', ')} ms`,
    );
    expect(series.length).toBeGreaterThanOrEqual(10);
    for (const point of series) {
      expect(point.latencyMs).toBeGreaterThanOrEqual(0);
      expect(point.latencyMs).toBeLessThan(5_000);
    }
    const status = await service.status(deployment);
    expect(status).toEqual({
      deploymentRef: deployment.ref,
      topic: 'mirrormaker-heartbeat.dc1',
      replicated: true,
      lastLatencyMs: expect.any(Number),
      lastReceivedAt: expect.any(String),
    });
    expect(status.lastLatencyMs!).toBeLessThan(5_000);
    expect(service.stats().ignored).toEqual({
      unknownDeployment: 0,
      badValue: 0,
      future: 0,
      duplicate: 0,
    });
  });
});
