import { mockServices } from '@backstage/backend-test-utils';
import {
  KafkaClusterConfig,
  MirrorMakerEntity,
  MirrorMakerTopics,
} from '@mirrormaker/plugin-mirror-maker-common';
import knexFactory, { Knex } from 'knex';
import { MetricsStore } from '../database/MetricsStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { ClusterRegistry, LiveTopicInfo } from '../kafka/ClusterRegistry';
import { LoadedDeployment } from '../service/CatalogDeployments';
import { throughputSeries, ThroughputSampler } from './ThroughputSampler';

const DC1: KafkaClusterConfig = {
  name: 'dc1',
  brokers: ['127.0.0.1:1'],
  dataCentre: 'dc1',
  topicSuffix: 'dc1',
};
const DC2: KafkaClusterConfig = { ...DC1, name: 'dc2', topicSuffix: 'dc2' };

function deployment(
  name: string,
  topics: MirrorMakerTopics,
  source: KafkaClusterConfig = DC1,
  target: KafkaClusterConfig = DC2,
): LoadedDeployment {
  return {
    ref: `mirrormaker:default/${name}`,
    entity: {
      apiVersion: 'mirrormaker.io/v1alpha1',
      kind: 'MirrorMaker',
      metadata: { name, namespace: 'default' },
      spec: {
        owner: 'group:default/team',
        source: 'resource:default/kafka-dc1',
        target: 'resource:default/kafka-dc2',
        topics,
        placement: { nodes: ['localhost'] },
      },
    } as MirrorMakerEntity,
    source,
    target,
    problems: [],
  };
}

/** Clusters as maps of topic -> partition end offsets; a cluster in `down` fails. */
class FakeClusters {
  readonly topics: Record<string, Record<string, number[]>> = {
    dc1: {},
    dc2: {},
  };
  readonly down = new Set<string>();
  offsetReads = 0;
  listReads = 0;

  async listTopics(name: string): Promise<LiveTopicInfo[]> {
    this.listReads += 1;
    if (this.down.has(name)) {
      throw new Error(
        `Cluster "${name}" cannot be reached: Connection timeout`,
      );
    }
    return Object.entries(this.topics[name]).map(([topic, partitions]) => ({
      name: topic,
      partitions: partitions.length,
      replicationFactor: 1,
      internal: topic.startsWith('__'),
    }));
  }

  async admin(name: string) {
    return {
      fetchTopicOffsets: async (topic: string) => {
        this.offsetReads += 1;
        if (this.down.has(name)) throw new Error('Connection timeout');
        return this.topics[name][topic].map((high, partition) => ({
          partition,
          offset: String(high),
          high: String(high),
          low: '0',
        }));
      },
    };
  }

  asRegistry(): ClusterRegistry {
    return this as unknown as ClusterRegistry;
  }
}

