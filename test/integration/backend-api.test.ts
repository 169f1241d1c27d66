/*
 * The mirror-maker REST API against the test bed's two real clusters: the
 * topology shows the example deployments with live topics classified, and
 * the topic list shows topics created here, with partition counts.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import mirrorMakerBackend from '@mirrormaker/plugin-mirror-maker-backend';
import * as fs from 'fs';
import * as path from 'path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { createTopics, startKafkaClusters, TestBed } from '../testbed';

const SLOW_HOOK_MS = 180_000;
const examples = path.resolve(__dirname, '../../examples/entities.yaml');

function log(message: string): void {
  // eslint-disable-next-line no-console
  console.log(`[backend-api] ${message}`);
}

describe('mirror-maker REST API against real clusters', () => {
  let testBed: TestBed | undefined;
  let server: any;
  let stopBackend: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const start = Date.now();
    testBed = await startKafkaClusters(['dc1', 'dc2']);
    log(`clusters up in ${Date.now() - start} ms`);
    await createTopics(testBed.cluster('dc1'), [
      { topic: 'orders.dc1', numPartitions: 3 },
      { topic: 'shipments.dc1', numPartitions: 2 },
      { topic: 'created-by-test.dc1', numPartitions: 5 },
      { topic: 'legacy', numPartitions: 1 },
    ]);
    await createTopics(testBed.cluster('dc2'), [
      { topic: 'payments.dc2', numPartitions: 2 },
      // The replica MirrorMaker would have made; shipments.dc1 is missing.
      { topic: 'orders.dc1', numPartitions: 3 },
    ]);
    const entities = parseAllDocuments(fs.readFileSync(examples, 'utf8'))
      .map(d => d.toJS() as Entity)
      .map(e => ({
        ...e,
        metadata: { namespace: 'default', ...e.metadata },
      }));
    const cluster = (name: 'dc1' | 'dc2') => ({
      brokers: [testBed!.bootstrap(name)],
      dataCentre: name,
      topicSuffix: name,
    });
    const backend = await startTestBackend({
      features: [
        mirrorMakerBackend,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            mirrorMaker: {
              clusters: { dc1: cluster('dc1'), dc2: cluster('dc2') },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  }, SLOW_HOOK_MS);

  afterAll(async () => {
    await stopBackend?.();
    await testBed?.stop();
  }, SLOW_HOOK_MS);

  const api = (route: string) =>
    request(server).get(`/api/mirror-maker${route}`);

  it('lists both clusters as reachable, one broker each', async () => {
    const res = await api('/clusters');
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((c: any) => [c.name, c.reachable, c.brokerCount]),
    ).toEqual([
      ['dc1', true, 1],
      ['dc2', true, 1],
    ]);
  });

  it('lists the topics created by the test, with partitions and classes', async () => {
    const started = Date.now();
    const res = await api('/clusters/dc1/topics');
    log(`GET /clusters/dc1/topics took ${Date.now() - started} ms`);
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(
      res.body.items.map((t: any) => [t.name, t]),
    );
    expect(byName['created-by-test.dc1']).toMatchObject({
      partitions: 5,
      replicationFactor: 1,
      internal: false,
      class: 'local-origin',
      copiedBy: ['mirrormaker:default/dc1-to-dc2'],
    });
    expect(byName['orders.dc1'].partitions).toBe(3);
    expect(byName.legacy.class).toBe('unknown-suffix');
  });

  it('shows the example flows with live topics classified', async () => {
    const started = Date.now();
    const res = await api('/topology');
    log(`GET /topology took ${Date.now() - started} ms`);
    expect(res.status).toBe(200);
    expect(res.body.live).toEqual({
      dc1: { reachable: true },
      dc2: { reachable: true },
    });
    expect(
      res.body.edges.map((e: any) => [e.ref, e.source, e.target, e.valid]),
    ).toEqual([
      ['mirrormaker:default/dc1-to-dc2', 'dc1', 'dc2', true],
      ['mirrormaker:default/dc2-to-dc1', 'dc2', 'dc1', true],
    ]);
    const dc2 = Object.fromEntries(
      res.body.topics.dc2.map((t: any) => [t.topic, t]),
    );
    expect(dc2['orders.dc1']).toMatchObject({
      class: 'replica',
      home: 'dc1',
      writers: ['mirrormaker:default/dc1-to-dc2'],
    });
    expect(dc2['payments.dc2'].class).toBe('local-origin');
    const missing = res.body.findings
      .filter((f: any) => f.kind === 'missing-replica')
      .flatMap((f: any) => f.topics);
    expect(missing).toEqual(
      expect.arrayContaining(['shipments.dc1', 'created-by-test.dc1']),
    );
    expect(missing).not.toContain('orders.dc1');
  });

  it('tells a service where each of its topics lives and is copied to', async () => {
    const res = await api(
      '/entities/component/default/orders-service/topology',
    );
    expect(res.status).toBe(200);
    const [orders, shipments] = res.body.topics;
    expect(orders).toMatchObject({
      topic: 'orders.dc1',
      home: { cluster: 'dc1', exists: true },
      reaches: [
        {
          cluster: 'dc2',
          via: ['mirrormaker:default/dc1-to-dc2'],
          exists: true,
        },
      ],
    });
    expect(shipments.reaches[0]).toMatchObject({
      cluster: 'dc2',
      exists: false,
    });
  });
});
