import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_MAINTENANCE_WINDOW,
  KafkaClusterConfig,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  exampleEntity,
  kafkaClusterResource,
} from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import { mirrorMakerEntityPermissionRules } from '@mirrormaker/plugin-mirror-maker-node';
import { Knex } from 'knex';
import { MirrorMakerStore } from '../database';
import { applyDatabaseMigrations } from '../database/migrations';
import { RequestStore } from '../database/RequestStore';
import { RolloutEngine } from '../deploy/RolloutEngine';
import { RolloutStore } from '../database/RolloutStore';
import { ClusterRegistry } from '../kafka';
import { EntityAuthorizer } from '../service/authorize';
import { CatalogDeployments } from '../service/CatalogDeployments';
import { LiveTopics } from '../service/LiveTopics';
import { RequestNotification } from './notifier';
import { NewDeploymentSettings, RequestService } from './RequestService';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice'; // team-dc2
const BOB = 'user:default/bob'; // team-dc2, not an owner
const KIM = 'user:default/kim'; // kafka-platform: owns dc1-to-dc2
const MEMBERS: Record<string, string[]> = {
  [ALICE]: ['group:default/team-dc2'],
  [BOB]: ['group:default/team-dc2'],
  [KIM]: ['group:default/kafka-platform', 'group:default/team-dc2'],
};
const DEPLOYMENT = 'mirrormaker:default/dc1-to-dc2';

const cluster = (name: string): KafkaClusterConfig => ({
  name,
  brokers: [`kafka.${name}.example.com:9092`],
  dataCentre: name,
  topicSuffix: name,
});

function catalogEntities(annotations: Record<string, string> = {}): Entity[] {
  const mm = exampleEntity({
    owner: 'group:default/kafka-platform',
    topics: { names: ['orders.dc1'] },
  }) as unknown as Entity;
  mm.metadata = { ...mm.metadata, namespace: 'default', annotations };
  mm.relations = [
    { type: 'ownedBy', targetRef: 'group:default/kafka-platform' },
  ];
  return [
    kafkaClusterResource('kafka-dc1', 'dc1'),
    kafkaClusterResource('kafka-dc2', 'dc2'),
    kafkaClusterResource('kafka-dc3', 'dc3'),
    mm,
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'orders-service', namespace: 'default' },
      spec: { type: 'service', owner: 'group:default/team-dc2' },
    },
  ];
}

const userOf = (c: BackstageCredentials) =>
  (c.principal as { userEntityRef?: string }).userEntityRef ?? '';

interface AuditRecord {
  eventId: string;
  meta?: unknown;
  outcome?: 'success' | 'failure';
  error?: string;
}

