import { mockServices } from '@backstage/backend-test-utils';
import {
  KafkaClusterConfig,
  MirrorMakerEntity,
  MirrorMakerTopics,
} from '@mirrormaker/plugin-mirror-maker-common';
import knexFactory, { Knex } from 'knex';
import { MetricsStore } from '../database/MetricsStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { ClusterRegistry } from '../kafka/ClusterRegistry';
import { LoadedDeployment } from '../service/CatalogDeployments';
import {
  heartbeatTopic,
  HeartbeatService,
  isHeartbeatTopic,
} from './Heartbeat';

function cluster(name: string): KafkaClusterConfig {
  return {
    name,
    brokers: ['127.0.0.1:1'],
    dataCentre: name,
    topicSuffix: name,
  };
}
const DC1 = cluster('dc1');
const DC2 = cluster('dc2');
const DC3 = cluster('dc3');

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
        source: `resource:default/kafka-${source.name}`,
        target: `resource:default/kafka-${target.name}`,
        topics,
        placement: { nodes: ['localhost'] },
      },
    } as MirrorMakerEntity,
    source,
    target,
    problems: [],
  };
}

type Handler = (payload: {
  topic: string;
  partition: number;
  message: { key: Buffer | null; value: Buffer | null; offset: string };
}) => Promise<void>;

class FakeConsumer {
  topics: string[] = [];
  handler?: Handler;
  disconnected = false;
  readonly events = { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.join' };
  /** Whether joining the group fails, as kafkajs reports it: a crash after run(). */
  failToJoin = false;
  private readonly listeners = new Map<string, (event: any) => void>();

  fromBeginning?: boolean;
  retries?: number;

  constructor(readonly clusterName: string, readonly groupId: string) {}

  async connect() {}
  async subscribe(options: { topics: string[]; fromBeginning: boolean }) {
    this.fromBeginning = options.fromBeginning;
    this.topics = options.topics;
  }
  async run(options: { eachMessage: Handler }) {
    this.handler = options.eachMessage;
    if (this.failToJoin) {
      setTimeout(() => this.crash('Failed to find group coordinator'), 5);
    } else {
      setTimeout(() => this.listeners.get(this.events.GROUP_JOIN)!({}), 5);
    }
  }
  on(event: string, listener: (event: any) => void) {
    this.listeners.set(event, listener);
  }
  async disconnect() {
    this.disconnected = true;
  }
  crash(message = 'coordinator gone') {
    this.listeners.get(this.events.CRASH)!({
      payload: { error: new Error(message), restart: false },
    });
  }
  deliver(topic: string, key: string | null, value: string | null) {
    return this.handler!({
      topic,
      partition: 0,
      message: {
        key: key === null ? null : Buffer.from(key),
        value: value === null ? null : Buffer.from(value),
        offset: '0',
      },
    });
  }
}

interface Sent {
  cluster: string;
  topic: string;
  key: string;
  value: { deployment: string; sentAt: number; v: number };
}

/** Clusters, their topics, and every client the service makes. */
class FakeClusters {
  readonly topics: Record<string, Set<string>> = {
    dc1: new Set(),
    dc2: new Set(),
    dc3: new Set(),
  };
  readonly brokers: Record<string, number> = { dc1: 1, dc2: 5, dc3: 1 };
  readonly down = new Set<string>();
  readonly created: { cluster: string; topic: string; rf: number }[] = [];
  readonly sent: Sent[] = [];
  readonly consumers: FakeConsumer[] = [];
  producersDisconnected = 0;

  get(name: string) {
    return cluster(name);
  }

  async listTopics(name: string) {
    this.check(name);
    return [...this.topics[name]].map(t => ({ name: t }));
  }

  async describe(name: string) {
    return { reachable: true, brokerCount: this.brokers[name] };
  }

  async admin(name: string) {
    return {
      createTopics: async (options: {
        topics: { topic: string; replicationFactor: number }[];
      }) => {
        for (const t of options.topics) {
          this.topics[name].add(t.topic);
          this.created.push({
            cluster: name,
            topic: t.topic,
            rf: t.replicationFactor,
          });
        }
        return true;
      },
    };
  }

  failToJoin = false;

  async kafka(name: string, options: { retry?: { retries: number } } = {}) {
    return {
      producer: () => ({
        connect: async () => this.check(name),
        send: async (record: {
          topic: string;
          messages: { key: string; value: string }[];
        }) => {
          this.check(name);
          for (const m of record.messages) {
            this.sent.push({
              cluster: name,
              topic: record.topic,
              key: m.key,
              value: JSON.parse(m.value),
            });
          }
        },
        disconnect: async () => {
          this.producersDisconnected += 1;
        },
      }),
      consumer: (config: { groupId: string }) => {
        const consumer = new FakeConsumer(name, config.groupId);
        consumer.retries = options.retry?.retries;
        consumer.failToJoin = this.failToJoin;
        this.consumers.push(consumer);
        return consumer;
      },
    };
  }

