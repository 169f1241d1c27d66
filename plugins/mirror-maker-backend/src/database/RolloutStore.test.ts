import { TestDatabases } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { RevisionFile, RolloutStatus, RolloutStore } from './RolloutStore';
import { applyDatabaseMigrations } from './migrations';

jest.setTimeout(60_000);

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const ORDERS = 'mirrormakerdeployment:default/orders';
const PAYMENTS = 'mirrormakerdeployment:default/payments';
const ALICE = 'user:default/alice';
const HASH = 'f'.repeat(64);

const HOSTILE_STRINGS = [
  `'; drop table revisions; --`,
  `" OR "1"="1`,
  `it's a \\"quoted\\" back\\slash`,
  '%_ like wildcards _%',
  '?? ? :name $1 placeholders',
  'Grüße, 日本語, עברית, emoji 🚀👩🏽‍💻, combining é',
  '\t tabs \n newlines \r\n and  spaces ',
  '\u2028 line separators \u2029 and a lone \\u0000 escape',
];

function entityFor(ref: string, extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'mirrormaker.io/v1alpha1',
    kind: 'MirrorMakerDeployment',
    metadata: { namespace: 'default', name: ref.split('/')[1] ?? ref },
    spec: { source: 'dc1', target: 'dc2', whitelist: 'orders\\..*', ...extra },
  };
}

const FILES: RevisionFile[] = [
  {
    path: '/etc/mirror-maker/consumer.properties',
    mode: '0640',
    content: 'bootstrap.servers=dc1:9092\nsasl.jaas.config=<redacted>\n',
  },
  {
    path: '/etc/systemd/system/mirror-maker@.service',
    mode: '0644',
    content: '[Service]\nExecStart=/opt/kafka/bin/kafka-mirror-maker.sh\n',
  },
];

