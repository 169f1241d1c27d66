import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { FlowSample, HeartbeatRecord, MetricsStore } from './MetricsStore';
import { applyDatabaseMigrations } from './migrations';

jest.setTimeout(60_000);

const ORDERS = 'mirrormaker:default/dc1-to-dc2';
const PAYMENTS = 'mirrormaker:default/dc2-to-dc1';
const T0 = 1_800_000_000_000;

function sample(
  sampledAt: number,
  overrides: Partial<FlowSample> = {},
): FlowSample {
  return {
    deploymentRef: ORDERS,
    sampledAt,
    sourceEndOffsets: 1_000,
    targetEndOffsets: 990,
    lag: 10,
    ...overrides,
  };
}

function beat(
  receivedAt: number,
  overrides: Partial<HeartbeatRecord> = {},
): HeartbeatRecord {
  return {
    deploymentRef: ORDERS,
    sentAt: receivedAt - 120,
    receivedAt,
    latencyMs: 120,
    ...overrides,
  };
}

describe('MetricsStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: MetricsStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      store = MetricsStore.fromKnex(knex);
    });

    beforeEach(async () => {
      await knex('flow_samples').delete();
      await knex('heartbeats').delete();
    });

    it("returns a deployment's samples since a moment, oldest first, as numbers", async () => {
      await store.addFlowSamples([
        sample(T0 + 20_000, { sourceEndOffsets: 3_000 }),
        sample(T0, { sourceEndOffsets: 1_000 }),
        sample(T0 + 10_000, { sourceEndOffsets: 2_000 }),
        sample(T0 + 10_000, { deploymentRef: PAYMENTS }),
      ]);

      await expect(store.flowSamples(ORDERS, T0 + 10_000)).resolves.toEqual([
        sample(T0 + 10_000, { sourceEndOffsets: 2_000 }),
        sample(T0 + 20_000, { sourceEndOffsets: 3_000 }),
      ]);
      await expect(store.flowSamples(PAYMENTS, 0)).resolves.toEqual([
        sample(T0 + 10_000, { deploymentRef: PAYMENTS }),
      ]);
      await expect(
        store.flowSamples('mirrormaker:default/none', 0),
      ).resolves.toEqual([]);
    });

    it('keeps offset sums beyond 32 bits exactly, and nulls as nulls', async () => {
      const big = 2 ** 52 + 3;
      await store.addFlowSamples([
        sample(T0, { sourceEndOffsets: big, targetEndOffsets: big - 1 }),
        sample(T0 + 1, {
          sourceEndOffsets: null,
          targetEndOffsets: null,
          lag: null,
        }),
      ]);

      const [first, second] = await store.flowSamples(ORDERS, 0);
      expect(first.sourceEndOffsets).toBe(big);
      expect(first.targetEndOffsets).toBe(big - 1);
      expect(typeof first.sampledAt).toBe('number');
      expect(second).toEqual({
        deploymentRef: ORDERS,
        sampledAt: T0 + 1,
        sourceEndOffsets: null,
        targetEndOffsets: null,
        lag: null,
      });
    });

    it('stores many samples at once', async () => {
      const many = Array.from({ length: 450 }, (_, i) => sample(T0 + i));
      await store.addFlowSamples(many);
      await store.addFlowSamples([]);

      const stored = await store.flowSamples(ORDERS, 0);
      expect(stored).toHaveLength(450);
      expect(stored[449].sampledAt).toBe(T0 + 449);
    });

    it('refuses values the columns cannot hold, saying what is accepted', async () => {
      await expect(
        store.addFlowSamples([sample(T0, { sourceEndOffsets: -1 })]),
      ).rejects.toThrow(
        'samples[0].sourceEndOffsets must be a whole number from 0 to 9007199254740991, or null when unknown; got -1',
      );
      await expect(
        store.addFlowSamples([sample(T0), sample(NaN)]),
      ).rejects.toThrow(
        'samples[1].sampledAt must be milliseconds since the epoch; got NaN',
      );
      await expect(
        store.addFlowSamples([sample(T0, { deploymentRef: 'x'.repeat(256) })]),
      ).rejects.toThrow(
        'samples[0].deploymentRef is 256 characters long; at most 255 are accepted',
      );
      await expect(
        store.addHeartbeats([beat(T0, { latencyMs: -5 })]),
      ).rejects.toThrow(
        'records[0].latencyMs must be a whole number of milliseconds from 0 to 2147483647; got -5',
      );
      // Nothing of a refused batch is stored.
      await expect(store.flowSamples(ORDERS, 0)).resolves.toEqual([]);
    });

    it('returns heartbeats since a moment by arrival, and the latest one', async () => {
      await store.addHeartbeats([
        beat(T0 + 5_000, { latencyMs: 80, sentAt: T0 + 4_920 }),
        beat(T0),
        beat(T0 + 2_500, { deploymentRef: PAYMENTS }),
      ]);

      await expect(store.heartbeats(ORDERS, T0 + 1)).resolves.toEqual([
        beat(T0 + 5_000, { latencyMs: 80, sentAt: T0 + 4_920 }),
      ]);
      await expect(store.heartbeats(ORDERS, 0)).resolves.toHaveLength(2);
      await expect(store.latestHeartbeat(ORDERS)).resolves.toEqual(
        beat(T0 + 5_000, { latencyMs: 80, sentAt: T0 + 4_920 }),
      );
      await expect(
        store.latestHeartbeat('mirrormaker:default/none'),
      ).resolves.toBeUndefined();
    });

    it('prunes rows older than a moment from both series and says how many', async () => {
      await store.addFlowSamples([
        sample(T0 - 2),
        sample(T0 - 1, { deploymentRef: PAYMENTS }),
        sample(T0),
      ]);
      await store.addHeartbeats([beat(T0 - 1), beat(T0), beat(T0 + 1)]);

      await expect(store.prune(T0)).resolves.toEqual({
        flowSamples: 2,
        heartbeats: 1,
      });

      await expect(store.flowSamples(ORDERS, 0)).resolves.toEqual([sample(T0)]);
      await expect(store.flowSamples(PAYMENTS, 0)).resolves.toEqual([]);
      await expect(store.heartbeats(ORDERS, 0)).resolves.toHaveLength(2);
      await expect(store.prune(T0)).resolves.toEqual({
        flowSamples: 0,
        heartbeats: 0,
      });
    });
  });
});
