/*
 * Rollouts through the REST API, with the embedded local target running
 * real MirrorMaker 1 processes against the test bed's two clusters:
 * - a deploy creates the absent destination topic with the source's
 *   partition count before any process starts, and nothing is dropped;
 * - a revision whose gate fails (its target cluster cannot be reached)
 *   stops at the first process, the other keeps the previous revision, and
 *   a rollback restores it;
 * - a backend stopped during a rollout leaves no orphan process; the next
 *   backend marks the rollout failed with the reason and brings the
 *   processes back from their files.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import mirrorMakerBackend from '@mirrormaker/plugin-mirror-maker-backend';
import { kafkaClusterResource } from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { Knex } from 'knex';
import * as os from 'os';
import * as path from 'path';
import request from 'supertest';
import {
  createTopics,
  findJmxExporterAgent,
  killMirrorMakersIn,
  mirrorMakerPidsIn,
  produceRecords,
  registerLz4Codec,
  resolveKafkaHome,
  startKafkaClusters,
  sumEndOffsets,
  TestBed,
  waitFor,
  withAdmin,
} from '../testbed';

const SLOW_HOOK_MS = 180_000;
const API = '/api/mirror-maker';

function log(message: string): void {
  // eslint-disable-next-line no-console
  console.log(`[rollout] ${message}`);
}

const resource = (name: string, cluster: string): Entity =>
  kafkaClusterResource(name, cluster);

function deployment(target: string): Entity {
  return {
    apiVersion: 'mirrormaker.io/v1alpha1',
    kind: 'MirrorMaker',
    metadata: { name: 'dc1-to-dc2', namespace: 'default' },
    spec: {
      owner: 'group:default/kafka-platform',
      source: 'resource:default/kafka-dc1',
      target,
      topics: { suffix: 'dc1' },
      placement: {
        nodes: ['mm1.dc2.example.com'],
        processesPerNode: 2,
        numStreams: 1,
      },
      jvm: { heap: '256M' },
    },
  };
}

describe('rollouts with the local target', () => {
  let testBed: TestBed | undefined;
  let knex: Knex;
  let workDir: string;
  let deadPort: number;
  const entities: Entity[] = [];
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  const catalog = () =>
    catalogServiceMock.mock({
      getEntities: async () => ({ items: entities }),
      getEntityByRef: async (ref: any) =>
        entities.find(
          e =>
            `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase() ===
            String(ref).toLowerCase(),
        ),
      getEntitiesByRefs: async ({ entityRefs }: any) => ({
        items: entityRefs.map((ref: string) =>
          entities.find(
            e =>
              `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase() ===
              ref.toLowerCase(),
          ),
        ),
      }),
    });

  async function startBackend() {
    const cluster = (name: string) => ({
      brokers: [testBed!.bootstrap(name)],
      dataCentre: name,
      topicSuffix: name,
    });
    return startTestBackend({
      features: [
        mirrorMakerBackend,
        catalog().factory,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            mirrorMaker: {
              clusters: {
                dc1: cluster('dc1'),
                dc2: cluster('dc2'),
                dead: {
                  brokers: [`127.0.0.1:${deadPort}`],
                  dataCentre: 'dc3',
                  topicSuffix: 'dc3',
                  client: { connectionTimeoutMs: 500, requestTimeoutMs: 1000 },
                },
              },
              deploy: {
                stopTimeoutSeconds: 10,
                gate: { timeoutSeconds: 60, windowSeconds: 5 },
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
  }

  let backend: Awaited<ReturnType<typeof startBackend>> | undefined;
  const user = mockCredentials.user.header('user:default/alice');
  const api = () => {
    const agent = request(backend!.server);
    return {
      get: (url: string) => agent.get(url).set('Authorization', user),
      post: (url: string) => agent.post(url).set('Authorization', user),
    };
  };

  async function deploy(reason: string) {
    const res = await api()
      .post(`${API}/entities/mirrormaker/default/dc1-to-dc2/deployments`)
      .send({ reason });
    if (res.status !== 202) log(`deploy answered ${res.status}: ${res.text}`);
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  async function settled(id: string, timeoutMs = 150_000) {
    return waitFor(
      async () => {
        const res = await api().get(`${API}/deployments/${id}`);
        return ['succeeded', 'failed', 'stopped'].includes(res.body.status)
          ? res.body
          : undefined;
      },
      { timeoutMs, intervalMs: 1000 },
    );
  }

  async function processes() {
    const res = await api().get(
      `${API}/entities/mirrormaker/default/dc1-to-dc2/deployments`,
    );
    return res.body.processes as any[];
  }

  beforeAll(async () => {
    registerLz4Codec();
    const start = Date.now();
    testBed = await startKafkaClusters(['dc1', 'dc2']);
    log(`clusters up in ${Date.now() - start} ms`);
    knex = await databases.init('SQLITE_3');
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-rollout-'));
    const server = require('net').createServer();
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    deadPort = server.address().port;
    await new Promise(r => server.close(r));
    entities.push(
      resource('kafka-dc1', 'dc1'),
      resource('kafka-dc2', 'dc2'),
      resource('kafka-dead', 'dead'),
      deployment('resource:default/kafka-dc2'),
    );
    // Only on the source: the rollout must create it on the target.
    await createTopics(testBed.cluster('dc1'), [
      { topic: 'orders.dc1', numPartitions: 4 },
    ]);
    backend = await startBackend();
  }, SLOW_HOOK_MS);

  afterAll(async () => {
    await backend?.stop();
    killMirrorMakersIn(workDir);
    await testBed?.stop();
  }, SLOW_HOOK_MS);

  it('creates the destination topic first, rolls out both processes, drops nothing', async () => {
    const started = Date.now();
    const id = await deploy('first deploy');
    const rollout = await settled(id);
    log(`first rollout ${rollout.status} in ${Date.now() - started} ms`);
    for (const e of rollout.events)
      log(`  ${e.step}/${e.total} ${e.kind}: ${e.message}`);
    expect(rollout).toMatchObject({
      status: 'succeeded',
      revisionNumber: 1,
      totalSteps: 2,
      doneSteps: 2,
    });
    const kinds = rollout.events.map((e: any) => e.kind);
    expect(kinds.indexOf('topics')).toBeLessThan(kinds.indexOf('start'));
    expect(
      rollout.events.find((e: any) => e.kind === 'topics').message,
    ).toContain('orders.dc1 (4 partitions)');
    expect(kinds.filter((k: string) => k === 'gate-passed')).toHaveLength(2);
    const partitions = await withAdmin(testBed!.cluster('dc2'), async admin => {
      const { topics } = await admin.fetchTopicMetadata({
        topics: ['orders.dc1'],
      });
      return topics[0].partitions.length;
    });
    expect(partitions).toBe(4);

    await produceRecords(
      testBed!.cluster('dc1'),
      'orders.dc1',
      Array.from({ length: 5000 }, (_, i) => ({
        key: `k${i}`,
        value: `v${i}`,
      })),
    );
    await waitFor(
      async () =>
        (await sumEndOffsets(testBed!.cluster('dc2'), 'orders.dc1')) >= 5000,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const procs = await processes();
    expect(procs.map(p => p.state)).toEqual(['running', 'running']);
    for (const p of procs) {
      const text = await (await fetch(p.metricsUrl)).text();
      const dropped = text
        .split('\n')
        .filter(l => l.startsWith('kafka_mirrormaker_dropped_messages'))
        .map(l => Number(l.split(' ').pop()));
      expect(dropped.every(v => v === 0)).toBe(true);
    }
  });

  it('stops at the first process when the gate fails, and rollback restores the previous revision', async () => {
    const before = await processes();
    // A target cluster that cannot be reached is refused before any
    // process is touched (its topics cannot be prepared).
    entities[3] = deployment('resource:default/kafka-dead');
    const refused = await settled(await deploy('unreachable target'));
    expect(refused.status).toBe('failed');
    expect(refused.message).toMatch(
      /failed before any process was touched: Cluster "dead"/,
    );
    expect((await processes()).map(p => p.pid)).toEqual(before.map(p => p.pid));

    // A revision whose producer cannot even be built: idempotence needs
    // acks=all, so every MirrorMaker process of it exits at start.
    const bad = deployment('resource:default/kafka-dc2');
    (bad.spec as any).producer = { acks: '1', 'enable.idempotence': true };
    entities[3] = bad;
    const id = await deploy('acks=1 with idempotence');
    const failed = await settled(id);
    log(`bad rollout: ${failed.status}: ${failed.message}`);
    expect(failed.status).toBe('failed');
    expect(failed.revisionNumber).toBe(3);
    expect(failed.doneSteps).toBe(0);
    expect(failed.message).toMatch(/health gate failed at step 1 of 2/);
    const after = await processes();
    const second = after.find(p => p.index === 2);
    expect(second.pid).toBe(before.find(p => p.index === 2).pid);
    expect(second.revisionId).toBe(before.find(p => p.index === 2).revisionId);

    const diff = await api().get(`${API}/deployments/${id}/diff`);
    expect(diff.status).toBe(200);
    expect(
      diff.body.files.some(
        (f: any) => f.status === 'changed' && /^\+acks=1$/m.test(f.patch),
      ),
    ).toBe(true);

    entities[3] = deployment('resource:default/kafka-dc2');
    const back = await api()
      .post(`${API}/deployments/${id}/rollback`)
      .send({ reason: 'restore' });
    expect(back.status).toBe(202);
    const restored = await settled(back.body.id);
    expect(restored).toMatchObject({
      status: 'succeeded',
      kind: 'rollback',
      revisionNumber: 1,
    });
    const now = await processes();
    expect(now.every(p => p.state === 'running')).toBe(true);
    expect(new Set(now.map(p => p.revisionId))).toEqual(
      new Set([restored.revisionId]),
    );
  });

  it('leaves no orphan when the backend stops during a rollout; the next one says why', async () => {
    await produceRecords(testBed!.cluster('dc1'), 'orders.dc1', [
      { key: 'x', value: 'y' },
    ]);
    entities[3] = {
      ...deployment('resource:default/kafka-dc2'),
      spec: {
        ...deployment('resource:default/kafka-dc2').spec,
        topics: { suffix: 'dc1', exclude: 'tmp\\..*' },
      },
    };
    const id = await deploy('change excludes');
    await waitFor(
      async () => {
        const res = await api().get(`${API}/deployments/${id}`);
        return res.body.events.some((e: any) => e.kind === 'start');
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    await backend!.stop();
    backend = undefined;
    expect(mirrorMakerPidsIn(workDir)).toEqual([]);
    const leftovers = execFileSync('find', [workDir, '-name', '*.tmp*'], {
      encoding: 'utf8',
    }).trim();
    expect(leftovers).toBe('');

    backend = await startBackend();
    const res = await api().get(`${API}/deployments/${id}`);
    expect(res.body.status).toBe('failed');
    expect(res.body.message).toMatch(/shut down|interrupted/);
    // The processes come back from their files, one JVM each.
    await waitFor(
      async () => {
        const procs = await processes();
        return procs.length === 2 && procs.every(p => p.state === 'running');
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(mirrorMakerPidsIn(workDir)).toHaveLength(2);
  });
});
