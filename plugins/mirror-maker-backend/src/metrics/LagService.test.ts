import { mockServices } from '@backstage/backend-test-utils';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import type { Admin } from 'kafkajs';
import type { LiveTopicInfo } from '../kafka/ClusterRegistry';
import { LagService } from './LagService';

type Commits = Record<string, Record<number, number>>;
type Ends = Record<string, Record<number, number>>;

/** A cluster as the service sees it: topic listing, commits, end offsets. */
function fakeCluster(options: {
  ends: Ends;
  commits: Commits;
  /** Topics the listing leaves out, e.g. created after it was taken. */
  unlisted?: string[];
  /** Topics that have commits but no longer exist. */
  deleted?: string[];
}) {
  let inFlight = 0;
  const calls = { maxInFlight: 0 };
  const fetchOffsets = jest.fn(async (_: { groupId: string }) =>
    Object.entries(options.commits).map(([topic, partitions]) => ({
      topic,
      partitions: Object.entries(partitions).map(([partition, offset]) => ({
        partition: Number(partition),
        offset: String(offset),
        metadata: null,
      })),
    })),
  );
  const fetchTopicOffsets = jest.fn(async (topic: string) => {
    inFlight += 1;
    calls.maxInFlight = Math.max(calls.maxInFlight, inFlight);
    try {
      await new Promise(resolve => setTimeout(resolve, 2));
      if (options.deleted?.includes(topic) || !options.ends[topic]) {
        throw Object.assign(
          new Error('This server does not host this topic-partition'),
          { type: 'UNKNOWN_TOPIC_OR_PARTITION' },
        );
      }
      return Object.entries(options.ends[topic]).map(([partition, high]) => ({
        partition: Number(partition),
        offset: String(high),
        high: String(high),
        low: '0',
      }));
    } finally {
      inFlight -= 1;
    }
  });
  const admin = { fetchOffsets, fetchTopicOffsets } as unknown as Admin;
  const clusters = {
    admin: jest.fn(async (_: string) => admin),
    listTopics: jest.fn(
      async (_: string): Promise<LiveTopicInfo[]> =>
        Object.keys(options.ends)
          .filter(t => !options.unlisted?.includes(t))
          .map(name => ({
            name,
            partitions: Object.keys(options.ends[name]).length,
            replicationFactor: 1,
            internal: false,
          })),
    ),
  };
  return { clusters, fetchOffsets, fetchTopicOffsets, calls };
}

const dc1Topics = (topic: string) => topic.endsWith('.dc1');

