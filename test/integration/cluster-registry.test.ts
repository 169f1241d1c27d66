/*
 * The backend's ClusterRegistry against a real single-node KRaft broker:
 * describe and listTopics answer from the broker, concurrent callers share
 * one client, and once the broker is gone the registry says so quickly.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { ClusterRegistry } from '@mirrormaker/plugin-mirror-maker-backend/src/kafka/ClusterRegistry';
import { Kafka } from 'kafkajs';
import {
  createTopics,
  startKafkaClusters,
  TestBed,
  waitFor,
  withAdmin,
} from '../testbed';

const SLOW_HOOK_MS = 180_000;

function log(message: string): void {
  // eslint-disable-next-line no-console
  console.log(`[cluster-registry] ${message}`);
}

describe('ClusterRegistry against a real broker', () => {
  let testBed: TestBed | undefined;
  let registry: ClusterRegistry | undefined;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    const start = Date.now();
    testBed = await startKafkaClusters(['dc1']);
    log(`broker up in ${Date.now() - start} ms at ${testBed.bootstrap('dc1')}`);
    await createTopics(testBed.cluster('dc1'), [
      { topic: 'orders.dc1', numPartitions: 3 },
      { topic: 'audit.dc1', numPartitions: 1 },
    ]);
    registry = new ClusterRegistry({
      clusters: [
        {
          name: 'dc1',
          brokers: [testBed.bootstrap('dc1')],
          dataCentre: 'dc1',
          topicSuffix: 'dc1',
        },
      ],
      logger,
    });
  }, SLOW_HOOK_MS);

  afterAll(async () => {
    await registry?.close();
    await testBed?.stop();
  }, SLOW_HOOK_MS);

  afterEach(() => jest.restoreAllMocks());

  it('describes the cluster', async () => {
    const description = await registry!.describe('dc1');
    log(`describe: ${JSON.stringify(description)}`);
    expect(description).toEqual({
      reachable: true,
      brokerCount: 1,
      clusterId: testBed!.cluster('dc1').clusterId,
      controllerId: expect.any(Number),
    });
  });

  it('lists topics with their partition counts, internal ones marked', async () => {
    // Looking up a group coordinator makes the broker create
    // __consumer_offsets; it answers "not available" until it has.
    const topics = await waitFor(
      async () => {
        await withAdmin(testBed!.cluster('dc1'), admin =>
          admin.describeGroups(['registry-test']),
        );
        const all = await registry!.listTopics('dc1');
        return all.some(t => t.name === '__consumer_offsets') && all;
      },
      { timeoutMs: 60_000, description: '__consumer_offsets' },
    );
    expect(topics.map(t => t.name)).toEqual(
      [...topics.map(t => t.name)].sort(),
    );
    expect(topics.find(t => t.name === 'orders.dc1')).toEqual({
      name: 'orders.dc1',
      partitions: 3,
      replicationFactor: 1,
      internal: false,
    });
    expect(topics.find(t => t.name === 'audit.dc1')).toEqual({
      name: 'audit.dc1',
      partitions: 1,
      replicationFactor: 1,
      internal: false,
    });
    expect(topics.find(t => t.name === '__consumer_offsets')).toMatchObject({
      internal: true,
    });
  });

  it('shares one connected admin between concurrent callers', async () => {
    const created = jest.spyOn(Kafka.prototype, 'admin');
    const shared = await registry!.admin('dc1');
    const answers = await Promise.all([
      registry!.describe('dc1'),
      registry!.listTopics('dc1'),
      registry!.describe('dc1'),
      registry!.admin('dc1'),
      registry!.admin('dc1'),
    ]);
    expect(answers[0]).toMatchObject({ reachable: true });
    expect(answers[3]).toBe(shared);
    expect(answers[4]).toBe(shared);
    // Connected in an earlier test: nobody had to create a client.
    expect(created).not.toHaveBeenCalled();
    expect((await shared.listTopics()).includes('orders.dc1')).toBe(true);
  });

  it('connects once for concurrent first callers', async () => {
    const fresh = new ClusterRegistry({
      clusters: registry!.list(),
      logger: mockServices.logger.mock(),
    });
    const created = jest.spyOn(Kafka.prototype, 'admin');
    try {
      const answers = await Promise.all([
        fresh.describe('dc1'),
        fresh.describe('dc1'),
        fresh.listTopics('dc1'),
        fresh.admin('dc1'),
      ]);
      expect(answers[0]).toMatchObject({ reachable: true, brokerCount: 1 });
      expect(created).toHaveBeenCalledTimes(1);
    } finally {
      await fresh.close();
      await fresh.close();
    }
  });

  it('reports the cluster unreachable after the broker stops, without hanging', async () => {
    const bed = testBed!;
    await bed.cluster('dc1').stop();
    const start = Date.now();
    const description = await registry!.describe('dc1');
    const describeMs = Date.now() - start;
    log(
      `describe after broker stop: ${describeMs} ms, ${JSON.stringify(
        description,
      )}`,
    );
    expect(description).toMatchObject({ reachable: false });
    expect((description as { error: string }).error).not.toBe('');
    // connectionTimeoutMs + requestTimeoutMs + slack is 9 s by default.
    expect(describeMs).toBeLessThan(15_000);

    const again = Date.now();
    const listing = registry!.listTopics('dc1');
    await expect(listing).rejects.toThrow(ServiceUnavailableError);
    await expect(listing).rejects.toThrow(
      /^Cluster "dc1" \(brokers 127\.0\.0\.1:\d+\) cannot be reached: /,
    );
    log(`listTopics after broker stop: ${Date.now() - again} ms`);
    expect(Date.now() - again).toBeLessThan(15_000);
    // The broken shared client was dropped: a new one is tried and fails.
    await expect(registry!.admin('dc1')).rejects.toThrow(
      ServiceUnavailableError,
    );
  }, 60_000);
});
