/*
 * The metrics routes end to end: the backend deploys a real MirrorMaker 1
 * with the local target (exporter agent included) against the test bed's
 * two clusters, and its own scheduled tasks (the real scheduler) sample
 * throughput and send heartbeats. Checked as a user sees it through the API:
 * - lag goes up while the processes are stopped and returns to 0 after the
 *   redeploy;
 * - the processes' figures come from their exporters (up, then down);
 * - the heartbeat reports a latency below 5 s on loopback;
 * - a service's topics show where they go, by which deployment, with lag;
 * - the Prometheus endpoint serves the same figures with labels.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import mirrorMakerBackend from '@mirrormaker/plugin-mirror-maker-backend';
import { kafkaClusterResource } from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import * as fs from 'fs';
import { Knex } from 'knex';
import * as os from 'os';
import * as path from 'path';
import request from 'supertest';
import {
  createTopics,
  findJmxExporterAgent,
  killMirrorMakersIn,
  produceRecords,
  resolveKafkaHome,
  startKafkaClusters,
  TestBed,
  waitFor,
} from '../testbed';

const SLOW_HOOK_MS = 180_000;
const API = '/api/mirror-maker';
const MM = `${API}/entities/mirrormaker/default/dc1-to-dc2`;

function log(message: string): void {
  // eslint-disable-next-line no-console
  console.log(`[metrics-api] ${message}`);
}

const deploymentEntity: Entity = {
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc1-to-dc2', namespace: 'default' },
  spec: {
    owner: 'group:default/kafka-platform',
    source: 'resource:default/kafka-dc1',
    target: 'resource:default/kafka-dc2',
    topics: { suffix: 'dc1' },
    placement: { nodes: ['mm1.dc2.example.com'], processesPerNode: 1 },
    jvm: { heap: '256M' },
    // Commits every second, so lag read from commits follows quickly.
    offsetCommitIntervalMs: 1000,
  },
};

const serviceEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-service',
    namespace: 'default',
    annotations: { 'mirrormaker.io/topics': 'orders.dc1,legacy-orders' },
  },
  spec: {
    type: 'service',
    owner: 'group:default/orders',
    lifecycle: 'x',
    system: 'shop',
  },
};

/** Its system wants its topics in dc1, dc2 and dc3; nothing copies them to dc3. */
const systemEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: { 'mirrormaker.io/data-centres': 'dc1, dc2,dc3' },
  },
  spec: { owner: 'group:default/orders' },
};

