import { TestDatabases } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { MirrorMakerStore } from './MirrorMakerStore';
import { applyDatabaseMigrations } from './migrations';

jest.setTimeout(60_000);

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const HOSTILE_STRINGS = [
  `'; drop table managed_deployments; --`,
  `" OR "1"="1`,
  `it's a \\"quoted\\" back\\slash`,
  '%_ like wildcards _%',
  '?? ? :name $1 placeholders',
  'Grüße, 日本語, עברית, emoji 🚀👩🏽‍💻, combining é',
  '\t tabs \n newlines \r\n and  spaces ',
];

function entityFor(namespace: string, name: string, extra: JsonObject = {}) {
  return {
    apiVersion: 'mirrormaker.io/v1alpha1',
    kind: 'MirrorMakerDeployment',
    metadata: { namespace, name },
    spec: { source: 'dc1', target: 'dc2', whitelist: 'orders\\..*', ...extra },
  };
}

describe('MirrorMakerStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: MirrorMakerStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      store = MirrorMakerStore.fromKnex(knex);
    });

    beforeEach(async () => {
      await knex('managed_deployments').delete();
      await knex('audit_log').delete();
    });

    describe('ping', () => {
      it('resolves while the database is reachable', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('managed deployments', () => {
      it('creates and reads back a deployment', async () => {
        const entity = entityFor('default', 'orders');
        const created = await store.createManagedDeployment({
          namespace: 'default',
          name: 'orders',
          entity,
          actor: 'user:default/alice',
        });

        expect(created).toEqual({
          namespace: 'default',
          name: 'orders',
          entity,
          createdBy: 'user:default/alice',
          createdAt: expect.stringMatching(ISO_8601),
          updatedBy: 'user:default/alice',
          updatedAt: expect.stringMatching(ISO_8601),
          version: 1,
        });
        expect(created.updatedAt).toBe(created.createdAt);
        // The database clock and ours may differ a little, not by hours
        // (which is what a UTC/local time mix-up would show).
        expect(
          Math.abs(Date.parse(created.createdAt) - Date.now()),
        ).toBeLessThan(5 * 60_000);

        await expect(
          store.getManagedDeployment('default', 'orders'),
        ).resolves.toEqual(created);
      });

      it('returns undefined for a deployment that does not exist', async () => {
        await expect(
          store.getManagedDeployment('default', 'missing'),
        ).resolves.toBeUndefined();
      });

      it('stores the namespace and name exactly as given', async () => {
        await store.createManagedDeployment({
          namespace: 'Team-A',
          name: 'Orders',
          entity: entityFor('Team-A', 'Orders'),
          actor: 'user:default/alice',
        });

        await expect(
          store.getManagedDeployment('Team-A', 'Orders'),
        ).resolves.toMatchObject({ namespace: 'Team-A', name: 'Orders' });
        await expect(
          store.getManagedDeployment('team-a', 'orders'),
        ).resolves.toBeUndefined();
      });

      it('lists deployments sorted by namespace, then name', async () => {
        const keys = [
          ['b', 'a'],
          ['a', 'z'],
          ['B', 'c'],
          ['a', 'b'],
          ['b', 'B'],
        ];
        for (const [namespace, name] of keys) {
          await store.createManagedDeployment({
            namespace,
            name,
            entity: entityFor(namespace, name),
            actor: 'user:default/alice',
          });
        }

        const listed = await store.listManagedDeployments();

        expect(listed.map(d => `${d.namespace}/${d.name}`)).toEqual([
          'B/c',
          'a/b',
          'a/z',
          'b/B',
          'b/a',
        ]);
        expect(listed[0].entity).toEqual(entityFor('B', 'c'));
      });

      it('lists nothing when there are no deployments', async () => {
        await expect(store.listManagedDeployments()).resolves.toEqual([]);
      });

      it('throws ConflictError naming the ref when the deployment exists', async () => {
        await store.createManagedDeployment({
          namespace: 'default',
          name: 'orders',
          entity: entityFor('default', 'orders'),
          actor: 'user:default/alice',
        });

        await expect(
          store.createManagedDeployment({
            namespace: 'default',
            name: 'orders',
            entity: entityFor('default', 'orders', { source: 'dc3' }),
            actor: 'user:default/bob',
          }),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: expect.stringContaining('"default/orders"'),
        });

        const kept = await store.getManagedDeployment('default', 'orders');
        expect(kept?.createdBy).toBe('user:default/alice');
        expect(kept?.entity).toEqual(entityFor('default', 'orders'));
      });

      it('lets exactly one of several concurrent creates win', async () => {
        const attempts = await Promise.allSettled(
          ['alice', 'bob', 'carol', 'dave'].map(user =>
            store.createManagedDeployment({
              namespace: 'default',
              name: 'orders',
              entity: entityFor('default', 'orders', { createdFor: user }),
              actor: `user:default/${user}`,
            }),
          ),
        );

        const won = attempts.filter(a => a.status === 'fulfilled');
        const lost = attempts.filter(
          (a): a is PromiseRejectedResult => a.status === 'rejected',
        );
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(3);
        for (const attempt of lost) {
          expect(attempt.reason).toMatchObject({ name: 'ConflictError' });
        }
        await expect(store.listManagedDeployments()).resolves.toHaveLength(1);
      });

      it('allows the same name in different namespaces', async () => {
        for (const namespace of ['default', 'other']) {
          await store.createManagedDeployment({
            namespace,
            name: 'orders',
            entity: entityFor(namespace, 'orders'),
            actor: 'user:default/alice',
          });
        }
        await expect(store.listManagedDeployments()).resolves.toHaveLength(2);
      });

      it('replaces the entity, bumps the version and keeps the creator', async () => {
        const created = await store.createManagedDeployment({
          namespace: 'default',
          name: 'orders',
          entity: entityFor('default', 'orders'),
          actor: 'user:default/alice',
        });

        const first = await store.replaceManagedDeployment({
          namespace: 'default',
          name: 'orders',
          entity: entityFor('default', 'orders', { source: 'dc3' }),
          actor: 'user:default/bob',
        });
        const second = await store.replaceManagedDeployment({
          namespace: 'default',
          name: 'orders',
          entity: entityFor('default', 'orders', { source: 'dc4' }),
          actor: 'service:ci',
        });

        expect(first).toEqual({
          ...created,
          entity: entityFor('default', 'orders', { source: 'dc3' }),
          updatedBy: 'user:default/bob',
          updatedAt: expect.stringMatching(ISO_8601),
          version: 2,
        });
        expect(second).toMatchObject({
          createdBy: 'user:default/alice',
          createdAt: created.createdAt,
          updatedBy: 'service:ci',
          version: 3,
        });
        expect(Date.parse(second.updatedAt)).toBeGreaterThanOrEqual(
          Date.parse(created.updatedAt),
        );
        await expect(
          store.getManagedDeployment('default', 'orders'),
        ).resolves.toEqual(second);
      });

      it('counts every one of several concurrent replaces', async () => {
        await store.createManagedDeployment({
          namespace: 'default',
          name: 'orders',
          entity: entityFor('default', 'orders'),
          actor: 'user:default/alice',
        });

        await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            store.replaceManagedDeployment({
              namespace: 'default',
              name: 'orders',
              entity: entityFor('default', 'orders', { round: i }),
              actor: 'user:default/alice',
            }),
          ),
        );

        const stored = await store.getManagedDeployment('default', 'orders');
        expect(stored?.version).toBe(6);
      });

      it('throws NotFoundError naming the ref when replacing a missing deployment', async () => {
        await expect(
          store.replaceManagedDeployment({
            namespace: 'default',
            name: 'missing',
            entity: entityFor('default', 'missing'),
            actor: 'user:default/alice',
          }),
        ).rejects.toMatchObject({
          name: 'NotFoundError',
          message: expect.stringContaining('"default/missing"'),
        });
        await expect(store.listManagedDeployments()).resolves.toEqual([]);
      });

      it('deletes a deployment and reports whether it existed', async () => {
        await store.createManagedDeployment({
          namespace: 'default',
          name: 'orders',
          entity: entityFor('default', 'orders'),
          actor: 'user:default/alice',
        });
        await store.createManagedDeployment({
          namespace: 'default',
          name: 'payments',
          entity: entityFor('default', 'payments'),
          actor: 'user:default/alice',
        });

        await expect(
          store.deleteManagedDeployment('default', 'orders'),
        ).resolves.toBe(true);
        await expect(
          store.deleteManagedDeployment('default', 'orders'),
        ).resolves.toBe(false);
        await expect(
          store.getManagedDeployment('default', 'orders'),
        ).resolves.toBeUndefined();
        expect((await store.listManagedDeployments()).map(d => d.name)).toEqual(
          ['payments'],
        );
      });

      it('can create a deployment again after deleting it', async () => {
        const args = {
          namespace: 'default',
          name: 'orders',
          entity: entityFor('default', 'orders'),
          actor: 'user:default/alice',
        };
        await store.createManagedDeployment(args);
        await store.replaceManagedDeployment(args);
        await store.deleteManagedDeployment('default', 'orders');

        await expect(
          store.createManagedDeployment(args),
        ).resolves.toMatchObject({ version: 1 });
      });

      it.each(HOSTILE_STRINGS)(
        'round-trips %j in every column',
        async hostile => {
          const entity = {
            ...entityFor(hostile, hostile),
            [hostile]: { [hostile]: [hostile, null, true, 1.5] },
          };
          const created = await store.createManagedDeployment({
            namespace: hostile,
            name: hostile,
            entity,
            actor: hostile,
          });
          expect(created).toMatchObject({
            namespace: hostile,
            name: hostile,
            entity,
            createdBy: hostile,
          });

          const replaced = await store.replaceManagedDeployment({
            namespace: hostile,
            name: hostile,
            entity: { ...entity, replaced: hostile },
            actor: hostile,
          });
          expect(replaced.entity).toEqual({ ...entity, replaced: hostile });
          expect(replaced.updatedBy).toBe(hostile);

          const [listed] = await store.listManagedDeployments();
          expect(listed).toEqual(replaced);
          await expect(
            store.getManagedDeployment(hostile, hostile),
          ).resolves.toEqual(replaced);
          await expect(
            knex.schema.hasTable('managed_deployments'),
          ).resolves.toBe(true);
          await expect(
            store.deleteManagedDeployment(hostile, hostile),
          ).resolves.toBe(true);
        },
      );

      it('round-trips very long values', async () => {
        // 255 code points, 510 UTF-16 units: the column limit counts the former.
        const longKey = '🚀'.repeat(255);
        const huge = `'; drop table x; -- ${'ü'.repeat(1000)}`.repeat(1000);
        const entity = entityFor(longKey, longKey, { huge });

        await store.createManagedDeployment({
          namespace: longKey,
          name: longKey,
          entity,
          actor: longKey,
        });

        const stored = await store.getManagedDeployment(longKey, longKey);
        expect(stored?.namespace).toBe(longKey);
        expect(stored?.name).toBe(longKey);
        expect(stored?.createdBy).toBe(longKey);
        expect(stored?.entity.spec).toEqual(entity.spec);
        expect((stored?.entity.spec as JsonObject).huge).toHaveLength(
          huge.length,
        );
      });

      it('rejects keys longer than the columns hold, on every database alike', async () => {
        const tooLong = 'a'.repeat(256);

        await expect(
          store.createManagedDeployment({
            namespace: 'default',
            name: tooLong,
            entity: entityFor('default', tooLong),
            actor: 'user:default/alice',
          }),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: 'name is 256 characters long; at most 255 are accepted',
        });
        await expect(
          store.createManagedDeployment({
            namespace: tooLong,
            name: 'orders',
            entity: entityFor(tooLong, 'orders'),
            actor: 'user:default/alice',
          }),
        ).rejects.toMatchObject({ name: 'InputError' });
        await expect(store.listManagedDeployments()).resolves.toEqual([]);
      });
    });

    describe('audit log', () => {
      it('appends an event and returns it with id and time', async () => {
        const input = {
          actor: 'user:default/alice',
          action: 'managed-deployment.create',
          entityRef: 'mirrormakerdeployment:default/orders',
          outcome: 'succeeded' as const,
          details: { version: 1, nested: { list: [1, 'two', null, false] } },
        };

        const event = await store.appendAudit(input);

        expect(event).toEqual({
          ...input,
          id: expect.any(Number),
          at: expect.stringMatching(ISO_8601),
        });
        expect(Math.abs(Date.parse(event.at) - Date.now())).toBeLessThan(
          5 * 60_000,
        );
        await expect(store.listAudit()).resolves.toEqual([event]);
      });

      it('leaves out the entity ref and details when none were given', async () => {
        const event = await store.appendAudit({
          actor: 'user:default/alice',
          action: 'managed-deployment.list',
          outcome: 'denied',
        });

        expect(event).not.toHaveProperty('entityRef');
        expect(event).not.toHaveProperty('details');
        const [listed] = await store.listAudit();
        expect(listed).toEqual(event);
        expect(listed).not.toHaveProperty('entityRef');
        expect(listed).not.toHaveProperty('details');
      });

      it('lists newest first and filters by exact entity ref', async () => {
        const refs = [
          'mirrormakerdeployment:default/orders',
          'mirrormakerdeployment:default/payments',
          'mirrormakerdeployment:default/orders',
          undefined,
          'mirrormakerdeployment:default/Orders',
          'mirrormakerdeployment:default/orders%',
        ];
        const appended = [];
        for (const [i, entityRef] of refs.entries()) {
          appended.push(
            await store.appendAudit({
              actor: 'user:default/alice',
              action: `step-${i}`,
              entityRef,
              outcome: 'failed',
            }),
          );
        }

        const all = await store.listAudit();
        expect(all.map(e => e.action)).toEqual([
          'step-5',
          'step-4',
          'step-3',
          'step-2',
          'step-1',
          'step-0',
        ]);
        expect(all).toEqual([...appended].reverse());

        const orders = await store.listAudit({
          entityRef: 'mirrormakerdeployment:default/orders',
        });
        expect(orders.map(e => e.action)).toEqual(['step-2', 'step-0']);

        await expect(
          store.listAudit({ entityRef: 'mirrormakerdeployment:default/none' }),
        ).resolves.toEqual([]);
      });

      it('limits to 100 by default and clamps the limit to 1..500', async () => {
        const rows = Array.from({ length: 520 }, (_, i) => ({
          actor: 'user:default/alice',
          action: `step-${i}`,
          outcome: 'succeeded',
        }));
        // Bulk insert keeps this test fast; chunks stay below SQLite's
        // bound-parameter limit.
        for (let i = 0; i < rows.length; i += 100) {
          await knex('audit_log').insert(rows.slice(i, i + 100));
        }

        const byDefault = await store.listAudit();
        expect(byDefault).toHaveLength(100);
        expect(byDefault[0].action).toBe('step-519');
        expect(byDefault[99].action).toBe('step-420');

        await expect(store.listAudit({ limit: 7 })).resolves.toHaveLength(7);
        await expect(store.listAudit({ limit: 2.9 })).resolves.toHaveLength(2);
        await expect(store.listAudit({ limit: 0 })).resolves.toHaveLength(1);
        await expect(store.listAudit({ limit: -20 })).resolves.toHaveLength(1);
        await expect(store.listAudit({ limit: 500 })).resolves.toHaveLength(
          500,
        );
        await expect(store.listAudit({ limit: 10_000 })).resolves.toHaveLength(
          500,
        );
        await expect(store.listAudit({ limit: NaN })).resolves.toHaveLength(
          100,
        );
        await expect(
          store.listAudit({ limit: Infinity }),
        ).resolves.toHaveLength(100);
      });

      it.each(HOSTILE_STRINGS)('round-trips %j', async hostile => {
        const details = {
          [hostile]: hostile,
          list: [hostile, { deeper: hostile }],
        };

        const event = await store.appendAudit({
          actor: hostile,
          action: hostile,
          entityRef: hostile,
          outcome: 'failed',
          details,
        });

        expect(event).toMatchObject({
          actor: hostile,
          action: hostile,
          entityRef: hostile,
          details,
        });
        await expect(store.listAudit({ entityRef: hostile })).resolves.toEqual([
          event,
        ]);
      });

      it('round-trips very long details', async () => {
        const huge = `'; drop table audit_log; -- ${'日本'.repeat(200_000)}`;
        const event = await store.appendAudit({
          actor: 'user:default/alice',
          action: 'managed-deployment.replace',
          entityRef: '🚀'.repeat(255),
          outcome: 'succeeded',
          details: { huge },
        });

        const [listed] = await store.listAudit({ entityRef: '🚀'.repeat(255) });
        expect(listed.id).toBe(event.id);
        expect(listed.details?.huge).toBe(huge);
      });

      it('rejects an entity ref longer than the column holds', async () => {
        await expect(
          store.appendAudit({
            actor: 'user:default/alice',
            action: 'managed-deployment.create',
            entityRef: 'x'.repeat(300),
            outcome: 'failed',
          }),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: 'entityRef is 300 characters long; at most 255 are accepted',
        });
      });
    });
  });

  describe('create', () => {
    const databaseId = databases.eachSupportedId()[0][0];

    function databaseService(knex: Knex, skip?: boolean) {
      return {
        getClient: async () => knex,
        migrations: skip === undefined ? undefined : { skip },
      };
    }

    it('runs the migrations', async () => {
      const knex = await databases.init(databaseId);

      const store = await MirrorMakerStore.create({
        database: databaseService(knex),
      });

      await expect(knex.schema.hasTable('managed_deployments')).resolves.toBe(
        true,
      );
      await expect(store.listManagedDeployments()).resolves.toEqual([]);
    });

    it('skips the migrations when the database service says so', async () => {
      const knex = await databases.init(databaseId);

      await MirrorMakerStore.create({ database: databaseService(knex, true) });

      await expect(knex.schema.hasTable('managed_deployments')).resolves.toBe(
        false,
      );
    });
  });
});