  live(name: string): FakeConsumer[] {
    return this.consumers.filter(
      c => c.clusterName === name && !c.disconnected,
    );
  }

  private check(name: string) {
    if (this.down.has(name)) {
      throw new Error(
        `Cluster "${name}" cannot be reached: Connection timeout`,
      );
    }
  }
}

describe('heartbeatTopic', () => {
  it('carries the source cluster suffix', () => {
    expect(heartbeatTopic(DC1)).toBe('mirrormaker-heartbeat.dc1');
    expect(isHeartbeatTopic('mirrormaker-heartbeat.dc1')).toBe(true);
    expect(isHeartbeatTopic('orders.dc1')).toBe(false);
  });
});

describe('HeartbeatService', () => {
  let knex: Knex;
  let store: MetricsStore;
  let clusters: FakeClusters;
  let deployments: LoadedDeployment[];
  let now: number;
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
    deployments = [ORDERS];
    now = 1_800_000_000_000;
    jest.clearAllMocks();
  });

  afterEach(async () => {
    await knex.destroy();
  });

  function service(groupId?: string) {
    return new HeartbeatService({
      store,
      clusters: clusters as unknown as ClusterRegistry,
      deployments: async () => deployments,
      logger,
      groupId,
      now: () => now,
    });
  }

  describe('status', () => {
    it.each([
      [{ suffix: 'dc1' }, undefined],
      [{ include: '(orders|mirrormaker-heartbeat)\\.dc1' }, undefined],
      [
        { names: ['orders.dc1'] },
        'spec.topics.names does not list mirrormaker-heartbeat.dc1, so heartbeats are not replicated; add mirrormaker-heartbeat.dc1 to spec.topics.names',
      ],
      [
        { include: 'orders\\..*' },
        'spec.topics.include does not match mirrormaker-heartbeat.dc1, so heartbeats are not replicated; extend it, e.g. include: "(?:orders\\..*)|mirrormaker-heartbeat\\.dc1"',
      ],
      [
        { suffix: 'dc3' },
        'spec.topics.suffix "dc3" does not match mirrormaker-heartbeat.dc1, so heartbeats are not replicated; set spec.topics.suffix to dc1, the source\'s own suffix',
      ],
      [
        { suffix: 'dc1', exclude: 'mirrormaker-.*' },
        'spec.topics.exclude matches mirrormaker-heartbeat.dc1, so heartbeats are not replicated; change spec.topics.exclude so it no longer matches mirrormaker-heartbeat.dc1',
      ],
    ] as [MirrorMakerTopics, string | undefined][])(
      'for topics %j says %p',
      async (topics, reason) => {
        const d = deployment('x', topics);
        const status = await service().status(d);
        expect(status).toEqual({
          deploymentRef: d.ref,
          topic: 'mirrormaker-heartbeat.dc1',
          replicated: reason === undefined,
          ...(reason ? { reason } : {}),
        });
      },
    );

    it('names the unresolved cluster', async () => {
      const d = { ...deployment('x', { suffix: 'dc1' }) };
      delete d.source;
      await expect(service().status(d)).resolves.toEqual({
        deploymentRef: d.ref,
        replicated: false,
        reason:
          'spec.source does not resolve to a cluster under mirrorMaker.clusters; fix the deployment problems first',
      });
    });
  });

  it('creates the topic on both clusters, then produces one record per replicating deployment', async () => {
    const named = deployment('named', { names: ['orders.dc1'] });
    const other = deployment('dc1-to-dc3', { suffix: 'dc1' }, DC1, DC3);
    deployments = [ORDERS, named, other];
    clusters.topics.dc3.add('mirrormaker-heartbeat.dc1');

    await service().beatOnce();

    expect(clusters.created).toEqual(
      expect.arrayContaining([
        { cluster: 'dc1', topic: 'mirrormaker-heartbeat.dc1', rf: 1 },
        { cluster: 'dc2', topic: 'mirrormaker-heartbeat.dc1', rf: 3 },
      ]),
    );
    expect(clusters.created).toHaveLength(2);
    expect(clusters.sent).toEqual([
      {
        cluster: 'dc1',
        topic: 'mirrormaker-heartbeat.dc1',
        key: ORDERS.ref,
        value: { deployment: ORDERS.ref, sentAt: now, v: 1 },
      },
      {
        cluster: 'dc1',
        topic: 'mirrormaker-heartbeat.dc1',
        key: other.ref,
        value: { deployment: other.ref, sentAt: now, v: 1 },
      },
    ]);
    expect(clusters.consumers).toEqual([]);
  });