describe('RequestService', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    let now: Date;
    let selfApprovers: string[];
    let live: Record<string, string[] | Error>;
    let audits: AuditRecord[];
    let notes: RequestNotification[];
    let rollouts: {
      deploy: jest.Mock;
      settled: jest.Mock;
    };
    let rolloutStatus: Record<string, { status: string; message?: string }>;
    let store: RequestStore;
    let mmStore: MirrorMakerStore;

    function setup(
      options: {
        entities?: Entity[];
        newDeployment?: NewDeploymentSettings;
      } = {},
    ) {
      const entities = options.entities ?? catalogEntities();
      const catalog = catalogServiceMock({ entities });
      const clusters = {
        list: () => [cluster('dc1'), cluster('dc2'), cluster('dc3')],
        listTopics: async (name: string) => {
          const topics = live[name] ?? [];
          if (topics instanceof Error) throw topics;
          return topics.map(t => ({ name: t, internal: false }));
        },
      } as unknown as ClusterRegistry;
      const decide = async (
        requests: { permission: { name: string } }[],
        opts: { credentials: BackstageCredentials },
      ) =>
        requests.map(({ permission }) => {
          const user = userOf(opts.credentials);
          const claims = [user, ...(MEMBERS[user] ?? [])];
          switch (permission.name) {
            case 'mirrorMaker.request.approve':
              return {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'mirror-maker',
                resourceType: 'catalog-entity',
                conditions: {
                  rule: 'IS_DEPLOYMENT_OWNER',
                  resourceType: 'catalog-entity',
                  params: { claims },
                },
              };
            case 'mirrorMaker.request.selfApprove':
              return {
                result: claims.some(c => selfApprovers.includes(c))
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
              };
            case 'mirrorMaker.deployment.create':
              return {
                result:
                  user === KIM ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
              };
            default:
              return { result: AuthorizeResult.ALLOW };
          }
        }) as any;
      const permissions = mockServices.permissions.mock({
        authorize: decide as any,
        authorizeConditional: decide as any,
      });
      const rules = Object.values(mirrorMakerEntityPermissionRules);
      const authorizer = new EntityAuthorizer(permissions, {
        getRuleByName: (name: string) => rules.find(r => r.name === name)!,
      } as any);
      const auditor: AuditorService = {
        createEvent: async ({ eventId, meta }) => {
          const record: AuditRecord = { eventId, meta };
          audits.push(record);
          return {
            success: async () => {
              record.outcome = 'success';
            },
            fail: async ({ error }) => {
              record.outcome = 'failure';
              record.error = error.message;
            },
          };
        },
      };
      const logger = mockServices.logger.mock();
      const approved = () => store.approvedTopics();
      const deployments = new CatalogDeployments({
        catalog,
        clusters: () => clusters.list(),
        logger,
        approvedTopics: approved,
      });
      return new RequestService({
        store,
        mirrorMakerStore: mmStore,
        catalog,
        deployments,
        clusters,
        liveTopics: new LiveTopics({ clusters, logger, maxAgeMs: 0 }),
        rollouts: rollouts as unknown as RolloutEngine,
        rolloutStore: {
          getRollout: async (id: string) =>
            rolloutStatus[id] && {
              id,
              deploymentRef: DEPLOYMENT,
              revisionNumber: 4,
              ...rolloutStatus[id],
            },
        } as unknown as RolloutStore,
        authorizer,
        userInfo: {
          getUserInfo: async c => ({
            userEntityRef: userOf(c),
            ownershipEntityRefs: [userOf(c), ...(MEMBERS[userOf(c)] ?? [])],
          }),
        },
        auth: mockServices.auth(),
        auditor,
        notifier: { notify: async n => void notes.push(n) },
        logger,
        newDeployment: options.newDeployment,
        now: () => now,
      });
    }

    beforeEach(async () => {
      await knex('replication_request_events').delete();
      await knex('replication_requests').delete();
      await knex('managed_deployments').delete();
      await knex('audit_log').delete();
      store = RequestStore.fromKnex(knex, () => now);
      mmStore = MirrorMakerStore.fromKnex(knex);
      now = new Date('2026-11-25T12:00:00Z'); // a Wednesday
      selfApprovers = [];
      live = {
        dc1: ['orders.dc1', 'payments.dc1', 'refunds.dc1', 'echo.dc2'],
        dc2: ['orders.dc1', 'billing.dc2'],
        dc3: [],
      };
      audits = [];
      notes = [];
      rolloutStatus = {};
      let n = 0;
      rollouts = {
        deploy: jest.fn(async ({ checked }) => {
          n += 1;
          const id = `00000000-0000-4000-8000-00000000000${n}`;
          rolloutStatus[id] = { status: 'running' };
          return { id, deploymentRef: checked.ref, revisionNumber: 4 };
        }),
        settled: jest.fn(() => new Promise(() => {})),
      };
    });

    const as = (user: string) => mockCredentials.user(user);
    const input = (overrides: Record<string, unknown> = {}) => ({
      team: 'group:default/team-dc2',
      service: 'component:default/orders-service',
      topics: ['payments.dc1'],
      sourceDataCentre: 'dc1',
      targetDataCentre: 'dc2',
      reason: 'billing in dc2 reads payments',
      ...overrides,
    });
    const problemsOf = async (p: Promise<unknown>) => {
      const error = await p.then(
        () => undefined,
        e => e,
      );
      expect(error?.name).toBe('InputError');
      return (error.problems as { field: string; message: string }[]).map(
        x => `${x.field}: ${x.message}`,
      );
    };

    it('files a request as a member of the team, pending, audited, owners told', async () => {
      const service = setup();
      const created = await service.create(input(), as(ALICE));
      expect(created).toMatchObject({
        status: 'pending',
        requester: ALICE,
        team: 'group:default/team-dc2',
        topics: ['payments.dc1'],
        sourceCluster: 'dc1',
        targetCluster: 'dc2',
        deploymentRef: DEPLOYMENT,
        newDeployment: false,
        warnings: [],
      });
      expect(created.events.map(e => e.type)).toEqual([
        'submitted',
        'validated',
      ]);
      expect(audits).toEqual([
        expect.objectContaining({
          eventId: 'request-create',
          outcome: 'success',
        }),
      ]);
      const [audit] = await mmStore.listAudit({ entityRef: DEPLOYMENT });
      expect(audit).toMatchObject({
        actor: ALICE,
        action: 'request.create',
        outcome: 'succeeded',
        details: { requestId: created.id, topics: ['payments.dc1'] },
      });
      expect(notes).toEqual([
        expect.objectContaining({
          recipients: ['group:default/kafka-platform'],
          link: `/mirror-maker/requests/${created.id}`,
        }),
      ]);
      await expect(
        service.list({ status: 'pending,approved', entity: 'orders-service' }),
      ).resolves.toEqual([created]);
      await expect(service.list({ status: ['rejected'] })).resolves.toEqual([]);
      await expect(service.list({ status: 'nope' })).rejects.toThrow(
        /"nope" is not a request status; use one or more of pending/,
      );
    });

    it('refuses a requester who is not in the team, naming it', async () => {
      const service = setup();
      await expect(
        service.create(input({ team: 'group:default/other' }), as(ALICE)),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('not a member of group:default/other'),
      });
      expect(audits[0]).toMatchObject({ outcome: 'failure' });
      const [audit] = await mmStore.listAudit({});
      expect(audit.outcome).toBe('denied');
    });

    it('answers every problem with its field', async () => {
      const service = setup();
      const filed = await service.create(
        input({ topics: ['refunds.dc1'] }),
        as(ALICE),
      );
      expect(
        await problemsOf(
          service.create(
            input({
              topics: [
                'missing.dc1',
                'billing.dc3',
                'orders.dc1',
                'echo.dc2',
                'refunds.dc1',
              ],
            }),
            as(ALICE),
          ),
        ),
      ).toEqual([
        'topics[1]: billing.dc3 ends in ".dc3"; topics written in dc1 end in ".dc1" (e.g. orders.dc1)',
        'topics[3]: echo.dc2 ends in ".dc2", the suffix of dc2 (the target) itself: those topics are written in dc2, and copying them there again would be a loop',
        'topics[0]: missing.dc1 does not exist on cluster dc1 (dc1); check the name, or create the topic first',
        'topics[2]: orders.dc1 is already replicated dc1 -> dc2 by mirrormaker:default/dc1-to-dc2',
        `topics[4]: refunds.dc1 is already asked for by request ${filed.id} (pending, by ${ALICE})`,
      ]);
      expect(
        await problemsOf(
          service.create(
            input({ sourceDataCentre: 'dc9', targetDataCentre: 'dc1' }),
            as(ALICE),
          ),
        ),
      ).toEqual([
        'sourceDataCentre: no configured cluster is in data centre "dc9"; accepted: dc1, dc2, dc3',
      ]);
      expect(
        await problemsOf(
          service.create(input({ targetDataCentre: 'dc1' }), as(ALICE)),
        ),
      ).toEqual([
        'targetDataCentre: is the source data centre (dc1); topics are replicated to another data centre',
      ]);
      expect(
        await problemsOf(
          service.create(input({ targetDataCentre: 'dc3' }), as(ALICE)),
        ),
      ).toEqual([
        'targetDataCentre: no MirrorMaker deployment replicates dc1 -> dc3; ask for a new one with newDeployment: true',
      ]);
      expect(
        await problemsOf(service.create(input({ service: 'nope' }), as(ALICE))),
      ).toEqual([
        'service: component:default/nope is not in the catalog (or you may not see it); name a Component, e.g. component:default/orders-service',
      ]);
      live.dc1 = new Error('connection refused');
      expect(await problemsOf(service.create(input(), as(ALICE)))).toEqual([
        'topics: cannot be checked: cluster dc1 (dc1) cannot be reached (connection refused); try again when it is back',
      ]);
    });

    it('lets an owner approve: the topics join the effective set and a rollout carries them to applied', async () => {
      const service = setup();
      const filed = await service.create(input(), as(ALICE));
      const approved = await service.approve(
        filed.id,
        { reason: 'fine' },
        as(KIM),
      );
      expect(approved).toMatchObject({
        status: 'approved',
        decision: { by: KIM, reason: 'fine' },
        rolloutId: expect.any(String),
      });
      expect(approved.events.map(e => e.type)).toEqual([
        'submitted',
        'validated',
        'approved',
        'rollout-started',
      ]);
      const [{ checked, actor, reason }] = rollouts.deploy.mock.calls[0];
      expect(checked.approvedTopics).toEqual(['payments.dc1']);
      expect(actor).toBe(KIM);
      expect(reason).toBe(
        `request ${filed.id}: replicate payments.dc1 for group:default/team-dc2`,
      );

      // A second request for the same topic is refused now: it is replicated.
      expect(await problemsOf(service.create(input(), as(BOB)))).toEqual([
        'topics[0]: payments.dc1 is already replicated dc1 -> dc2 by mirrormaker:default/dc1-to-dc2',
      ]);

      rolloutStatus[approved.rolloutId!] = { status: 'succeeded' };
      await service.settle(approved.rolloutId!);
      const applied = await service.get(filed.id);
      expect(applied).toMatchObject({ status: 'applied', revision: 4 });
      expect(notes.at(-1)).toMatchObject({
        recipients: [ALICE],
        title: 'Replication request applied',
      });
      await expect(store.approvedTopics()).resolves.toEqual(
        new Map([[DEPLOYMENT, ['payments.dc1']]]),
      );
      await expect(
        service.approve(filed.id, {}, as(KIM)),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: `Request ${filed.id} is applied; only a request that is pending can become approved`,
      });
    });

    it('marks a request failed with the rollout message, and its topics leave the set', async () => {
      const service = setup();
      const filed = await service.create(input(), as(ALICE));
      const approved = await service.approve(filed.id, {}, as(KIM));
      rolloutStatus[approved.rolloutId!] = {
        status: 'failed',
        message: 'health gate failed at step 1 of 2',
      };
      await service.tick();
      await expect(service.get(filed.id)).resolves.toMatchObject({
        status: 'failed',
        failure: expect.stringContaining('health gate failed at step 1 of 2'),
      });
      await expect(store.approvedTopics()).resolves.toEqual(new Map());
    });

    it('refuses a non-owner (403, audited) and, by default, the requester', async () => {
      const service = setup();
      const filed = await service.create(input(), as(ALICE));
      await expect(
        service.approve(filed.id, {}, as(BOB)),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'deciding needs permission mirrorMaker.request.approve',
        ),
      });
      expect(audits.at(-1)).toMatchObject({
        eventId: 'request-approve',
        outcome: 'failure',
      });
      const [denied] = await mmStore.listAudit({ entityRef: DEPLOYMENT });
      expect(denied).toMatchObject({
        actor: BOB,
        action: 'request.approve',
        outcome: 'denied',
      });

      const own = await service.create(
        input({ topics: ['refunds.dc1'] }),
        as(KIM),
      );
      await expect(service.approve(own.id, {}, as(KIM))).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('another approver must approve it'),
      });
      await expect(
        service.reject(own.id, { reason: 'no' }, as(KIM)),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      selfApprovers = ['group:default/kafka-platform'];
      await expect(service.approve(own.id, {}, as(KIM))).resolves.toMatchObject(
        { status: 'approved' },
      );
    });

    it('needs a reason to reject, and refuses to approve a rejected request', async () => {
      const service = setup();
      const filed = await service.create(input(), as(ALICE));
      expect(await problemsOf(service.reject(filed.id, {}, as(KIM)))).toEqual([
        'reason: is required: say why (1 to 2000 characters); the requester sees it',
      ]);
      const rejected = await service.reject(
        filed.id,
        { reason: 'use the dc2 copy' },
        as(KIM),
      );
      expect(rejected).toMatchObject({
        status: 'rejected',
        decision: { by: KIM, reason: 'use the dc2 copy' },
      });
      await expect(
        service.approve(filed.id, {}, as(KIM)),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          'is rejected; only a request that is pending',
        ),
      });
    });

    it('lets the requester or an approver cancel, nobody else', async () => {
      const service = setup();
      const a = await service.create(input(), as(ALICE));
      await expect(service.cancel(a.id, {}, as(BOB))).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
      await expect(
        service.cancel(a.id, { reason: 'not needed' }, as(ALICE)),
      ).resolves.toMatchObject({ status: 'cancelled' });
      const b = await service.create(input(), as(ALICE));
      await expect(service.cancel(b.id, {}, as(KIM))).resolves.toMatchObject({
        status: 'cancelled',
      });
      await expect(service.cancel(b.id, {}, as(KIM))).rejects.toMatchObject({
        name: 'ConflictError',
      });
    });

    it('waits for the maintenance window, then the scheduler task rolls out', async () => {
      const service = setup({
        entities: catalogEntities({
          [ANNOTATION_MAINTENANCE_WINDOW]: 'Sat,Sun 02:00-04:00',
        }),
      });
      const filed = await service.create(input(), as(ALICE));
      const approved = await service.approve(filed.id, {}, as(KIM));
      expect(approved).toMatchObject({
        status: 'approved',
        scheduledFor: '2026-11-28T02:00:00.000Z',
      });
      expect(approved.rolloutId).toBeUndefined();
      expect(approved.events.at(-1)!.type).toBe('scheduled');
      await service.tick();
      expect(rollouts.deploy).not.toHaveBeenCalled();

      now = new Date('2026-11-28T02:00:30Z');
      await service.tick();
      expect(rollouts.deploy).toHaveBeenCalledTimes(1);
      await expect(service.get(filed.id)).resolves.toMatchObject({
        rolloutId: expect.any(String),
      });
    });

    it('queues behind a running rollout and retries', async () => {
      const service = setup();
      rollouts.deploy.mockRejectedValueOnce(
        Object.assign(
          new Error(
            `A rollout of ${DEPLOYMENT} is already running (x); wait for it or stop it`,
          ),
          { name: 'ConflictError' },
        ),
      );
      const filed = await service.create(input(), as(ALICE));
      const approved = await service.approve(filed.id, {}, as(KIM));
      expect(approved.events.at(-1)).toMatchObject({ type: 'queued' });
      expect(approved.rolloutId).toBeUndefined();
      now = new Date(now.getTime() + 30_000);
      await service.tick();
      await expect(service.get(filed.id)).resolves.toMatchObject({
        status: 'approved',
        rolloutId: expect.any(String),
      });
    });

    it('creates a plugin-managed deployment for a new-deployment request', async () => {
      const request = input({
        topics: undefined,
        suffix: 'dc1',
        targetDataCentre: 'dc3',
        newDeployment: true,
      });
      const bare = setup();
      const filed = await bare.create(request, as(ALICE));
      expect(filed).toMatchObject({ newDeployment: true, suffix: 'dc1' });
      expect(filed.deploymentRef).toBeUndefined();
      await expect(bare.approve(filed.id, {}, as(ALICE))).rejects.toMatchObject(
        {
          name: 'NotAllowedError',
          message: expect.stringContaining('mirrorMaker.deployment.create'),
        },
      );
      await expect(bare.approve(filed.id, {}, as(KIM))).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          'configure mirrorMaker.requests.newDeployment.owner and mirrorMaker.requests.newDeployment.nodes',
        ),
      });

      const service = setup({
        newDeployment: {
          owner: 'group:default/kafka-platform',
          nodes: ['mm1.dc3.example.com'],
          processesPerNode: 1,
        },
      });
      const approved = await service.approve(filed.id, {}, as(KIM));
      expect(approved).toMatchObject({
        status: 'approved',
        deploymentRef: 'mirrormaker:default/dc1-to-dc3',
        rolloutId: expect.any(String),
      });
      const managed = await mmStore.getManagedDeployment(
        'default',
        'dc1-to-dc3',
      );
      expect(managed?.entity).toMatchObject({
        kind: 'MirrorMaker',
        spec: {
          owner: 'group:default/kafka-platform',
          source: 'resource:default/kafka-dc1',
          target: 'resource:default/kafka-dc3',
          topics: { suffix: 'dc1' },
          placement: { nodes: ['mm1.dc3.example.com'], processesPerNode: 1 },
        },
      });
      expect(rollouts.deploy.mock.calls[0][0].checked.ref).toBe(
        'mirrormaker:default/dc1-to-dc3',
      );
    });

    it('refuses a suffix without newDeployment, saying to list topics', async () => {
      const service = setup();
      expect(
        await problemsOf(
          service.create(
            input({ topics: undefined, suffix: 'dc1' }),
            as(ALICE),
          ),
        ),
      ).toEqual([
        'suffix: is only accepted with newDeployment: true (a new deployment for a whole data centre); to add topics to an existing deployment, list them in topics',
      ]);
    });
  });
});