describe('ThroughputSampler', () => {
  let knex: Knex;
  let store: MetricsStore;
  let clusters: FakeClusters;
  let now: number;
  let deployments: LoadedDeployment[];
  const logger = mockServices.logger.mock();
  const ORDERS = deployment('dc1-to-dc2', { suffix: 'dc1' });

  beforeEach(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    await applyDatabaseMigrations(knex);
    store = MetricsStore.fromKnex(knex);
    clusters = new FakeClusters();
    now = 1_800_000_000_000;
    deployments = [ORDERS];
    jest.clearAllMocks();
  });

  afterEach(async () => {
    await knex.destroy();
  });

  function sampler(
    overrides: Partial<ConstructorParameters<typeof ThroughputSampler>[0]> = {},
  ) {
    return new ThroughputSampler({
      store,
      clusters: clusters.asRegistry(),
      deployments: async () => deployments,
      retentionMs: 60_000,
      logger,
      now: () => now,
      ...overrides,
    });
  }

  it('sums the end offsets of the flow topics on both sides, leaving out others', async () => {
    clusters.topics.dc1 = {
      'orders.dc1': [100, 200, 300],
      'payments.dc1': [50],
      'orders.dc2': [9_999],
      'mirrormaker-heartbeat.dc1': [77],
      __consumer_offsets: [1_000],
    };
    clusters.topics.dc2 = {
      'orders.dc1': [90, 200, 280],
      'orders.dc2': [5_000],
      'mirrormaker-heartbeat.dc1': [70],
    };
    const lagOf = jest.fn(async () => 80);

    await sampler({ lagOf }).sampleOnce();

    await expect(store.flowSamples(ORDERS.ref, 0)).resolves.toEqual([
      {
        deploymentRef: ORDERS.ref,
        sampledAt: now,
        sourceEndOffsets: 650,
        targetEndOffsets: 570,
        lag: 80,
      },
    ]);
    expect(lagOf).toHaveBeenCalledWith(ORDERS);
  });

  it('derives records per second from consecutive samples', async () => {
    clusters.topics.dc1 = { 'orders.dc1': [0, 0] };
    clusters.topics.dc2 = { 'orders.dc1': [0, 0] };
    const s = sampler();

    await s.sampleOnce();
    now += 2_000;
    clusters.topics.dc1['orders.dc1'] = [300, 100];
    clusters.topics.dc2['orders.dc1'] = [100, 100];
    await s.sampleOnce();
    now += 4_000;
    clusters.topics.dc1['orders.dc1'] = [500, 300];
    clusters.topics.dc2['orders.dc1'] = [500, 300];
    await s.sampleOnce();

    await expect(s.series(ORDERS.ref, 0)).resolves.toEqual([
      {
        at: new Date(now - 6_000).toISOString(),
        inPerSec: null,
        outPerSec: null,
        lag: null,
      },
      {
        at: new Date(now - 4_000).toISOString(),
        inPerSec: 200,
        outPerSec: 100,
        lag: null,
      },
      {
        at: new Date(now).toISOString(),
        inPerSec: 100,
        outPerSec: 150,
        lag: null,
      },
    ]);
  });

  it('stores nulls for a cluster it cannot read, warns once, and keeps sampling the rest', async () => {
    const other = deployment('dc2-to-dc1', { suffix: 'dc2' }, DC2, DC1);
    deployments = [ORDERS, other];
    clusters.topics.dc1 = { 'orders.dc1': [10] };
    clusters.topics.dc2 = { 'orders.dc1': [10], 'orders.dc2': [20] };
    clusters.down.add('dc1');
    const s = sampler({
      lagOf: async d => {
        if (d === other) throw new Error('no exporter');
        return 0;
      },
    });

    await s.sampleOnce();
    now += 1_000;
    await s.sampleOnce();

    const orders = await store.flowSamples(ORDERS.ref, 0);
    expect(orders.map(o => [o.sourceEndOffsets, o.targetEndOffsets])).toEqual([
      [null, 10],
      [null, 10],
    ]);
    const others = await store.flowSamples(other.ref, 0);
    expect(others.map(o => [o.sourceEndOffsets, o.targetEndOffsets])).toEqual([
      [20, null],
      [20, null],
    ]);
    expect(others.map(o => o.lag)).toEqual([null, null]);
    // One per broken read, not one per round.
    expect(logger.warn).toHaveBeenCalledTimes(3);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `Throughput of ${ORDERS.ref}: the source cluster "dc1" could not be read, leaving a gap until it can: Cluster "dc1" cannot be reached`,
      ),
    );
    // The cluster list is read once per round, shared by both deployments.
    expect(clusters.listReads).toBe(4);

    clusters.down.delete('dc1');
    now += 1_000;
    await s.sampleOnce();
    expect(logger.info).toHaveBeenCalledWith(
      `Throughput of ${ORDERS.ref}: the source cluster "dc1" can be read again`,
    );
    const series = await s.series(ORDERS.ref, 0);
    expect(series.map(p => [p.inPerSec, p.outPerSec])).toEqual([
      [null, null],
      [null, 0],
      [null, 0],
    ]);
  });

  it('gives a gap, not a negative rate, when a topic was recreated', async () => {
    clusters.topics.dc1 = { 'orders.dc1': [1_000] };
    clusters.topics.dc2 = { 'orders.dc1': [1_000] };
    const s = sampler();
    await s.sampleOnce();
    now += 1_000;
    clusters.topics.dc1['orders.dc1'] = [10];
    await s.sampleOnce();
    now += 1_000;
    clusters.topics.dc1['orders.dc1'] = [30];
    await s.sampleOnce();

    const series = await s.series(ORDERS.ref, 0);
    expect(series.map(p => p.inPerSec)).toEqual([null, null, 20]);
    expect(series.map(p => p.outPerSec)).toEqual([null, 0, 0]);
  });

  it('skips deployments without both clusters, and survives a failing deployment list', async () => {
    const broken = { ...deployment('broken', { suffix: 'dc1' }) };
    delete broken.target;
    deployments = [broken];
    await sampler().sampleOnce();
    await expect(store.flowSamples(broken.ref, 0)).resolves.toEqual([]);
    expect(clusters.listReads).toBe(0);

    await expect(
      sampler({
        deployments: async () => {
          throw new Error('catalog down');
        },
      }).sampleOnce(),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      'Throughput sampling skipped: the deployments could not be listed: catalog down',
    );
  });

  it('deletes samples past the retention in the same round', async () => {
    clusters.topics.dc1 = { 'orders.dc1': [1] };
    clusters.topics.dc2 = { 'orders.dc1': [1] };
    const s = sampler({ retentionMs: 10_000 });
    await s.sampleOnce();
    now += 5_000;
    await s.sampleOnce();
    now += 6_000;
    await s.sampleOnce();

    const samples = await store.flowSamples(ORDERS.ref, 0);
    expect(samples.map(x => x.sampledAt)).toEqual([now - 6_000, now]);
  });

  it('refuses a retention that is not a positive duration', () => {
    expect(() => sampler({ retentionMs: 0 })).toThrow(
      'The metrics retention must be a positive number of milliseconds; got 0',
    );
  });

  it('reads topics of a names rule and an exclude like MirrorMaker would', async () => {
    const named = deployment('named', {
      names: ['orders.dc1', 'absent.dc1'],
    });
    const excluding = deployment('excluding', {
      suffix: 'dc1',
      exclude: 'payments\\..*',
    });
    deployments = [named, excluding];
    clusters.topics.dc1 = { 'orders.dc1': [5], 'payments.dc1': [7] };
    clusters.topics.dc2 = {};

    await sampler().sampleOnce();

    const [n] = await store.flowSamples(named.ref, 0);
    const [e] = await store.flowSamples(excluding.ref, 0);
    expect([n.sourceEndOffsets, n.targetEndOffsets]).toEqual([5, 0]);
    expect([e.sourceEndOffsets, e.targetEndOffsets]).toEqual([5, 0]);
    // orders.dc1 was read once for both deployments.
    expect(clusters.offsetReads).toBe(1);
  });
});

describe('throughputSeries', () => {
  it('gives a gap when the clock did not advance', () => {
    const base = {
      deploymentRef: 'mirrormaker:default/x',
      targetEndOffsets: null,
      lag: 3,
    };
    expect(
      throughputSeries([
        { ...base, sampledAt: 1_000, sourceEndOffsets: 10 },
        { ...base, sampledAt: 1_000, sourceEndOffsets: 20 },
      ]).map(p => [p.inPerSec, p.outPerSec, p.lag]),
    ).toEqual([
      [null, null, 3],
      [null, null, 3],
    ]);
  });
});