  it('skips what it cannot reach, warns once, and carries on when it can', async () => {
    const other = deployment('dc2-to-dc3', { suffix: 'dc2' }, DC2, DC3);
    deployments = [ORDERS, other];
    clusters.down.add('dc1');
    const s = service();

    await s.beatOnce();
    await s.beatOnce();

    expect(clusters.sent.map(r => r.key)).toEqual([other.ref, other.ref]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      `Heartbeat topic mirrormaker-heartbeat.dc1 of ${ORDERS.ref} could not be created: Cluster "dc1" cannot be reached: Connection timeout`,
    );

    clusters.down.delete('dc1');
    await s.beatOnce();
    expect(clusters.sent.filter(r => r.key === ORDERS.ref)).toHaveLength(1);
  });

  it('reopens the producer and checks the topic again after a failed send', async () => {
    const s = service();
    await s.beatOnce();
    clusters.topics.dc1.delete('mirrormaker-heartbeat.dc1');
    clusters.down.add('dc1');
    await s.beatOnce();
    expect(clusters.producersDisconnected).toBe(1);
    clusters.down.delete('dc1');

    await s.beatOnce();

    expect(clusters.sent).toHaveLength(2);
    expect(clusters.topics.dc1.has('mirrormaker-heartbeat.dc1')).toBe(true);
  });

  it('consumes on each target and stores the latency of each record', async () => {
    const s = service();
    await s.start();
    const [consumer] = clusters.live('dc2');
    expect(consumer.groupId).toBe('backstage-mirror-maker-heartbeat');
    // Only what is sent from now on: old heartbeats say nothing of today.
    expect(consumer.fromBeginning).toBe(false);
    // Consumers must not give up as soon as the admin does.
    expect(consumer.retries).toBeGreaterThan(1);
    expect(consumer.topics).toEqual(['mirrormaker-heartbeat.dc1']);
    expect(clusters.topics.dc2.has('mirrormaker-heartbeat.dc1')).toBe(true);

    const sentAt = now;
    now += 420;
    await consumer.deliver(
      'mirrormaker-heartbeat.dc1',
      ORDERS.ref,
      JSON.stringify({ deployment: ORDERS.ref, sentAt, v: 1 }),
    );

    await expect(s.series(ORDERS.ref, 0)).resolves.toEqual([
      { at: new Date(now).toISOString(), latencyMs: 420 },
    ]);
    await expect(s.status(ORDERS)).resolves.toEqual({
      deploymentRef: ORDERS.ref,
      topic: 'mirrormaker-heartbeat.dc1',
      replicated: true,
      lastLatencyMs: 420,
      lastReceivedAt: new Date(now).toISOString(),
    });
    await s.stop();
    expect(consumer.disconnected).toBe(true);
  });

  it('ignores records it did not send, counts them, and keeps consuming', async () => {
    const s = service('custom-group');
    await s.start();
    const [consumer] = clusters.live('dc2');
    expect(consumer.groupId).toBe('custom-group');
    const topic = 'mirrormaker-heartbeat.dc1';
    const value = (sentAt: number, deploymentRef = ORDERS.ref) =>
      JSON.stringify({ deployment: deploymentRef, sentAt, v: 1 });

    await consumer.deliver(topic, 'mirrormaker:default/unknown', value(now));
    await consumer.deliver(topic, null, value(now));
    await consumer.deliver(topic, ORDERS.ref, '{not json');
    await consumer.deliver(topic, ORDERS.ref, null);
    await consumer.deliver(topic, ORDERS.ref, JSON.stringify({ v: 2 }));
    await consumer.deliver(topic, ORDERS.ref, value(now, 'other'));
    await consumer.deliver(topic, ORDERS.ref, value(now + 60_000));
    // Within the clock-skew allowance: counted, at latency 0.
    await consumer.deliver(topic, ORDERS.ref, value(now + 1_000));
    await consumer.deliver(topic, ORDERS.ref, value(now + 1_000));
    await consumer.deliver(topic, ORDERS.ref, value(now - 5));

    expect(s.stats()).toEqual({
      produced: 0,
      received: 10,
      stored: 1,
      ignored: { unknownDeployment: 2, badValue: 4, future: 1, duplicate: 2 },
    });
    await expect(s.series(ORDERS.ref, 0)).resolves.toEqual([
      { at: new Date(now).toISOString(), latencyMs: 0 },
    ]);
    expect(logger.debug).toHaveBeenCalledWith(
      `Heartbeat record ignored: the value of ${ORDERS.ref}'s record on ${topic} of cluster "dc2" is not a heartbeat`,
    );
    await s.stop();
  });