describe('LagService', () => {
  const logger = mockServices.logger.mock();

  it('computes per-partition lag from one offset fetch and the end offsets', async () => {
    const cluster = fakeCluster({
      ends: {
        'orders.dc1': { 0: 10, 1: 20, 2: 5 },
        'audit.dc1': { 0: 7 },
        'payments.dc1': { 1: 3, 0: 4 },
        'orders.dc2': { 0: 100 },
      },
      commits: {
        // Partition 2 never committed; -1 is how Kafka says so.
        'orders.dc1': { 0: 4, 1: 20, 2: -1 },
        // A commit beyond the end (e.g. after the log was truncated).
        'audit.dc1': { 0: 9 },
        'orders.dc2': { 0: 1 },
      },
    });
    const service = new LagService({ clusters: cluster.clusters, logger });

    const lag = await service.groupLag({
      cluster: 'dc1',
      groupId: 'mm1-dc1',
      matches: dc1Topics,
    });

    expect(lag).toEqual({
      cluster: 'dc1',
      groupId: 'mm1-dc1',
      observedAt: expect.any(String),
      reachable: true,
      totalLag: 6,
      partitionCount: 6,
      partitionsWithoutCommit: 3,
      topics: [
        {
          topic: 'audit.dc1',
          lag: 0,
          partitionsWithoutCommit: 0,
          partitions: [
            { partition: 0, logEndOffset: 7, committedOffset: 9, lag: 0 },
          ],
        },
        {
          topic: 'orders.dc1',
          lag: 6,
          partitionsWithoutCommit: 1,
          partitions: [
            { partition: 0, logEndOffset: 10, committedOffset: 4, lag: 6 },
            { partition: 1, logEndOffset: 20, committedOffset: 20, lag: 0 },
            {
              partition: 2,
              logEndOffset: 5,
              committedOffset: null,
              lag: null,
            },
          ],
        },
        {
          topic: 'payments.dc1',
          lag: 0,
          partitionsWithoutCommit: 2,
          partitions: [
            { partition: 0, logEndOffset: 4, committedOffset: null, lag: null },
            { partition: 1, logEndOffset: 3, committedOffset: null, lag: null },
          ],
        },
      ],
    });
    expect(new Date(lag.observedAt).toISOString()).toBe(lag.observedAt);
    expect(cluster.fetchOffsets).toHaveBeenCalledTimes(1);
    expect(cluster.fetchOffsets).toHaveBeenCalledWith({ groupId: 'mm1-dc1' });
    // The listing loads the metadata kafkajs's coordinator lookup needs.
    expect(
      cluster.clusters.listTopics.mock.invocationCallOrder[0],
    ).toBeLessThan(cluster.fetchOffsets.mock.invocationCallOrder[0]);
    expect(cluster.fetchTopicOffsets.mock.calls.map(([t]) => t).sort()).toEqual(
      ['audit.dc1', 'orders.dc1', 'payments.dc1'],
    );
  });

  it('includes matching topics known only from commits, and skips deleted ones', async () => {
    const cluster = fakeCluster({
      ends: { 'orders.dc1': { 0: 10 }, 'fresh.dc1': { 0: 8 } },
      unlisted: ['fresh.dc1'],
      deleted: ['gone.dc1'],
      commits: {
        'fresh.dc1': { 0: 3 },
        'gone.dc1': { 0: 5 },
        'orders.dc1': { 0: 10 },
      },
    });
    const service = new LagService({ clusters: cluster.clusters, logger });

    const lag = await service.groupLag({
      cluster: 'dc1',
      groupId: 'g',
      matches: dc1Topics,
    });

    expect(lag.reachable).toBe(true);
    expect(lag.topics.map(t => [t.topic, t.lag])).toEqual([
      ['fresh.dc1', 5],
      ['orders.dc1', 0],
    ]);
  });

  it('fails the whole answer when a listed topic cannot be read', async () => {
    const cluster = fakeCluster({
      ends: { 'orders.dc1': { 0: 10 } },
      commits: {},
    });
    cluster.fetchTopicOffsets.mockRejectedValueOnce(
      new Error(
        'Not authorized to access topics: [Topic authorization failed]',
      ),
    );
    const service = new LagService({ clusters: cluster.clusters, logger });

    const lag = await service.groupLag({
      cluster: 'dc1',
      groupId: 'g',
      matches: dc1Topics,
    });

    expect(lag).toMatchObject({
      reachable: false,
      error:
        'Cluster "dc1": Not authorized to access topics: [Topic authorization failed]',
      topics: [],
      totalLag: 0,
    });
  });

  it('asks for at most `concurrency` topics at a time', async () => {
    const ends: Ends = {};
    for (let i = 0; i < 30; i++) ends[`t${i}.dc1`] = { 0: i };
    const cluster = fakeCluster({ ends, commits: {} });
    const service = new LagService({
      clusters: cluster.clusters,
      logger,
      concurrency: 3,
    });

    const lag = await service.groupLag({
      cluster: 'dc1',
      groupId: 'g',
      matches: dc1Topics,
    });

    expect(lag.partitionCount).toBe(30);
    expect(lag.partitionsWithoutCommit).toBe(30);
    expect(cluster.fetchTopicOffsets).toHaveBeenCalledTimes(30);
    expect(cluster.calls.maxInFlight).toBe(3);
  });

  it('shares one computation between concurrent callers and reuses it briefly', async () => {
    const cluster = fakeCluster({
      ends: { 'orders.dc1': { 0: 10 } },
      commits: { 'orders.dc1': { 0: 1 } },
    });
    const service = new LagService({
      clusters: cluster.clusters,
      logger,
      cacheMs: 60_000,
    });
    const args = { cluster: 'dc1', groupId: 'g', matches: dc1Topics };

    const answers = await Promise.all([
      service.groupLag(args),
      service.groupLag(args),
      service.groupLag(args),
    ]);
    const later = await service.groupLag(args);

    expect(answers.map(a => a.totalLag)).toEqual([9, 9, 9]);
    expect(later).toEqual(answers[0]);
    expect(cluster.fetchOffsets).toHaveBeenCalledTimes(1);
    expect(cluster.fetchTopicOffsets).toHaveBeenCalledTimes(1);

    // Another group is another key.
    await service.groupLag({ ...args, groupId: 'h' });
    expect(cluster.fetchOffsets).toHaveBeenCalledTimes(2);
  });

  it('asks again once the answer is older than cacheMs', async () => {
    const cluster = fakeCluster({
      ends: { 'orders.dc1': { 0: 10 } },
      commits: { 'orders.dc1': { 0: 1 } },
    });
    const service = new LagService({
      clusters: cluster.clusters,
      logger,
      cacheMs: 0,
    });
    const args = { cluster: 'dc1', groupId: 'g', matches: dc1Topics };

    await Promise.all([service.groupLag(args), service.groupLag(args)]);
    await service.groupLag(args);

    // The concurrent pair still shared one computation.
    expect(cluster.fetchOffsets).toHaveBeenCalledTimes(2);
  });

  it('takes a new snapshot when a caller wants a topic the cached one lacks', async () => {
    const cluster = fakeCluster({
      ends: { 'orders.dc1': { 0: 10 }, 'orders.dc2': { 0: 4 } },
      commits: { 'orders.dc1': { 0: 1 }, 'orders.dc2': { 0: 1 } },
    });
    const service = new LagService({
      clusters: cluster.clusters,
      logger,
      cacheMs: 60_000,
    });

    const all = await service.groupLag({
      cluster: 'dc1',
      groupId: 'g',
      matches: () => true,
    });
    const narrower = await service.groupLag({
      cluster: 'dc1',
      groupId: 'g',
      matches: dc1Topics,
    });
    expect(all.totalLag).toBe(12);
    expect(narrower.topics.map(t => t.topic)).toEqual(['orders.dc1']);
    expect(narrower.totalLag).toBe(9);
    expect(cluster.fetchOffsets).toHaveBeenCalledTimes(1);

    const onlyDc2 = new LagService({
      clusters: cluster.clusters,
      logger,
      cacheMs: 60_000,
    });
    await onlyDc2.groupLag({
      cluster: 'dc1',
      groupId: 'g',
      matches: dc1Topics,
    });
    const wider = await onlyDc2.groupLag({
      cluster: 'dc1',
      groupId: 'g',
      matches: () => true,
    });
    expect(wider.totalLag).toBe(12);
    expect(cluster.fetchOffsets).toHaveBeenCalledTimes(3);
  });

  it('reports an unreachable cluster without throwing, and does not cache it', async () => {
    const cluster = fakeCluster({
      ends: { 'orders.dc1': { 0: 10 } },
      commits: { 'orders.dc1': { 0: 1 } },
    });
    cluster.clusters.admin.mockRejectedValueOnce(
      new ServiceUnavailableError(
        'Cluster "dc1" (brokers 127.0.0.1:1) cannot be reached: Connection error: connect ECONNREFUSED 127.0.0.1:1',
      ),
    );
    const service = new LagService({
      clusters: cluster.clusters,
      logger,
      cacheMs: 60_000,
    });
    const args = { cluster: 'dc1', groupId: 'g', matches: dc1Topics };

    const failed = await service.groupLag(args);
    expect(failed).toEqual({
      cluster: 'dc1',
      groupId: 'g',
      observedAt: expect.any(String),
      reachable: false,
      error:
        'Cluster "dc1" (brokers 127.0.0.1:1) cannot be reached: Connection error: connect ECONNREFUSED 127.0.0.1:1',
      totalLag: 0,
      partitionCount: 0,
      partitionsWithoutCommit: 0,
      topics: [],
    });

    const recovered = await service.groupLag(args);
    expect(recovered).toMatchObject({ reachable: true, totalLag: 9 });
  });

  it('gives up after timeoutMs on a cluster that does not answer', async () => {
    const cluster = fakeCluster({ ends: {}, commits: {} });
    cluster.clusters.listTopics.mockImplementation(() => new Promise(() => {}));
    const service = new LagService({
      clusters: cluster.clusters,
      logger,
      timeoutMs: 50,
    });

    const lag = await service.groupLag({
      cluster: 'dc1',
      groupId: 'g',
      matches: dc1Topics,
    });

    expect(lag.reachable).toBe(false);
    expect(lag.error).toBe(
      'Reading the lag of group "g" on cluster "dc1" got no answer within 50 ms',
    );
  });

  it('rejects an empty group id', async () => {
    const cluster = fakeCluster({ ends: {}, commits: {} });
    const service = new LagService({ clusters: cluster.clusters, logger });

    await expect(
      service.groupLag({ cluster: 'dc1', groupId: '', matches: dc1Topics }),
    ).rejects.toThrow(
      new InputError(
        'groupId "" is not a consumer group id; use a non-empty string',
      ),
    );
    expect(cluster.clusters.admin).not.toHaveBeenCalled();
  });
});