describe('RolloutStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: RolloutStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      store = RolloutStore.fromKnex(knex);
    });

    beforeEach(async () => {
      await knex('deployment_locks').delete();
      await knex('rollout_events').delete();
      await knex('rollouts').delete();
      await knex('revision_approved_topics').delete();
      await knex('revisions').delete();
    });

    function createRevision(deploymentRef = ORDERS, reason = 'change') {
      return store.createRevision({
        deploymentRef,
        contentHash: HASH,
        entity: entityFor(deploymentRef),
        files: FILES,
        actor: ALICE,
        reason,
      });
    }

    async function createRollout(
      options: {
        deploymentRef?: string;
        revisionId?: string;
        reason?: string;
      } = {},
    ) {
      const deploymentRef = options.deploymentRef ?? ORDERS;
      const revisionId =
        options.revisionId ?? (await createRevision(deploymentRef)).id;
      return store.createRollout({
        deploymentRef,
        revisionId,
        kind: 'deploy',
        reason: options.reason ?? 'change',
        actor: ALICE,
        autoRollback: false,
      });
    }

    describe('revisions', () => {
      it('creates a revision and reads it back', async () => {
        const entity = entityFor(ORDERS, { nested: { list: [1, null, true] } });

        const revision = await store.createRevision({
          deploymentRef: ORDERS,
          contentHash: HASH,
          entity,
          files: FILES,
          actor: ALICE,
          reason: 'first deployment',
        });

        expect(revision).toEqual({
          id: expect.stringMatching(UUID),
          deploymentRef: ORDERS,
          number: 1,
          contentHash: HASH,
          createdBy: ALICE,
          createdAt: expect.stringMatching(ISO_8601),
          reason: 'first deployment',
          entity,
          files: FILES,
          approvedTopics: [],
        });
        // The database clock and ours may differ a little, not by hours
        // (which is what a UTC/local time mix-up would show).
        expect(
          Math.abs(Date.parse(revision.createdAt) - Date.now()),
        ).toBeLessThan(5 * 60_000);
        await expect(store.getRevision(revision.id)).resolves.toEqual(revision);
        await expect(store.latestRevision(ORDERS)).resolves.toEqual(revision);
      });

      it('keeps the approved topics a revision was rendered with', async () => {
        const revision = await store.createRevision({
          deploymentRef: ORDERS,
          contentHash: HASH,
          entity: entityFor(ORDERS),
          files: FILES,
          actor: ALICE,
          reason: 'request 1',
          approvedTopics: ['payments.dc1', 'orders.dc1', 'orders.dc1'],
        });

        expect(revision.approvedTopics).toEqual(['orders.dc1', 'payments.dc1']);
        await expect(store.getRevision(revision.id)).resolves.toMatchObject({
          approvedTopics: ['orders.dc1', 'payments.dc1'],
        });
        await expect(store.latestRevision(ORDERS)).resolves.toMatchObject({
          approvedTopics: ['orders.dc1', 'payments.dc1'],
        });
      });

      it('numbers revisions 1, 2, 3 per deployment, independently', async () => {
        const numbers = [];
        for (const ref of [ORDERS, ORDERS, PAYMENTS, ORDERS, PAYMENTS]) {
          numbers.push((await createRevision(ref)).number);
        }

        expect(numbers).toEqual([1, 2, 1, 3, 2]);
        await expect(store.latestRevision(ORDERS)).resolves.toMatchObject({
          number: 3,
        });
        await expect(store.latestRevision(PAYMENTS)).resolves.toMatchObject({
          number: 2,
        });
      });

      it('lists summaries newest first, without entities and files', async () => {
        const created = [];
        for (const reason of ['one', 'two', 'three']) {
          created.push(await createRevision(ORDERS, reason));
        }
        await createRevision(PAYMENTS);

        const listed = await store.listRevisions(ORDERS);

        expect(listed.map(r => [r.number, r.reason])).toEqual([
          [3, 'three'],
          [2, 'two'],
          [1, 'one'],
        ]);
        expect(listed[0]).toEqual({
          id: created[2].id,
          deploymentRef: ORDERS,
          number: 3,
          contentHash: HASH,
          createdBy: ALICE,
          createdAt: created[2].createdAt,
          reason: 'three',
        });
        await expect(
          store.listRevisions('mirrormakerdeployment:default/none'),
        ).resolves.toEqual([]);
      });

      it('returns undefined for revisions that do not exist', async () => {
        await expect(store.getRevision('missing')).resolves.toBeUndefined();
        await expect(store.latestRevision(ORDERS)).resolves.toBeUndefined();
      });

      it('gives concurrent revisions distinct, consecutive numbers', async () => {
        const created = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            createRevision(ORDERS, `parallel ${i}`),
          ),
        );

        expect(created.map(r => r.number).sort()).toEqual([1, 2, 3, 4, 5]);
        const listed = await store.listRevisions(ORDERS);
        expect(listed.map(r => r.number)).toEqual([5, 4, 3, 2, 1]);
        expect(new Set(listed.map(r => r.id)).size).toBe(5);
        for (const revision of created) {
          await expect(store.getRevision(revision.id)).resolves.toEqual(
            revision,
          );
        }
      });

      it('numbers concurrent revisions of several deployments independently', async () => {
        const created = await Promise.all(
          [ORDERS, PAYMENTS, ORDERS, PAYMENTS, ORDERS, PAYMENTS].map(ref =>
            createRevision(ref),
          ),
        );

        const numbersOf = (ref: string) =>
          created
            .filter(r => r.deploymentRef === ref)
            .map(r => r.number)
            .sort();
        expect(numbersOf(ORDERS)).toEqual([1, 2, 3]);
        expect(numbersOf(PAYMENTS)).toEqual([1, 2, 3]);
      });

      it.each(HOSTILE_STRINGS)('round-trips %j', async hostile => {
        const entity = {
          ...entityFor(hostile),
          [hostile]: { [hostile]: [hostile, null, false, -0.5] },
        };
        const files = [
          { path: hostile, mode: hostile, content: hostile },
          { path: '', mode: '', content: '' },
        ];

        const revision = await store.createRevision({
          deploymentRef: hostile,
          contentHash: hostile,
          entity,
          files,
          actor: hostile,
          reason: hostile,
        });

        expect(revision).toMatchObject({
          deploymentRef: hostile,
          contentHash: hostile,
          entity,
          files,
          createdBy: hostile,
          reason: hostile,
        });
        await expect(store.getRevision(revision.id)).resolves.toEqual(revision);
        await expect(store.latestRevision(hostile)).resolves.toEqual(revision);
        await expect(store.listRevisions(hostile)).resolves.toHaveLength(1);
      });

      it('round-trips very large contents', async () => {
        const huge = `'; drop table revisions; -- ${'ü日🚀'.repeat(100_000)}`;
        const files = Array.from({ length: 20 }, (_, i) => ({
          path: `/etc/mirror-maker/${i}.properties`,
          mode: '0600',
          content: `${i}${huge}`,
        }));
        const entity = entityFor(ORDERS, { huge });
        const longRef = '🚀'.repeat(255);

        const revision = await store.createRevision({
          deploymentRef: longRef,
          contentHash: HASH,
          entity,
          files,
          actor: longRef,
          reason: huge,
        });

        const stored = await store.getRevision(revision.id);
        expect(stored?.deploymentRef).toBe(longRef);
        expect(stored?.reason).toBe(huge);
        expect(stored?.entity).toEqual(entity);
        expect(stored?.files).toEqual(files);
      });

      it('keeps only path, mode and content of the files', async () => {
        const revision = await store.createRevision({
          deploymentRef: ORDERS,
          contentHash: HASH,
          entity: entityFor(ORDERS),
          files: [
            {
              path: '/a',
              mode: '0600',
              content: 'x',
              secret: 'hunter2',
            } as RevisionFile,
          ],
          actor: ALICE,
          reason: 'change',
        });

        const stored = await store.getRevision(revision.id);
        expect(stored?.files).toEqual([
          { path: '/a', mode: '0600', content: 'x' },
        ]);
        expect(JSON.stringify(stored)).not.toContain('hunter2');
      });

      it('rejects values the columns cannot hold, on every database alike', async () => {
        const valid = {
          deploymentRef: ORDERS,
          contentHash: HASH,
          entity: entityFor(ORDERS),
          files: FILES,
          actor: ALICE,
          reason: 'change',
        };

        await expect(
          store.createRevision({ ...valid, contentHash: 'a'.repeat(65) }),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: 'contentHash is 65 characters long; at most 64 are accepted',
        });
        await expect(
          store.createRevision({ ...valid, deploymentRef: 'x'.repeat(256) }),
        ).rejects.toMatchObject({ name: 'InputError' });
        await expect(
          store.createRevision({ ...valid, actor: 'x'.repeat(256) }),
        ).rejects.toMatchObject({ name: 'InputError' });
        await expect(
          store.createRevision({
            ...valid,
            files: [{ path: '/a', mode: '0600' } as RevisionFile],
          }),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: 'files[0] must have string path, mode and content',
        });
        await expect(
          store.createRevision({
            ...valid,
            entity: [] as unknown as JsonObject,
          }),
        ).rejects.toMatchObject({ name: 'InputError' });
        await expect(store.listRevisions(ORDERS)).resolves.toEqual([]);
      });
    });

    describe('rollouts', () => {
      it('creates a pending rollout with the revision number', async () => {
        await createRevision();
        const revision = await createRevision();

        const rollout = await store.createRollout({
          deploymentRef: ORDERS,
          revisionId: revision.id,
          kind: 'deploy',
          reason: 'new whitelist',
          actor: ALICE,
          autoRollback: false,
        });

        expect(rollout).toEqual({
          id: expect.stringMatching(UUID),
          deploymentRef: ORDERS,
          revisionId: revision.id,
          revisionNumber: 2,
          kind: 'deploy',
          status: 'pending',
          reason: 'new whitelist',
          actor: ALICE,
          createdAt: expect.stringMatching(ISO_8601),
          totalSteps: 0,
          doneSteps: 0,
          autoRollback: false,
        });
        for (const absent of [
          'previousRevisionId',
          'startedAt',
          'finishedAt',
          'message',
        ]) {
          expect(rollout).not.toHaveProperty(absent);
        }
        expect(
          Math.abs(Date.parse(rollout.createdAt) - Date.now()),
        ).toBeLessThan(5 * 60_000);
        await expect(store.getRollout(rollout.id)).resolves.toEqual(rollout);
      });

      it('keeps the previous revision and the auto rollback flag', async () => {
        const previous = await createRevision();
        const revision = await createRevision();

        const rollout = await store.createRollout({
          deploymentRef: ORDERS,
          revisionId: revision.id,
          previousRevisionId: previous.id,
          kind: 'rollback',
          reason: 'broken',
          actor: ALICE,
          autoRollback: true,
        });

        expect(rollout).toMatchObject({
          previousRevisionId: previous.id,
          kind: 'rollback',
          autoRollback: true,
        });
        const stored = await store.getRollout(rollout.id);
        expect(stored).toEqual(rollout);
        expect(stored?.autoRollback).toBe(true);
      });

      it('refuses revisions that do not exist or belong to another deployment', async () => {
        const payments = await createRevision(PAYMENTS);
        const orders = await createRevision(ORDERS);
        const args = {
          deploymentRef: ORDERS,
          revisionId: orders.id,
          kind: 'deploy' as const,
          reason: 'change',
          actor: ALICE,
          autoRollback: false,
        };

        await expect(
          store.createRollout({ ...args, revisionId: 'missing' }),
        ).rejects.toMatchObject({
          name: 'NotFoundError',
          message: 'Revision "missing" does not exist',
        });
        await expect(
          store.createRollout({ ...args, revisionId: payments.id }),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringContaining(PAYMENTS),
        });
        await expect(
          store.createRollout({ ...args, previousRevisionId: 'missing' }),
        ).rejects.toMatchObject({ name: 'NotFoundError' });
        await expect(
          store.createRollout({ ...args, previousRevisionId: payments.id }),
        ).rejects.toMatchObject({ name: 'InputError' });
        await expect(
          store.createRollout({ ...args, kind: 'redeploy' as 'deploy' }),
        ).rejects.toMatchObject({ name: 'InputError' });
        await expect(store.listRollouts(ORDERS)).resolves.toEqual([]);
      });

      it('returns undefined for a rollout that does not exist', async () => {
        await expect(store.getRollout('missing')).resolves.toBeUndefined();
      });

      it('goes through its lifecycle', async () => {
        const created = await createRollout();
        const startedAt = '2026-11-24T10:00:00.123Z';
        const finishedAt = '2026-11-24T10:05:30.987Z';

        const running = await store.updateRollout(created.id, {
          status: 'running',
          startedAt,
          totalSteps: 6,
        });
        expect(running).toEqual({
          ...created,
          status: 'running',
          startedAt,
          totalSteps: 6,
        });

        const progressed = await store.updateRollout(created.id, {
          doneSteps: 3,
        });
        expect(progressed).toEqual({ ...running, doneSteps: 3 });

        const failed = await store.updateRollout(created.id, {
          status: 'failed',
          finishedAt,
          doneSteps: 4,
          message: `host "kafka-2" did not start: '; drop table rollouts; --`,
        });
        expect(failed).toEqual({
          ...progressed,
          status: 'failed',
          finishedAt,
          doneSteps: 4,
          message: `host "kafka-2" did not start: '; drop table rollouts; --`,
        });
        await expect(store.getRollout(created.id)).resolves.toEqual(failed);
      });

      it('normalizes times to UTC', async () => {
        const created = await createRollout();

        const updated = await store.updateRollout(created.id, {
          startedAt: '2026-11-24T12:00:00.5+02:00',
        });

        expect(updated.startedAt).toBe('2026-11-24T10:00:00.500Z');
      });

      it('returns the rollout unchanged for an empty patch', async () => {
        const created = await createRollout();

        await expect(store.updateRollout(created.id, {})).resolves.toEqual(
          created,
        );
      });

      it('throws NotFoundError when updating a rollout that does not exist', async () => {
        await expect(
          store.updateRollout('missing', { status: 'running' }),
        ).rejects.toMatchObject({
          name: 'NotFoundError',
          message: 'Rollout "missing" does not exist',
        });
        await expect(store.updateRollout('missing', {})).rejects.toMatchObject({
          name: 'NotFoundError',
        });
      });

      it('rejects updates the columns cannot hold', async () => {
        const created = await createRollout();

        for (const patch of [
          { status: 'done' as RolloutStatus },
          { startedAt: 'yesterday' },
          { totalSteps: -1 },
          { doneSteps: 1.5 },
          { totalSteps: 2 ** 31 },
        ]) {
          await expect(
            store.updateRollout(created.id, patch),
          ).rejects.toMatchObject({ name: 'InputError' });
        }
        await expect(store.getRollout(created.id)).resolves.toEqual(created);
      });

      it('lists newest first, per deployment', async () => {
        const created = [];
        for (const reason of ['one', 'two', 'three', 'four']) {
          created.push(await createRollout({ reason }));
        }
        await createRollout({ deploymentRef: PAYMENTS });

        const listed = await store.listRollouts(ORDERS);

        // Made within the same second, which is all SQLite's clock tells apart.
        expect(listed.map(r => r.reason)).toEqual([
          'four',
          'three',
          'two',
          'one',
        ]);
        expect(listed).toEqual([...created].reverse());
        await expect(
          store.listRollouts('mirrormakerdeployment:default/none'),
        ).resolves.toEqual([]);
      });

      it('orders by creation time before id', async () => {
        const revision = await createRevision();
        const row = {
          deployment_ref: ORDERS,
          revision_id: revision.id,
          kind: 'deploy',
          status: 'succeeded',
          actor: ALICE,
        };
        await knex('rollouts').insert([
          {
            ...row,
            id: 'a',
            reason: 'newest',
            created_at: new Date('2026-11-24T12:00:00Z'),
          },
          {
            ...row,
            id: 'z',
            reason: 'oldest',
            created_at: new Date('2026-11-24T10:00:00Z'),
          },
          {
            ...row,
            id: 'm',
            reason: 'middle',
            created_at: new Date('2026-11-24T11:00:00Z'),
          },
        ]);

        const listed = await store.listRollouts(ORDERS);

        expect(listed.map(r => r.reason)).toEqual([
          'newest',
          'middle',
          'oldest',
        ]);
        expect(listed[0].createdAt).toBe('2026-11-24T12:00:00.000Z');
      });

      it('limits to 50 by default and clamps the limit to 1..500', async () => {
        const revision = await createRevision();
        const rows = Array.from({ length: 520 }, (_, i) => ({
          id: `rollout-${String(i).padStart(3, '0')}`,
          deployment_ref: ORDERS,
          revision_id: revision.id,
          kind: 'deploy',
          status: 'succeeded',
          reason: `step-${i}`,
          actor: ALICE,
          created_at: new Date(Date.UTC(2026, 10, 24, 0, 0, i)),
        }));
        // Chunks stay below SQLite's bound-parameter limit.
        for (let i = 0; i < rows.length; i += 50) {
          await knex('rollouts').insert(rows.slice(i, i + 50));
        }

        const byDefault = await store.listRollouts(ORDERS);
        expect(byDefault).toHaveLength(50);
        expect(byDefault[0].reason).toBe('step-519');
        expect(byDefault[49].reason).toBe('step-470');
        expect(byDefault[0].revisionNumber).toBe(1);

        const limitOf = async (limit: number) =>
          (await store.listRollouts(ORDERS, { limit })).length;
        await expect(limitOf(7)).resolves.toBe(7);
        await expect(limitOf(2.9)).resolves.toBe(2);
        await expect(limitOf(0)).resolves.toBe(1);
        await expect(limitOf(-20)).resolves.toBe(1);
        await expect(limitOf(500)).resolves.toBe(500);
        await expect(limitOf(10_000)).resolves.toBe(500);
        await expect(limitOf(NaN)).resolves.toBe(50);
        await expect(limitOf(Infinity)).resolves.toBe(50);
      });

      it('lists rollouts by status, oldest first, across deployments', async () => {
        const first = await createRollout({ reason: 'first' });
        const second = await createRollout({
          deploymentRef: PAYMENTS,
          reason: 'second',
        });
        const third = await createRollout({ reason: 'third' });
        const fourth = await createRollout({ reason: 'fourth' });
        await store.updateRollout(first.id, { status: 'running' });
        await store.updateRollout(third.id, { status: 'succeeded' });
        await store.updateRollout(fourth.id, { status: 'running' });

        const unfinished = await store.listRolloutsByStatus([
          'pending',
          'running',
        ]);

        expect(unfinished.map(r => r.reason)).toEqual([
          'first',
          'second',
          'fourth',
        ]);
        expect(unfinished[1]).toEqual(second);
        await expect(
          store.listRolloutsByStatus(['succeeded']),
        ).resolves.toMatchObject([{ id: third.id }]);
        await expect(store.listRolloutsByStatus(['failed'])).resolves.toEqual(
          [],
        );
        await expect(store.listRolloutsByStatus([])).resolves.toEqual([]);
        await expect(
          store.listRolloutsByStatus(['done' as RolloutStatus]),
        ).rejects.toMatchObject({ name: 'InputError' });
      });

      it('finds the revision of the newest succeeded rollout', async () => {
        await expect(
          store.lastSucceededRevision(ORDERS),
        ).resolves.toBeUndefined();

        const one = await createRevision(ORDERS, 'one');
        const two = await createRevision(ORDERS, 'two');
        const three = await createRevision(ORDERS, 'three');
        const payments = await createRevision(PAYMENTS);
        const statuses: [string, RolloutStatus][] = [
          [one.id, 'succeeded'],
          [three.id, 'succeeded'],
          [two.id, 'succeeded'],
          [three.id, 'failed'],
          [one.id, 'stopped'],
          [three.id, 'running'],
        ];
        for (const [revisionId, status] of statuses) {
          const rollout = await createRollout({ revisionId });
          await store.updateRollout(rollout.id, { status });
        }
        const other = await createRollout({
          deploymentRef: PAYMENTS,
          revisionId: payments.id,
        });

        await expect(store.lastSucceededRevision(ORDERS)).resolves.toEqual({
          id: two.id,
          deploymentRef: ORDERS,
          number: 2,
          contentHash: HASH,
          createdBy: ALICE,
          createdAt: two.createdAt,
          reason: 'two',
        });
        await expect(
          store.lastSucceededRevision(PAYMENTS),
        ).resolves.toBeUndefined();
        await store.updateRollout(other.id, { status: 'succeeded' });
        await expect(
          store.lastSucceededRevision(PAYMENTS),
        ).resolves.toMatchObject({ id: payments.id, number: 1 });
      });

      it.each(HOSTILE_STRINGS)('round-trips %j', async hostile => {
        const revision = await createRevision(hostile);

        const rollout = await store.createRollout({
          deploymentRef: hostile,
          revisionId: revision.id,
          kind: 'deploy',
          reason: hostile,
          actor: hostile,
          autoRollback: true,
        });
        const updated = await store.updateRollout(rollout.id, {
          message: hostile,
        });

        expect(updated).toMatchObject({
          deploymentRef: hostile,
          reason: hostile,
          actor: hostile,
          message: hostile,
        });
        await expect(store.listRollouts(hostile)).resolves.toEqual([updated]);
      });
    });

    describe('events', () => {
      it('appends events and lists them oldest first', async () => {
        const rollout = await createRollout();
        const other = await createRollout();
        const inputs = [
          {
            rolloutId: rollout.id,
            step: 0,
            total: 4,
            kind: 'plan',
            message: 'planned 4 steps',
          },
          {
            rolloutId: rollout.id,
            step: 1,
            total: 4,
            host: 'kafka-1.dc2',
            processIndex: 0,
            kind: 'stop',
            message: 'stopped',
            durationMs: 1520,
          },
          {
            rolloutId: rollout.id,
            step: 2,
            total: 4,
            host: 'kafka-1.dc2',
            processIndex: 0,
            kind: 'start',
            message: 'started',
            durationMs: 0,
          },
        ];

        const appended = [];
        for (const input of inputs) {
          appended.push(await store.appendEvent(input));
          await store.appendEvent({ ...input, rolloutId: other.id });
        }

        expect(appended[0]).toEqual({
          ...inputs[0],
          id: expect.any(Number),
          at: expect.stringMatching(ISO_8601),
        });
        for (const absent of ['host', 'processIndex', 'durationMs']) {
          expect(appended[0]).not.toHaveProperty(absent);
        }
        expect(appended[1]).toEqual({
          ...inputs[1],
          id: expect.any(Number),
          at: expect.stringMatching(ISO_8601),
        });
        expect(Math.abs(Date.parse(appended[0].at) - Date.now())).toBeLessThan(
          5 * 60_000,
        );
        await expect(store.listEvents(rollout.id)).resolves.toEqual(appended);
        await expect(store.listEvents(other.id)).resolves.toHaveLength(3);
        await expect(store.listEvents('missing')).resolves.toEqual([]);
      });

      it('rounds durations to whole milliseconds', async () => {
        const rollout = await createRollout();

        const event = await store.appendEvent({
          rolloutId: rollout.id,
          step: 1,
          total: 1,
          kind: 'health',
          message: 'healthy',
          durationMs: 12.6,
        });

        expect(event.durationMs).toBe(13);
      });

      it('throws NotFoundError for a rollout that does not exist', async () => {
        await expect(
          store.appendEvent({
            rolloutId: 'missing',
            step: 0,
            total: 1,
            kind: 'plan',
            message: 'planned',
          }),
        ).rejects.toMatchObject({
          name: 'NotFoundError',
          message: 'Rollout "missing" does not exist',
        });
        await expect(knex('rollout_events')).resolves.toEqual([]);
      });

      it('rejects values the columns cannot hold', async () => {
        const rollout = await createRollout();
        const valid = {
          rolloutId: rollout.id,
          step: 0,
          total: 1,
          kind: 'plan',
          message: 'planned',
        };

        for (const input of [
          { ...valid, kind: 'k'.repeat(33) },
          { ...valid, host: 'h'.repeat(256) },
          { ...valid, step: 0.5 },
          { ...valid, processIndex: NaN },
          { ...valid, durationMs: -1 },
        ]) {
          await expect(store.appendEvent(input)).rejects.toMatchObject({
            name: 'InputError',
          });
        }
        await expect(store.listEvents(rollout.id)).resolves.toEqual([]);
      });

      it.each(HOSTILE_STRINGS)('round-trips %j', async hostile => {
        const rollout = await createRollout();
        const huge = `${hostile}${'日本'.repeat(100_000)}`;

        const event = await store.appendEvent({
          rolloutId: rollout.id,
          step: 1,
          total: 2,
          host: hostile,
          kind: 'log',
          message: huge,
        });

        expect(event).toMatchObject({ host: hostile, message: huge });
        await expect(store.listEvents(rollout.id)).resolves.toEqual([event]);
      });
    });

    describe('locks', () => {
      const NOW = 1_800_000_000_000;
      const TTL = 30_000;

      it('takes a free lock and reports it', async () => {
        await expect(store.getLock(ORDERS)).resolves.toBeUndefined();

        await expect(
          store.acquireLock(ORDERS, {
            rolloutId: 'rollout-1',
            owner: 'backend-a',
            ttlMs: TTL,
            now: NOW,
          }),
        ).resolves.toBe(true);

        const lock = await store.getLock(ORDERS);
        expect(lock).toEqual({
          deploymentRef: ORDERS,
          rolloutId: 'rollout-1',
          owner: 'backend-a',
          acquiredAt: NOW,
          expiresAt: NOW + TTL,
        });
        expect(typeof lock?.expiresAt).toBe('number');
        await expect(store.getLock(PAYMENTS)).resolves.toBeUndefined();
      });

      it('uses the current time when none is given', async () => {
        const before = Date.now();
        await store.acquireLock(ORDERS, {
          rolloutId: 'rollout-1',
          owner: 'backend-a',
          ttlMs: TTL,
        });
        const after = Date.now();

        const lock = await store.getLock(ORDERS);
        expect(lock?.acquiredAt).toBeGreaterThanOrEqual(before);
        expect(lock?.acquiredAt).toBeLessThanOrEqual(after);
        expect(lock?.expiresAt).toBe((lock?.acquiredAt ?? 0) + TTL);
      });

      it('refuses a live lock to anyone else', async () => {
        await store.acquireLock(ORDERS, {
          rolloutId: 'rollout-1',
          owner: 'backend-a',
          ttlMs: TTL,
          now: NOW,
        });

        await expect(
          store.acquireLock(ORDERS, {
            rolloutId: 'rollout-2',
            owner: 'backend-b',
            ttlMs: TTL,
            now: NOW + TTL - 1,
          }),
        ).resolves.toBe(false);
        await expect(
          store.acquireLock(ORDERS, {
            rolloutId: 'rollout-2',
            owner: 'backend-a',
            ttlMs: TTL,
            now: NOW + 1,
          }),
        ).resolves.toBe(false);
        await expect(
          store.acquireLock(ORDERS, {
            rolloutId: 'rollout-1',
            owner: 'backend-b',
            ttlMs: TTL,
            now: NOW + 1,
          }),
        ).resolves.toBe(false);
        await expect(store.getLock(ORDERS)).resolves.toMatchObject({
          rolloutId: 'rollout-1',
          owner: 'backend-a',
          expiresAt: NOW + TTL,
        });

        await expect(
          store.acquireLock(PAYMENTS, {
            rolloutId: 'rollout-2',
            owner: 'backend-b',
            ttlMs: TTL,
            now: NOW + 1,
          }),
        ).resolves.toBe(true);
      });

      it('lets the holder take its own lock again, extending it', async () => {
        const args = { rolloutId: 'rollout-1', owner: 'backend-a', ttlMs: TTL };
        await store.acquireLock(ORDERS, { ...args, now: NOW });

        await expect(
          store.acquireLock(ORDERS, { ...args, now: NOW + 10 }),
        ).resolves.toBe(true);
        await expect(store.getLock(ORDERS)).resolves.toMatchObject({
          expiresAt: NOW + 10 + TTL,
        });
      });

      it('hands an expired lock to the next rollout', async () => {
        await store.acquireLock(ORDERS, {
          rolloutId: 'rollout-1',
          owner: 'backend-a',
          ttlMs: TTL,
          now: NOW,
        });

        await expect(
          store.acquireLock(ORDERS, {
            rolloutId: 'rollout-2',
            owner: 'backend-b',
            ttlMs: 5_000,
            now: NOW + TTL,
          }),
        ).resolves.toBe(true);

        await expect(store.getLock(ORDERS)).resolves.toEqual({
          deploymentRef: ORDERS,
          rolloutId: 'rollout-2',
          owner: 'backend-b',
          acquiredAt: NOW + TTL,
          expiresAt: NOW + TTL + 5_000,
        });
        await expect(
          store.renewLock(ORDERS, 'rollout-1', TTL, NOW + TTL + 1),
        ).resolves.toBe(false);
      });

      it('renews only for the holder', async () => {
        await store.acquireLock(ORDERS, {
          rolloutId: 'rollout-1',
          owner: 'backend-a',
          ttlMs: TTL,
          now: NOW,
        });

        await expect(
          store.renewLock(ORDERS, 'rollout-2', TTL, NOW + 1_000),
        ).resolves.toBe(false);
        await expect(store.getLock(ORDERS)).resolves.toMatchObject({
          expiresAt: NOW + TTL,
        });

        await expect(
          store.renewLock(ORDERS, 'rollout-1', TTL, NOW + 1_000),
        ).resolves.toBe(true);
        await expect(store.getLock(ORDERS)).resolves.toEqual({
          deploymentRef: ORDERS,
          rolloutId: 'rollout-1',
          owner: 'backend-a',
          acquiredAt: NOW,
          expiresAt: NOW + 1_000 + TTL,
        });

        // Late, but nobody took it over in between.
        await expect(
          store.renewLock(ORDERS, 'rollout-1', TTL, NOW + 1_000 + TTL + 5),
        ).resolves.toBe(true);
        await expect(
          store.renewLock(PAYMENTS, 'rollout-1', TTL, NOW),
        ).resolves.toBe(false);
        await expect(store.getLock(PAYMENTS)).resolves.toBeUndefined();
      });

      it('releases only for the holder', async () => {
        await store.acquireLock(ORDERS, {
          rolloutId: 'rollout-1',
          owner: 'backend-a',
          ttlMs: TTL,
          now: NOW,
        });

        await store.releaseLock(ORDERS, 'rollout-2');
        await expect(store.getLock(ORDERS)).resolves.toMatchObject({
          rolloutId: 'rollout-1',
        });
        await store.releaseLock(PAYMENTS, 'rollout-1');
        await expect(store.getLock(ORDERS)).resolves.toBeDefined();

        await store.releaseLock(ORDERS, 'rollout-1');
        await expect(store.getLock(ORDERS)).resolves.toBeUndefined();
        await expect(store.releaseLock(ORDERS, 'rollout-1')).resolves.toBe(
          undefined,
        );

        await expect(
          store.acquireLock(ORDERS, {
            rolloutId: 'rollout-2',
            owner: 'backend-b',
            ttlMs: TTL,
            now: NOW + 1,
          }),
        ).resolves.toBe(true);
      });

      it('lets exactly one of several concurrent acquirers win a free lock', async () => {
        const locks = store;
        for (let round = 0; round < 5; round++) {
          await knex('deployment_locks').delete();

          const results = await Promise.all(
            Array.from({ length: 6 }, (_, i) =>
              locks.acquireLock(ORDERS, {
                rolloutId: `rollout-${i}`,
                owner: `backend-${i}`,
                ttlMs: TTL,
                now: NOW,
              }),
            ),
          );

          expect(results.filter(Boolean)).toHaveLength(1);
          const winner = results.indexOf(true);
          await expect(store.getLock(ORDERS)).resolves.toMatchObject({
            rolloutId: `rollout-${winner}`,
            owner: `backend-${winner}`,
          });
        }
      });

      it('lets exactly one of several concurrent acquirers take over an expired lock', async () => {
        const locks = store;
        for (let round = 0; round < 5; round++) {
          await knex('deployment_locks').delete();
          await store.acquireLock(ORDERS, {
            rolloutId: 'crashed',
            owner: 'backend-gone',
            ttlMs: TTL,
            now: NOW,
          });

          const results = await Promise.all(
            Array.from({ length: 6 }, (_, i) =>
              locks.acquireLock(ORDERS, {
                rolloutId: `rollout-${i}`,
                owner: `backend-${i}`,
                ttlMs: TTL,
                now: NOW + TTL + i,
              }),
            ),
          );

          expect(results.filter(Boolean)).toHaveLength(1);
          const winner = results.indexOf(true);
          await expect(store.getLock(ORDERS)).resolves.toMatchObject({
            rolloutId: `rollout-${winner}`,
          });
        }
      });

      it('rejects times and durations that cannot be stored', async () => {
        const args = { rolloutId: 'rollout-1', owner: 'backend-a', now: NOW };

        for (const ttlMs of [0, -1, NaN, Infinity]) {
          await expect(
            store.acquireLock(ORDERS, { ...args, ttlMs }),
          ).rejects.toMatchObject({ name: 'InputError' });
        }
        await expect(
          store.acquireLock(ORDERS, { ...args, ttlMs: TTL, now: NaN }),
        ).rejects.toMatchObject({ name: 'InputError' });
        await expect(
          store.renewLock(ORDERS, 'rollout-1', 0, NOW),
        ).rejects.toMatchObject({ name: 'InputError' });
        await expect(store.getLock(ORDERS)).resolves.toBeUndefined();
      });

      it('stores fractional times as whole milliseconds', async () => {
        await store.acquireLock(ORDERS, {
          rolloutId: 'rollout-1',
          owner: 'backend-a',
          ttlMs: 1000.4,
          now: NOW + 0.6,
        });

        await expect(store.getLock(ORDERS)).resolves.toMatchObject({
          acquiredAt: NOW + 1,
          expiresAt: NOW + 1001,
        });
      });
    });
  });
});
