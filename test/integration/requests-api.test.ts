/*
 * Replication requests end to end: the real backend plugin against the test
 * bed's two Kafka clusters, with the local deploy target running a real
 * MirrorMaker 1. A permission policy equal to the demo's decides (owners
 * approve, four eyes unless the user is a self-approver). Checked through
 * the API as users see it:
 * - a team member files a request (201, pending), and bad requests come
 *   back with field-level problems (missing on the source, wrong suffix,
 *   already replicated, self-replication);
 * - a non-owner cannot approve (403, audited as denied); the requester
 *   cannot approve their own request unless the policy allows it;
 * - an owner's approval rolls the topic out: the request ends `applied`
 *   with the revision, and records written on the source arrive on the
 *   target;
 * - rejecting needs a reason;
 * - the scaffolder actions file a request as the template's initiator and
 *   render a posted entity's bundle into a workspace.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import mirrorMakerBackend from '@mirrormaker/plugin-mirror-maker-backend';
import {
  createCreateRequestAction,
  createRenderBundleAction,
} from '@mirrormaker/plugin-scaffolder-backend-module-mirror-maker';
import { kafkaClusterResource } from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import * as fs from 'fs';
import { Knex } from 'knex';
import * as os from 'os';
import * as path from 'path';
import request from 'supertest';
import {
  consumeRecords,
  createTopics,
  findJmxExporterAgent,
  killMirrorMakersIn,
  produceRecords,
  resolveKafkaHome,
  startKafkaClusters,
  TestBed,
  waitFor,
} from '../testbed';

const SLOW_HOOK_MS = 180_000;
const API = '/api/mirror-maker';
const DEPLOYMENT = 'mirrormaker:default/dc1-to-dc2';

const ALICE = 'user:default/alice'; // team-dc2, files requests
const BOB = 'user:default/bob'; // team-dc2, owns nothing
const KIM = 'user:default/kim'; // kafka-platform, owns the deployment
const MEMBERS: Record<string, string[]> = {
  [ALICE]: ['group:default/team-dc2'],
  [BOB]: ['group:default/team-dc2'],
  [KIM]: ['group:default/kafka-platform'],
};

function log(message: string): void {
  // eslint-disable-next-line no-console
  console.log(`[requests-api] ${message}`);
}

const deploymentEntity: Entity = {
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc1-to-dc2', namespace: 'default' },
  spec: {
    owner: 'group:default/kafka-platform',
    source: 'resource:default/kafka-dc1',
    target: 'resource:default/kafka-dc2',
    topics: { names: ['orders.dc1'] },
    placement: { nodes: ['mm1.dc2.example.com'], processesPerNode: 1 },
    jvm: { heap: '256M' },
    offsetCommitIntervalMs: 1000,
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/kafka-platform' }],
};

describe('replication requests with a real MirrorMaker', () => {
  let testBed: TestBed | undefined;
  let knex: Knex;
  let workDir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  /** The policy's `mirrorMaker.permissions.selfApprovers`. */
  let selfApprovers: string[] = [];
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const entities: Entity[] = [];
  const refOf = (e: Entity) =>
    `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase();

  const catalog = () =>
    catalogServiceMock.mock({
      getEntities: async () => ({ items: entities }),
      getEntityByRef: async (ref: any) =>
        entities.find(e => refOf(e) === String(ref).toLowerCase()),
      getEntitiesByRefs: async ({ entityRefs }: any) => ({
        items: entityRefs.map((ref: string) =>
          entities.find(e => refOf(e) === ref.toLowerCase()),
        ),
      }),
    });

  const userOf = (credentials: any): string =>
    credentials?.principal?.userEntityRef ?? '';

  /** The demo policy's decisions for the permissions these routes use. */
  const decide = async (requests: any[], options: any) =>
    requests.map(({ permission }) => {
      const user = userOf(options.credentials);
      const claims = [user, ...(MEMBERS[user] ?? [])];
      switch (permission.name) {
        case 'mirrorMaker.request.approve':
        case 'mirrorMaker.deploy':
          return {
            result: 'CONDITIONAL',
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
              ? 'ALLOW'
              : 'DENY',
          };
        case 'mirrorMaker.secrets.read':
        case 'mirrorMaker.deployment.create':
          return { result: 'DENY' };
        default:
          return { result: 'ALLOW' };
      }
    }) as any;

  const as = (user: string) => mockCredentials.user.header(user);
  const get = (url: string, user = ALICE) =>
    request(backend!.server).get(url).set('Authorization', as(user));
  const post = (url: string, body: object, user = ALICE) =>
    request(backend!.server)
      .post(url)
      .set('Authorization', as(user))
      .send(body);

  const requestFor = (topics: string[]) => ({
    team: 'group:default/team-dc2',
    topics,
    sourceDataCentre: 'dc1',
    targetDataCentre: 'dc2',
    reason: 'the dc2 billing job reads them',
  });

  async function settled(id: string) {
    return waitFor(
      async () => {
        const r = await get(`${API}/requests/${id}`);
        return ['applied', 'failed'].includes(r.body.status)
          ? r.body
          : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 1000 },
    );
  }

  beforeAll(async () => {
    testBed = await startKafkaClusters(['dc1', 'dc2']);
    knex = await databases.init('SQLITE_3');
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-requests-'));
    entities.push(
      kafkaClusterResource('kafka-dc1', 'dc1'),
      kafkaClusterResource('kafka-dc2', 'dc2'),
      deploymentEntity,
    );
    await createTopics(testBed.cluster('dc1'), [
      { topic: 'orders.dc1', numPartitions: 1 },
      { topic: 'payments.dc1', numPartitions: 3 },
      { topic: 'refunds.dc1', numPartitions: 1 },
      { topic: 'echo.dc2', numPartitions: 1 },
    ]);
    const cluster = (name: string) => ({
      brokers: [testBed!.bootstrap(name)],
      dataCentre: name,
      topicSuffix: name,
    });
    const permissions = mockServices.permissions.mock({
      authorize: decide,
      authorizeConditional: decide,
    });
    const userInfo = mockServices.userInfo.mock({
      getUserInfo: async (credentials: any) => ({
        userEntityRef: userOf(credentials),
        ownershipEntityRefs: [
          userOf(credentials),
          ...(MEMBERS[userOf(credentials)] ?? []),
        ],
      }),
    });
    backend = await startTestBackend({
      features: [
        mirrorMakerBackend,
        catalog().factory,
        permissions.factory,
        userInfo.factory,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            mirrorMaker: {
              clusters: { dc1: cluster('dc1'), dc2: cluster('dc2') },
              metrics: { heartbeat: { enabled: false } },
              deploy: {
                stopTimeoutSeconds: 10,
                gate: { timeoutSeconds: 60, windowSeconds: 3 },
                local: {
                  workDir,
                  kafkaHome: resolveKafkaHome(),
                  jmxExporterJar: findJmxExporterAgent(),
                  maxHeap: '256m',
                },
              },
            },
          },
        }),
      ],
    });
  }, SLOW_HOOK_MS);

  afterAll(async () => {
    await backend?.stop();
    killMirrorMakersIn(workDir);
    await testBed?.stop();
  }, SLOW_HOOK_MS);

  let filedId: string;

  it('files a request of a team member as pending', async () => {
    const res = await post(`${API}/requests`, requestFor(['payments.dc1']));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'pending',
      requester: ALICE,
      topics: ['payments.dc1'],
      sourceCluster: 'dc1',
      targetCluster: 'dc2',
      deploymentRef: DEPLOYMENT,
    });
    filedId = res.body.id;
    const list = await get(
      `${API}/requests?status=pending&entity=${encodeURIComponent(ALICE)}`,
    );
    expect(list.body.items.map((r: any) => r.id)).toEqual([filedId]);
  });

  it('answers field-level problems, checked against the live source cluster', async () => {
    const res = await post(
      `${API}/requests`,
      requestFor(['missing.dc1', 'shipments.dc3', 'orders.dc1', 'echo.dc2']),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    const byField = Object.fromEntries(
      res.body.error.problems.map((p: any) => [p.field, p.message]),
    );
    expect(byField['topics[0]']).toContain('does not exist on cluster dc1');
    expect(byField['topics[1]']).toContain(
      'topics written in dc1 end in ".dc1"',
    );
    expect(byField['topics[2]']).toContain(
      `already replicated dc1 -> dc2 by ${DEPLOYMENT}`,
    );
    expect(byField['topics[3]']).toContain('would be a loop');

    const self = await post(`${API}/requests`, {
      ...requestFor(['refunds.dc1']),
      targetDataCentre: 'dc1',
    });
    expect(self.status).toBe(400);
    expect(self.body.error.problems).toEqual([
      expect.objectContaining({
        field: 'targetDataCentre',
        message: expect.stringContaining('is the source data centre'),
      }),
    ]);
  });

  it('refuses approval by a non-owner with 403, and audits the denial', async () => {
    const res = await post(`${API}/requests/${filedId}/approve`, {}, BOB);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('mirrorMaker.request.approve');
    const audit = await get(
      `${API}/audit?entityRef=${encodeURIComponent(DEPLOYMENT)}`,
    );
    expect(audit.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: BOB,
          action: 'request.approve',
          outcome: 'denied',
          details: expect.objectContaining({ requestId: filedId }),
        }),
      ]),
    );
  });

  it('rolls an approved request out: applied with its revision, records arrive on the target', async () => {
    const res = await post(
      `${API}/requests/${filedId}/approve`,
      { reason: 'fits' },
      KIM,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'approved',
      decision: { by: KIM, reason: 'fits' },
      rolloutId: expect.any(String),
    });
    const done = await settled(filedId);
    log(
      `request ${done.status}: ${done.failure ?? `revision ${done.revision}`}`,
    );
    expect(done).toMatchObject({ status: 'applied', revision: 1 });
    expect(done.events.map((e: any) => e.type)).toEqual([
      'submitted',
      'validated',
      'approved',
      'rollout-started',
      'applied',
    ]);

    await produceRecords(
      testBed!.cluster('dc1'),
      'payments.dc1',
      Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    const copied = await consumeRecords(
      testBed!.cluster('dc2'),
      'payments.dc1',
      50,
      { timeoutMs: 60_000 },
    );
    expect(new Set(copied.map(r => r.value)).size).toBe(50);

    const bundle = await get(
      `${API}/entities/mirrormaker/default/dc1-to-dc2/bundle`,
    );
    expect(JSON.stringify(bundle.body.files)).toContain('payments');
  });

  it("refuses the requester's own approval under the default policy, allows it when the policy does", async () => {
    const own = await post(
      `${API}/requests`,
      { ...requestFor(['refunds.dc1']), team: 'group:default/kafka-platform' },
      KIM,
    );
    expect(own.status).toBe(201);
    const denied = await post(
      `${API}/requests/${own.body.id}/approve`,
      {},
      KIM,
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(
      'mirrorMaker.request.selfApprove',
    );

    selfApprovers = ['group:default/kafka-platform'];
    const allowed = await post(
      `${API}/requests/${own.body.id}/approve`,
      {},
      KIM,
    );
    expect(allowed.status).toBe(200);
    expect(allowed.body.status).toBe('approved');
    const done = await settled(own.body.id);
    expect(done).toMatchObject({ status: 'applied', revision: 2 });
  });

  it('needs a reason to reject', async () => {
    await createTopics(testBed!.cluster('dc1'), [
      { topic: 'invoices.dc1', numPartitions: 1 },
    ]);
    const fresh = await post(`${API}/requests`, requestFor(['invoices.dc1']));
    expect(fresh.status).toBe(201);
    const without = await post(
      `${API}/requests/${fresh.body.id}/reject`,
      {},
      KIM,
    );
    expect(without.status).toBe(400);
    expect(without.body.error.problems[0].field).toBe('reason');
    const rejected = await post(
      `${API}/requests/${fresh.body.id}/reject`,
      { reason: 'use the dc2 copy of invoices' },
      KIM,
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      decision: { by: KIM, reason: 'use the dc2 copy of invoices' },
    });
    const again = await post(
      `${API}/requests/${fresh.body.id}/approve`,
      {},
      KIM,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('is rejected');
  });
  it('files a request and writes a bundle through the scaffolder actions, as the initiator', async () => {
    await createTopics(testBed!.cluster('dc1'), [
      { topic: 'receipts.dc1', numPartitions: 1 },
    ]);
    const port = backend!.server.port();
    const options = {
      // The scaffolder's own token for the initiator, as a real task gets it.
      auth: mockServices.auth(),
      discovery: {
        getBaseUrl: async (pluginId: string) =>
          `http://localhost:${port}/api/${pluginId}`,
        getExternalBaseUrl: async (pluginId: string) =>
          `http://localhost:${port}/api/${pluginId}`,
      },
      config: mockServices.rootConfig({
        data: { app: { baseUrl: 'http://backstage.example.com' } },
      }),
    };
    const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-ws-'));
    // createMockActionContext keeps its own initiator; this is Alice.
    const asAlice = <T extends object>(ctx: T): T => ({
      ...ctx,
      getInitiatorCredentials: async () => mockCredentials.user(ALICE),
    });

    const create = createCreateRequestAction(options);
    const createCtx = createMockActionContext({
      input: requestFor(['receipts.dc1']),
      workspacePath,
    });
    await create.handler(asAlice(createCtx) as any);
    const [[, id]] = (createCtx.output as jest.Mock).mock.calls.filter(
      ([name]) => name === 'id',
    );
    const filed = await get(`${API}/requests/${id}`);
    expect(filed.body).toMatchObject({
      status: 'pending',
      requester: ALICE, // the person who ran the template, not the scaffolder
      topics: ['receipts.dc1'],
    });
    expect(createCtx.output).toHaveBeenCalledWith(
      'url',
      `http://backstage.example.com/mirror-maker/requests/${id}`,
    );

    // The backend's answer for a bad request reaches the task's log as
    // field problems.
    const badCtx = createMockActionContext({
      input: requestFor(['receipts.dc2']),
      workspacePath,
    });
    await expect(create.handler(asAlice(badCtx) as any)).rejects.toThrow(
      /The request is invalid: topics\[0\]: receipts\.dc2 ends in "\.dc2"/,
    );

    // A posted entity (a new deployment, not in the catalog) renders into
    // the workspace with the live cluster's address in it.
    const render = createRenderBundleAction(options);
    const renderCtx = createMockActionContext({
      input: {
        entity: {
          ...deploymentEntity,
          metadata: { name: 'gitops-dc1-to-dc2', namespace: 'default' },
        } as any,
        targetPath: 'bundle',
      },
      workspacePath,
    });
    await render.handler(asAlice(renderCtx) as any);
    const consumer = path.join(
      workspacePath,
      'bundle',
      'nodes',
      'mm1.dc2.example.com',
      'etc',
      'kafka-mirror-maker',
      'gitops-dc1-to-dc2',
      'kafka-mirror-maker-consumer.properties',
    );
    // Properties files escape the colon.
    expect(fs.readFileSync(consumer, 'utf8')).toContain(
      `bootstrap.servers=${testBed!.bootstrap('dc1').replace(':', '\\:')}`,
    );
    fs.rmSync(workspacePath, { recursive: true, force: true });
  });
});
