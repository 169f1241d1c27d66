import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from './migrations';
import { NewReplicationRequest, RequestStore } from './RequestStore';

jest.setTimeout(60_000);

const DEPLOYMENT = 'mirrormaker:default/dc1-to-dc2';
const ALICE = 'user:default/alice';
const KIM = 'user:default/kim';

const HOSTILE = [
  `'; drop table replication_requests; --`,
  `" OR "1"="1`,
  '%_ like wildcards _%',
  '?? ? :name $1 placeholders',
  'Grüße, 日本語, emoji 🚀',
  '\t tabs \n newlines \r\n',
];

function newRequest(
  overrides: Partial<NewReplicationRequest> = {},
): NewReplicationRequest {
  return {
    requester: ALICE,
    team: 'group:default/team-dc2',
    service: 'component:default/orders-service',
    topics: ['orders.dc1'],
    sourceDataCentre: 'dc1',
    targetDataCentre: 'dc2',
    sourceCluster: 'dc1',
    targetCluster: 'dc2',
    deploymentRef: DEPLOYMENT,
    newDeployment: false,
    reason: 'billing in dc2 reads orders',
    warnings: [],
    ...overrides,
  };
}

const submitted = { type: 'submitted', actor: ALICE, message: 'filed' };

describe('RequestStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: RequestStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });
    beforeEach(async () => {
      await knex('replication_request_events').delete();
      await knex('replication_requests').delete();
      store = RequestStore.fromKnex(knex);
    });

    it('stores a request with its whole shape and reads it back', async () => {
      const created = await store.create(
        newRequest({
          desiredDate: '2026-12-01',
          warnings: [
            {
              field: 'desiredDate',
              message: 'in the past',
              severity: 'warning',
            },
          ],
        }),
        [
          submitted,
          { type: 'validated', actor: 'plugin:mirror-maker', message: 'ok' },
        ],
      );
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'pending',
        requester: ALICE,
        team: 'group:default/team-dc2',
        service: 'component:default/orders-service',
        topics: ['orders.dc1'],
        sourceDataCentre: 'dc1',
        targetDataCentre: 'dc2',
        sourceCluster: 'dc1',
        targetCluster: 'dc2',
        deploymentRef: DEPLOYMENT,
        newDeployment: false,
        reason: 'billing in dc2 reads orders',
        desiredDate: '2026-12-01',
        warnings: [
          { field: 'desiredDate', message: 'in the past', severity: 'warning' },
        ],
        createdAt: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
        events: [
          { ...submitted, at: expect.any(String) },
          expect.objectContaining({ type: 'validated' }),
        ],
      });
      await expect(store.get(created.id)).resolves.toEqual(created);
      await expect(store.get('nope')).resolves.toBeUndefined();
    });

    it('lists newest first, filtered by status and by any ref of the request', async () => {
      const a = await store.create(newRequest(), [submitted]);
      const b = await store.create(
        newRequest({
          requester: KIM,
          team: 'group:default/other',
          service: undefined,
        }),
        [submitted],
      );
      const c = await store.create(
        newRequest({
          deploymentRef: undefined,
          newDeployment: true,
          suffix: 'dc1',
          topics: [],
        }),
        [submitted],
      );
      await store.transition(
        a.id,
        ['pending'],
        'rejected',
        {
          decision: { by: KIM, at: new Date().toISOString(), reason: 'no' },
        },
        { type: 'rejected', actor: KIM, message: 'no' },
      );

      const ids = (list: { id: string }[]) => list.map(r => r.id);
      expect(ids(await store.list())).toEqual([c.id, b.id, a.id]);
      expect(ids(await store.list({ statuses: ['pending'] }))).toEqual([
        c.id,
        b.id,
      ]);
      expect(ids(await store.list({ entity: KIM }))).toEqual([b.id]);
      expect(
        ids(await store.list({ entity: 'component:default/orders-service' })),
      ).toEqual([c.id, a.id]);
      expect(ids(await store.list({ entity: DEPLOYMENT }))).toEqual([
        b.id,
        a.id,
      ]);
      expect(
        ids(
          await store.list({
            entity: 'group:default/other',
            statuses: ['rejected'],
          }),
        ),
      ).toEqual([]);
      await expect(store.list({ statuses: ['bogus' as any] })).rejects.toThrow(
        /not a request status/,
      );
    });

    it('moves status only from the allowed ones, naming the current status otherwise', async () => {
      const r = await store.create(newRequest(), [submitted]);
      const at = new Date().toISOString();
      const approved = await store.transition(
        r.id,
        ['pending'],
        'approved',
        {
          decision: { by: KIM, at, reason: 'fine' },
          rolloutId: 'x'.repeat(36),
        },
        { type: 'approved', actor: KIM, message: 'approved' },
      );
      expect(approved).toMatchObject({
        status: 'approved',
        decision: { by: KIM, at, reason: 'fine' },
        rolloutId: 'x'.repeat(36),
      });
      expect(approved.events.map(e => e.type)).toEqual([
        'submitted',
        'approved',
      ]);
      await expect(
        store.transition(
          r.id,
          ['pending'],
          'rejected',
          {},
          {
            type: 'rejected',
            actor: KIM,
            message: 'no',
          },
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /is approved; only a request that is pending/,
        ),
      });
      await expect(
        store.transition('missing', ['pending'], 'rejected', {}, submitted),
      ).rejects.toMatchObject({ name: 'NotFoundError' });

      const applied = await store.transition(
        r.id,
        ['approved'],
        'applied',
        { revision: 3, scheduledFor: null },
        {
          type: 'applied',
          actor: 'plugin:mirror-maker',
          message: 'revision 3',
        },
      );
      expect(applied).toMatchObject({ status: 'applied', revision: 3 });
      await expect(
        store.update(r.id, ['approved'], { rolloutId: null }),
      ).resolves.toBeUndefined();
    });

    it('sums the topics of approved and applied requests per deployment', async () => {
      const a = await store.create(newRequest({ topics: ['b.dc1', 'a.dc1'] }), [
        submitted,
      ]);
      const b = await store.create(newRequest({ topics: ['a.dc1', 'c.dc1'] }), [
        submitted,
      ]);
      await store.create(newRequest({ topics: ['pending.dc1'] }), [submitted]);
      const other = await store.create(
        newRequest({
          deploymentRef: 'mirrormaker:default/other',
          topics: ['x.dc1'],
        }),
        [submitted],
      );
      const ev = { type: 'x', actor: KIM, message: 'x' };
      await store.transition(a.id, ['pending'], 'approved', {}, ev);
      await store.transition(b.id, ['pending'], 'approved', {}, ev);
      await store.transition(b.id, ['approved'], 'applied', {}, ev);
      await store.transition(other.id, ['pending'], 'approved', {}, ev);
      await store.transition(
        other.id,
        ['approved'],
        'failed',
        { failure: 'gate' },
        ev,
      );

      expect(await store.approvedTopics()).toEqual(
        new Map([[DEPLOYMENT, ['a.dc1', 'b.dc1', 'c.dc1']]]),
      );
    });

    it('keeps hostile text as it is and refuses what does not fit', async () => {
      for (const value of HOSTILE) {
        const r = await store.create(newRequest({ reason: value }), [
          { ...submitted, message: value },
        ]);
        const back = await store.get(r.id);
        expect(back!.reason).toBe(value);
        expect(back!.events[0].message).toBe(value);
        expect(await store.list({ entity: value })).toEqual([]);
      }
      await expect(
        store.create(newRequest({ team: 'x'.repeat(256) }), [submitted]),
      ).rejects.toThrow(/team is 256 characters long; at most 255/);
      await expect(
        store.create(newRequest({ reason: 'a\u0000b' }), [submitted]),
      ).rejects.toThrow(/NUL/);
      await expect(store.list({ entity: 'x'.repeat(300) })).rejects.toThrow(
        /at most 255/,
      );
    });
  });
});