describe('metrics API with a real MirrorMaker', () => {
  let testBed: TestBed | undefined;
  let knex: Knex;
  let workDir: string;
  const entities: Entity[] = [];
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const refOf = (e: Entity) =>
    `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase();

  const catalog = () =>
    catalogServiceMock.mock({
      getEntities: async () => ({ items: entities }),
      getEntityByRef: async (ref: any) =>
        entities.find(e => refOf(e) === String(ref).toLowerCase()),
      getEntitiesByRefs: async ({ entityRefs }: any) => ({
        items: entityRefs.map((ref: string) =>
          entities.find(e => refOf(e) === ref.toLowerCase()),
        ),
      }),
    });

  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  const user = mockCredentials.user.header('user:default/alice');
  const get = (url: string) =>
    request(backend!.server).get(url).set('Authorization', user);
  const post = (url: string) =>
    request(backend!.server).post(url).set('Authorization', user);

  async function metrics(window = '10m') {
    const res = await get(`${MM}/metrics?window=${window}`);
    if (res.status !== 200) log(`metrics answered ${res.status}: ${res.text}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function deployAndSettle(reason: string) {
    const res = await post(`${MM}/deployments`).send({ reason });
    expect(res.status).toBe(202);
    const rollout = await waitFor(
      async () => {
        const r = await get(`${API}/deployments/${res.body.id}`);
        return ['succeeded', 'failed', 'stopped'].includes(r.body.status)
          ? r.body
          : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 1000 },
    );
    expect(rollout.status).toBe('succeeded');
    return rollout;
  }

  beforeAll(async () => {
    // No LZ4 codec registered here: the backend must bring its own to read
    // the heartbeats MirrorMaker writes with LZ4.
    testBed = await startKafkaClusters(['dc1', 'dc2']);
    knex = await databases.init('SQLITE_3');
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-metrics-'));
    entities.push(
      kafkaClusterResource('kafka-dc1', 'dc1'),
      kafkaClusterResource('kafka-dc2', 'dc2'),
      deploymentEntity,
      serviceEntity,
      systemEntity,
    );
    await createTopics(testBed.cluster('dc1'), [
      { topic: 'orders.dc1', numPartitions: 3 },
    ]);
    const cluster = (name: string) => ({
      brokers: [testBed!.bootstrap(name)],
      dataCentre: name,
      topicSuffix: name,
    });
    backend = await startTestBackend({
      features: [
        mirrorMakerBackend,
        catalog().factory,
        mockServices.database.factory({ knex }),
        // The real scheduler: the sampler and the heartbeat are its tasks.
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            mirrorMaker: {
              clusters: { dc1: cluster('dc1'), dc2: cluster('dc2') },
              metrics: {
                sampleSeconds: 5,
                lagCacheSeconds: 0,
                heartbeat: { intervalSeconds: 1 },
              },
              deploy: {
                stopTimeoutSeconds: 10,
                gate: { timeoutSeconds: 60, windowSeconds: 3 },
                local: {
                  workDir,
                  kafkaHome: resolveKafkaHome(),
                  jmxExporterJar: findJmxExporterAgent(),
                  maxHeap: '256m',
                },
              },
            },
          },
        }),
      ],
    });
    await deployAndSettle('metrics test');
  }, SLOW_HOOK_MS);

  afterAll(async () => {
    await backend?.stop();
    killMirrorMakersIn(workDir);
    await testBed?.stop();
  }, SLOW_HOOK_MS);

  it('reports lag 0 once replicated, the processes up and a heartbeat below 5 s', async () => {
    await produceRecords(
      testBed!.cluster('dc1'),
      'orders.dc1',
      Array.from({ length: 2000 }, (_, i) => ({
        key: `k${i}`,
        value: `v${i}`,
      })),
    );
    const body = await waitFor(
      async () => {
        const m = await metrics();
        const orders = m.lag.topics?.find((t: any) => t.topic === 'orders.dc1');
        return orders?.lag === 0 &&
          orders.partitionsWithoutCommit === 0 &&
          m.heartbeat.lastLatencyMs !== undefined &&
          m.throughput.some((p: any) => p.inPerSec !== null)
          ? m
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 2000 },
    );
    const orders = body.lag.topics.find((t: any) => t.topic === 'orders.dc1');
    log(
      `lag ${body.lag.totalLag}, heartbeat ${body.heartbeat.lastLatencyMs} ms, status ${body.status.state}`,
    );
    expect(orders.partitions).toHaveLength(3);
    expect(
      orders.partitions.reduce((n: number, p: any) => n + p.logEndOffset, 0),
    ).toBe(2000);
    expect(body.heartbeat).toMatchObject({
      topic: 'mirrormaker-heartbeat.dc1',
      replicated: true,
    });
    expect(body.heartbeat.lastLatencyMs).toBeLessThan(5000);
    expect(body.heartbeat.series.length).toBeGreaterThan(0);
    expect(body.processes.source).toBe('prometheus');
    expect(body.processes.items).toHaveLength(1);
    expect(body.processes.items[0]).toMatchObject({
      host: 'mm1.dc2.example.com',
      index: 1,
      up: true,
      droppedMessages: 0,
    });
    expect(body.processes.items[0].heapUsedBytes).toBeGreaterThan(0);
    expect(body.status.state).toBe('ok');
  });

  it('shows lag growing while the processes are stopped and back to 0 after the redeploy', async () => {
    const stopped = await post(`${MM}/stop`).send({ reason: 'lag test' });
    expect(stopped.status).toBe(200);
    await produceRecords(
      testBed!.cluster('dc1'),
      'orders.dc1',
      Array.from({ length: 3000 }, (_, i) => ({
        key: `s${i}`,
        value: `s${i}`,
      })),
    );
    const behind = await waitFor(
      async () => {
        const m = await metrics();
        const orders = m.lag.topics?.find((t: any) => t.topic === 'orders.dc1');
        return orders?.lag === 3000 && m.processes.items[0]?.up === false
          ? m
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(behind.status.state).toBe('down');
    expect(behind.processes.items[0].error).toBeTruthy();

    await deployAndSettle('back after the lag test');
    const caughtUp = await waitFor(
      async () => {
        const m = await metrics();
        const orders = m.lag.topics?.find((t: any) => t.topic === 'orders.dc1');
        return orders?.lag === 0 ? m : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    expect(caughtUp.processes.items[0].up).toBe(true);
  });

  it("shows a service's topics with their destination, writer and lag", async () => {
    const res = await get(
      `${API}/entities/component/default/orders-service/metrics`,
    );
    expect(res.status).toBe(200);
    const orders = res.body.topics.find((t: any) => t.topic === 'orders.dc1');
    expect(orders).toMatchObject({
      suffix: 'dc1',
      home: { cluster: 'dc1', dataCentre: 'dc1' },
      reaches: [
        {
          cluster: 'dc2',
          writers: [
            { deploymentRef: 'mirrormaker:default/dc1-to-dc2', lag: 0 },
          ],
        },
      ],
    });
    expect(res.body.requiredDataCentres).toEqual(['dc1', 'dc2', 'dc3']);
    expect(orders.warnings).toEqual([
      'orders.dc1 does not reach dc3, where system shop needs it (annotation mirrormaker.io/data-centres)',
    ]);
    const legacy = res.body.topics.find(
      (t: any) => t.topic === 'legacy-orders',
    );
    expect(legacy.warnings.join(' ')).toContain('no data-centre suffix');
  });

  it('serves the figures in the Prometheus text format', async () => {
    const res = await get(`${API}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const labels =
      'deployment="dc1-to-dc2",namespace="default",source_cluster="dc1",target_cluster="dc2"';
    // The heartbeat topic is replicated too: its lag is a record or two
    // between commits, so the total is checked for presence only.
    expect(res.text).toMatch(
      new RegExp(`mirror_maker_lag_total_records\\{${labels}\\} [0-9]+\n`),
    );
    expect(res.text).toMatch(
      new RegExp(
        `mirror_maker_lag_records\\{${labels},topic="orders.dc1",partition="0"\\} 0`,
      ),
    );
    expect(res.text).toMatch(
      new RegExp(
        `mirror_maker_heartbeat_latency_seconds\\{${labels}\\} [0-9.e-]+`,
      ),
    );
  });

  it('refuses a window it cannot serve, saying what is accepted', async () => {
    const res = await get(`${MM}/metrics?window=2y`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'use a whole number followed by s, m, h or d',
    );
    const long = await get(`${MM}/metrics?window=30d`);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('use 1m to 1d');
  });
});