  it('re-creates a consumer when its topics change, and only then', async () => {
    const s = service();
    await s.start();
    await s.start();
    expect(clusters.consumers).toHaveLength(1);

    const fromDc3 = deployment('dc3-to-dc2', { suffix: 'dc3' }, DC3, DC2);
    const back = deployment('dc2-to-dc1', { suffix: 'dc2' }, DC2, DC1);
    deployments = [ORDERS, fromDc3, back];
    await s.beatOnce();

    const [dc2] = clusters.live('dc2');
    expect(dc2.topics).toEqual([
      'mirrormaker-heartbeat.dc1',
      'mirrormaker-heartbeat.dc3',
    ]);
    expect(clusters.live('dc1').map(c => c.topics)).toEqual([
      ['mirrormaker-heartbeat.dc2'],
    ]);
    expect(clusters.consumers).toHaveLength(3);

    // A new deployment into dc2 from dc1 needs no new subscription, but its
    // records must be accepted.
    const second = deployment('dc1-to-dc2-more', { suffix: 'dc1' });
    deployments = [ORDERS, second];
    await s.start();
    expect(clusters.live('dc1')).toEqual([]);
    const [again] = clusters.live('dc2');
    expect(again.topics).toEqual(['mirrormaker-heartbeat.dc1']);
    await again.deliver(
      'mirrormaker-heartbeat.dc1',
      second.ref,
      JSON.stringify({ deployment: second.ref, sentAt: now, v: 1 }),
    );
    expect(s.stats().stored).toBe(1);

    await s.stop();
    expect(clusters.live('dc2')).toEqual([]);
  });

  it('replaces a crashed consumer on the next round', async () => {
    const s = service();
    await s.start();
    clusters.live('dc2')[0].crash();
    expect(logger.warn).toHaveBeenCalledWith(
      'Heartbeat consumer of cluster "dc2" stopped (coordinator gone); it is restarted on the next heartbeat round',
    );

    await s.beatOnce();

    expect(clusters.consumers).toHaveLength(2);
    expect(clusters.live('dc2')).toHaveLength(1);
    await s.stop();
  });

  it('retries a consumer that could not start only after a pause', async () => {
    clusters.down.add('dc2');
    const s = service();
    await s.start();
    expect(clusters.consumers).toHaveLength(0);
    clusters.down.delete('dc2');
    await s.start();
    expect(clusters.consumers).toHaveLength(0);

    now += 31_000;
    await s.start();

    expect(clusters.live('dc2')).toHaveLength(1);
    await s.stop();
  });

  it('reports a consumer that cannot join once, and retries it after a pause', async () => {
    clusters.failToJoin = true;
    const s = service();
    await s.start();
    await s.start();
    expect(clusters.consumers).toHaveLength(1);
    expect(clusters.consumers[0].disconnected).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'Heartbeats cannot be read from cluster "dc2": Failed to find group coordinator',
    );

    clusters.failToJoin = false;
    now += 31_000;
    await s.start();

    expect(clusters.live('dc2')).toHaveLength(1);
    expect(logger.info).toHaveBeenCalledWith(
      'Heartbeats cannot be read from cluster "dc2": works again',
    );
    await s.stop();
  });

  it('ensures topics only for deployments that replicate them', async () => {
    const s = service();
    await s.ensureTopics(deployment('named', { names: ['orders.dc1'] }));
    expect(clusters.created).toEqual([]);

    const noTarget = { ...ORDERS };
    delete noTarget.target;
    await expect(s.ensureTopics(noTarget)).rejects.toThrow(
      `No heartbeat topic for ${ORDERS.ref}: spec.target does not resolve to a cluster under mirrorMaker.clusters; fix the deployment problems first`,
    );

    clusters.topics.dc1.add('mirrormaker-heartbeat.dc1');
    await s.ensureTopics(ORDERS);
    expect(clusters.created).toEqual([
      { cluster: 'dc2', topic: 'mirrormaker-heartbeat.dc1', rf: 3 },
    ]);
  });

  it('refuses an empty group id', () => {
    expect(() => service(' ')).toThrow(
      'The heartbeat consumer group id must be a non-empty string; got " "',
    );
  });
});
