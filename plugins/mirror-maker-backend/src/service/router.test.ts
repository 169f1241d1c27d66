import {
  mockCredentials,
  mockServices,
  ServiceMock,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  exampleEntity,
  EXTRA_HOSTILE_VALUES,
  HOSTILE_VALUES,
  NUL_VALUES,
} from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import { Server, createServer } from 'http';
import request from 'supertest';
import { extract } from 'tar-stream';
import { gunzipSync } from 'zlib';
import { Readable } from 'stream';
import { twoDcCatalog, unreachableClusters } from '../__testUtils__/entities';
import { mirrorMakerPlugin } from '../plugin';

async function deadPorts(): Promise<[number, number]> {
  const ports: number[] = [];
  for (let i = 0; i < 2; i++) {
    const server = createServer();
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    ports.push((server.address() as { port: number }).port);
    await new Promise(r => server.close(r));
  }
  return ports as [number, number];
}

const user = mockCredentials.user.header('user:default/alice');

describe('mirror-maker REST API', () => {
  let server: Server;
  let stop: () => Promise<void>;
  let permissions: ServiceMock<PermissionsService>;
  let denied: string[];

  beforeAll(async () => {
    denied = ['mirrorMaker.secrets.read'];
    const decide = async (requests: { permission: { name: string } }[]) =>
      requests.map(r => ({
        result: denied.includes(r.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })) as any;
    permissions = mockServices.permissions.mock({
      authorize: decide,
      authorizeConditional: decide,
    });
    const backend = await startTestBackend({
      features: [
        mirrorMakerPlugin,
        catalogServiceMock.factory({ entities: twoDcCatalog() }),
        permissions.factory,
        mockServices.rootConfig.factory({
          data: {
            mirrorMaker: { clusters: unreachableClusters(await deadPorts()) },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(() => stop());
  beforeEach(() => {
    denied = ['mirrorMaker.secrets.read'];
  });

  const api = (path: string) =>
    request(server).get(`/api/mirror-maker${path}`).set('Authorization', user);

  it('asks for credentials on everything but /health', async () => {
    expect((await request(server).get('/api/mirror-maker/health')).status).toBe(
      200,
    );
    const res = await request(server)
      .get('/api/mirror-maker/topology')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('lists clusters without secrets, each marked unreachable with the reason', async () => {
    const res = await api('/clusters');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: any) => c.name)).toEqual(['dc1', 'dc2']);
    const dc2 = res.body.items[1];
    expect(dc2).toMatchObject({
      dataCentre: 'dc2',
      topicSuffix: 'dc2',
      securityProtocol: 'SASL_PLAINTEXT',
      saslMechanism: 'SCRAM-SHA-512',
      reachable: false,
    });
    expect(dc2.error).toMatch(/./);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(JSON.stringify(res.body)).not.toContain('mirror"');
  });

  it('answers 404 naming the configured clusters, and 503 for an unreachable one', async () => {
    const unknown = await api('/clusters/dc9/topics');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/dc9.*dc1, dc2/);
    const down = await api('/clusters/dc1/topics');
    expect(down.status).toBe(503);
    expect(down.body.error.message).toMatch(/dc1.*cannot be reached/);
    const bad = await api('/clusters/..%2Fetc/topics');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/name/);
  });

  it('builds the topology from the catalog, with unreachable clusters marked', async () => {
    const res = await api('/topology');
    expect(res.status).toBe(200);
    expect(res.body.edges.map((e: any) => [e.ref, e.source, e.target])).toEqual(
      [
        ['mirrormaker:default/dc1-to-dc2', 'dc1', 'dc2'],
        ['mirrormaker:default/dc2-to-dc1', 'dc2', 'dc1'],
      ],
    );
    expect(res.body.live).toEqual({
      dc1: { reachable: false, error: expect.any(String) },
      dc2: { reachable: false, error: expect.any(String) },
    });
    expect(res.body.nodes.every((n: any) => n.unreachable)).toBe(true);
    expect(res.body.suffixMap.map((r: any) => r.suffix)).toEqual([
      'dc1',
      'dc2',
    ]);
    expect(res.body.deploymentProblems).toEqual([]);
  });

  it('answers the topology of one deployment, one cluster and one service', async () => {
    const mm = await api('/entities/mirrormaker/default/dc1-to-dc2/topology');
    expect(mm.status).toBe(200);
    expect(mm.body.role).toBe('deployment');
    expect(mm.body.edges).toHaveLength(1);
    expect(mm.body.edges[0].ref).toBe('mirrormaker:default/dc1-to-dc2');

    const cluster = await api('/entities/resource/default/kafka-dc1/topology');
    expect(cluster.status).toBe(200);
    expect(cluster.body.role).toBe('cluster');
    expect(cluster.body.node.name).toBe('dc1');
    expect(cluster.body.edges).toHaveLength(2);

    const service = await api(
      '/entities/component/default/orders-service/topology',
    );
    expect(service.status).toBe(200);
    expect(service.body.role).toBe('service');
    const byTopic = Object.fromEntries(
      service.body.topics.map((t: any) => [t.topic, t]),
    );
    expect(byTopic['orders.dc1'].home.cluster).toBe('dc1');
    expect(byTopic['orders.dc1'].reaches).toEqual([
      expect.objectContaining({
        cluster: 'dc2',
        via: ['mirrormaker:default/dc1-to-dc2'],
      }),
    ]);
    expect(byTopic['payments.dc2'].reaches[0].cluster).toBe('dc1');
    expect(byTopic['legacy-orders'].problem).toMatch(/no data-centre suffix/);

    const group = await api('/entities/group/default/team-dc1/topology');
    expect(group.status).toBe(400);
    expect(group.body.error.message).toMatch(/mirrormaker.io\/topics/);
    const missing = await api('/entities/mirrormaker/default/nope/topology');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/mirrormaker:default\/nope/);
  });

  it('serves the bundle with secrets redacted unless the caller may read them', async () => {
    const redacted = await api(
      '/entities/mirrormaker/default/dc1-to-dc2/bundle',
    );
    expect(redacted.status).toBe(200);
    expect(redacted.body.redacted).toBe(true);
    const text = JSON.stringify(redacted.body.files);
    expect(text).not.toContain('hunter2-do-not-leak');
    expect(text).toContain(redacted.body.secretMarker);
    expect(redacted.body.files.length).toBeGreaterThan(5);
    expect(
      redacted.body.files.some((f: any) =>
        f.path.startsWith('nodes/mm1.dc2.example.com/'),
      ),
    ).toBe(true);

    denied = [];
    const open = await api('/entities/mirrormaker/default/dc1-to-dc2/bundle');
    expect(open.body.redacted).toBe(false);
    expect(JSON.stringify(open.body.files)).toContain('hunter2-do-not-leak');
    const audit = await api(
      `/audit?limit=5&entityRef=${encodeURIComponent(
        'mirrormaker:default/dc1-to-dc2',
      )}`,
    );
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'bundle.read-secrets',
      actor: 'user:default/alice',
      outcome: 'succeeded',
    });

    const safe = await api(
      '/entities/mirrormaker/default/dc1-to-dc2/bundle?redact=true',
    );
    expect(safe.body.redacted).toBe(true);

    denied = ['mirrorMaker.bundle.read'];
    const forbidden = await api(
      '/entities/mirrormaker/default/dc1-to-dc2/bundle',
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toMatch(/mirrorMaker.bundle.read/);

    const notMm = await api('/entities/resource/default/kafka-dc1/bundle');
    expect(notMm.status).toBe(403);
    denied = [];
    const wrongKind = await api('/entities/resource/default/kafka-dc1/bundle');
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.message).toMatch(/kind/);
  });

  it('serves the same files as a tar.gz under one folder', async () => {
    const json = await api('/entities/mirrormaker/default/dc1-to-dc2/bundle');
    const res = await api(
      '/entities/mirrormaker/default/dc1-to-dc2/bundle.tar.gz',
    )
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toContain('dc1-to-dc2.tar.gz');
    const entries = new Map<string, { mode: number; content: string }>();
    const ex = extract();
    await new Promise<void>((resolve, reject) => {
      ex.on('entry', (header, stream, next) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => chunks.push(c as Buffer));
        stream.on('end', () => {
          entries.set(header.name, {
            mode: header.mode!,
            content: Buffer.concat(chunks).toString('utf8'),
          });
          next();
        });
      });
      ex.on('finish', resolve);
      ex.on('error', reject);
      Readable.from(gunzipSync(res.body)).pipe(ex);
    });
    expect([...entries.keys()].sort()).toEqual(
      json.body.files.map((f: any) => `dc1-to-dc2/${f.path}`).sort(),
    );
    for (const f of json.body.files) {
      const entry = entries.get(`dc1-to-dc2/${f.path}`)!;
      expect(entry.content).toBe(f.content);
      expect(entry.mode).toBe(parseInt(f.mode, 8));
    }
    expect(JSON.stringify([...entries.values()])).not.toContain('hunter2');
  });

  describe('plugin-managed deployments', () => {
    const send = (
      method: 'post' | 'put' | 'delete',
      path: string,
      body?: object,
    ) =>
      request(server)
        [method](`/api/mirror-maker/managed-deployments${path}`)
        .set('Authorization', user)
        .send(body);
    const managed = (spec = {}) => {
      const entity = exampleEntity({
        owner: 'group:default/team-dc2',
        ...spec,
      });
      entity.metadata.name = 'dc1-to-dc2-managed';
      return entity;
    };

    it('creates, lists, replaces and deletes, auditing each change', async () => {
      const created = await send('post', '', { entity: managed() });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        entityRef: 'mirrormaker:default/dc1-to-dc2-managed',
        createdBy: 'user:default/alice',
      });
      expect(created.body.entity.metadata.namespace).toBe('default');

      const again = await send('post', '', { entity: managed() });
      expect(again.status).toBe(409);

      const list = await api('/managed-deployments');
      expect(list.body.items.map((i: any) => i.entityRef)).toEqual([
        'mirrormaker:default/dc1-to-dc2-managed',
      ]);

      const replaced = await send('put', '/default/dc1-to-dc2-managed', {
        entity: managed({ topics: { suffix: 'dc1', exclude: 'tmp\\..*' } }),
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body.entity.spec.topics.exclude).toBe('tmp\\..*');

      const renamed = await send('put', '/default/dc1-to-dc2-managed', {
        entity: { ...managed(), metadata: { name: 'other' } },
      });
      expect(renamed.status).toBe(400);
      expect(renamed.body.error.message).toMatch(/metadata.name/);

      expect((await send('delete', '/default/dc1-to-dc2-managed')).status).toBe(
        204,
      );
      expect((await send('delete', '/default/dc1-to-dc2-managed')).status).toBe(
        404,
      );
      const audit = await api(
        `/audit?entityRef=${encodeURIComponent(
          'mirrormaker:default/dc1-to-dc2-managed',
        )}`,
      );
      expect(audit.body.items.map((e: any) => [e.action, e.outcome])).toEqual([
        ['managed-deployment.delete', 'failed'],
        ['managed-deployment.delete', 'succeeded'],
        ['managed-deployment.replace', 'failed'],
        ['managed-deployment.replace', 'succeeded'],
        ['managed-deployment.create', 'failed'],
        ['managed-deployment.create', 'succeeded'],
      ]);
    });

    it('refuses a name the catalog already has from Git, and invalid entities', async () => {
      const taken = await send('post', '', { entity: exampleEntity() });
      expect(taken.status).toBe(409);
      expect(taken.body.error.message).toMatch(/already exists in the catalog/);
      const invalid = await send('post', '', {
        entity: managed({ topics: {} }),
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.problems[0].path).toMatch(/spec.topics/);
    });

    it('answers 403 without the permission, and audits the denial', async () => {
      denied = ['mirrorMaker.deployment.create', 'mirrorMaker.deploy'];
      const refused = await send('post', '', { entity: managed() });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(
        /mirrorMaker.deployment.create/,
      );
      denied = [];
      await send('post', '', { entity: managed() });
      denied = ['mirrorMaker.deploy'];
      const change = await send('delete', '/default/dc1-to-dc2-managed');
      expect(change.status).toBe(403);
      const audit = await api(
        `/audit?limit=1&entityRef=${encodeURIComponent(
          'mirrormaker:default/dc1-to-dc2-managed',
        )}`,
      );
      expect(audit.body.items[0]).toMatchObject({
        action: 'managed-deployment.delete',
        outcome: 'denied',
        actor: 'user:default/alice',
      });
      denied = [];
      expect((await send('delete', '/default/dc1-to-dc2-managed')).status).toBe(
        204,
      );
    });
  });

  describe('POST /validate', () => {
    const post = (body: unknown) =>
      request(server)
        .post('/api/mirror-maker/validate')
        .set('Authorization', user)
        .send(body as object);

    it('accepts a valid entity and answers its warnings', async () => {
      const res = await post({ entity: exampleEntity() });
      expect(res.status).toBe(200);
      expect(res.body.valid).toBe(true);
      expect(Array.isArray(res.body.problems)).toBe(true);
    });

    it('names each bad field and what is accepted', async () => {
      const res = await post({
        entity: exampleEntity({
          topics: { include: '(' },
          placement: { nodes: ['mm1'], processesPerNode: 0 },
        }),
      });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      const paths = res.body.error.problems.map((p: any) => p.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'spec.topics.include',
          'spec.placement.processesPerNode',
        ]),
      );
      expect(res.body.error.message).toMatch(/spec.topics.include/);
    });

    it('checks the clusters behind source and target', async () => {
      const res = await post({
        entity: exampleEntity({ target: 'resource:default/kafka-dc9' }),
      });
      expect(res.status).toBe(400);
      expect(res.body.error.problems).toEqual([
        expect.objectContaining({
          path: 'spec.target',
          message: expect.stringMatching(/kafka-dc9.*not in the catalog/),
        }),
      ]);
      const self = await post({
        entity: exampleEntity({ target: 'resource:default/kafka-dc1' }),
      });
      expect(self.status).toBe(400);
      expect(self.body.error.message).toMatch(/spec.target/);
    });

    it('answers every hostile body with a 4xx, never a 500', async () => {
      const values: unknown[] = [
        ...HOSTILE_VALUES,
        ...NUL_VALUES,
        ...EXTRA_HOSTILE_VALUES,
        null,
        42,
        true,
        [],
        {},
        ['a'],
        { $ref: '#' },
        { __proto__: { polluted: true } },
      ];
      const fields: ((v: unknown) => unknown)[] = [
        v => v,
        v => ({ entity: v }),
        v => ({ entity: { ...exampleEntity(), apiVersion: v } }),
        v => ({ entity: { ...exampleEntity(), kind: v } }),
        v => ({ entity: { ...exampleEntity(), metadata: v } }),
        v => ({ entity: { ...exampleEntity(), metadata: { name: v } } }),
        v => ({ entity: { ...exampleEntity(), spec: v } }),
        v => ({ entity: exampleEntity({ owner: v as string }) }),
        v => ({ entity: exampleEntity({ source: v as string }) }),
        v => ({ entity: exampleEntity({ topics: { suffix: v as string } }) }),
        v => ({ entity: exampleEntity({ topics: { include: v as string } }) }),
        v => ({ entity: exampleEntity({ topics: { names: [v as string] } }) }),
        v => ({
          entity: exampleEntity({ placement: { nodes: [v as string] } }),
        }),
        v => ({ entity: exampleEntity({ jvm: { heap: v as string } }) }),
      ];
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      for (const field of fields) {
        for (const value of values) {
          const body = field(value);
          const res =
            body !== null && typeof body === 'object'
              ? await post(body)
              : await request(server)
                  .post('/api/mirror-maker/validate')
                  .set('Authorization', user)
                  .set('Content-Type', 'application/json')
                  .send(JSON.stringify(body));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (
            res.status >= 500 ||
            (res.status >= 400 && !/\S/.test(res.body.error?.message ?? ''))
          ) {
            failures.push(
              `${res.status} for ${JSON.stringify(body).slice(0, 200)}: ${
                res.text
              }`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
      // Harmless values (e.g. 'plain' as an owner) are valid; the rest is refused.
      expect(statuses.get(400)).toBeGreaterThan(
        fields.length * values.length * 0.8,
      );
      const raw = [
        '{',
        'not json',
        '{"entity": }',
        '\u0000',
        `{"entity": ${'['.repeat(5000)}${']'.repeat(5000)}}`,
      ];
      for (const text of raw) {
        const res = await request(server)
          .post('/api/mirror-maker/validate')
          .set('Authorization', user)
          .set('Content-Type', 'application/json')
          .send(text);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      const huge = await post({ entity: { pad: 'x'.repeat(2_000_000) } });
      expect(huge.status).toBe(400);
      expect(huge.body.error.message).toMatch(/too large/);
    });
  });

  describe('replication requests', () => {
    const post = (path: string, body: unknown) =>
      request(server)
        .post(`/api/mirror-maker${path}`)
        .set('Authorization', user)
        .send(body as object);
    const valid = {
      team: 'group:default/team-dc1',
      topics: ['orders.dc1'],
      sourceDataCentre: 'dc1',
      targetDataCentre: 'dc2',
      reason: 'needed in dc2',
    };

    it('refuses hostile values in every field with a clean 400 listing field problems', async () => {
      const values = [
        ...HOSTILE_VALUES,
        ...NUL_VALUES,
        ...EXTRA_HOSTILE_VALUES,
      ];
      const fields = [
        'team',
        'service',
        'sourceDataCentre',
        'targetDataCentre',
        'desiredDate',
        'suffix',
      ];
      const failures: string[] = [];
      for (const field of fields) {
        for (const value of values) {
          const res = await post('/requests', { ...valid, [field]: value });
          // 'plain' is a legal name: refused later (403: not a member, or 400 live).
          const message: unknown = res.body.error?.message;
          const clean =
            [400, 403].includes(res.status) &&
            typeof message === 'string' &&
            ![...message].some(c => c < ' ' || c === '\u2028') &&
            (res.status !== 400 ||
              (res.body.error.name === 'InputError' &&
                Array.isArray(res.body.error.problems)));
          if (!clean) {
            failures.push(`${field}=${JSON.stringify(value)}: ${res.status}`);
          }
        }
      }
      for (const value of values) {
        const res = await post('/requests', { ...valid, topics: [value] });
        if (res.status !== 400 && res.status !== 403) {
          failures.push(`topics=[${JSON.stringify(value)}]: ${res.status}`);
        }
      }
      const reason = await post('/requests', { ...valid, reason: 'a\u0000b' });
      expect(reason.status).toBe(400);
      expect(reason.body.error.problems).toEqual([
        {
          field: 'reason',
          message: expect.stringContaining('NUL'),
          severity: 'error',
        },
      ]);
      expect(failures).toEqual([]);
      const notObject = await request(server)
        .post('/api/mirror-maker/requests')
        .set('Authorization', user)
        .set('Content-Type', 'application/json')
        .send('[1,2]');
      expect(notObject.status).toBe(400);
    });

    it('refuses a requester outside the team, naming it', async () => {
      const res = await post('/requests', valid);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('group:default/team-dc1');
    });

    it('answers 404 for an unknown request and 400 for an unknown status', async () => {
      const missing = await api(
        '/requests/01a20e29-97e3-7000-a59e-8f2649cbdd1c',
      );
      expect(missing.status).toBe(404);
      const bad = await api('/requests?status=pending,bogus');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/"bogus" is not a request status/);
      const list = await api('/requests?status=pending&status=approved');
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [] });
      const approve = await post(
        '/requests/01a20e29-97e3-7000-a59e-8f2649cbdd1c/approve',
        {},
      );
      expect(approve.status).toBe(404);
    });

    it('renders a posted entity with secrets redacted unless allowed for every entity', async () => {
      const entity = exampleEntity({ owner: 'group:default/team-dc2' });
      denied = [];
      const res = await post('/render', { entity });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: expect.any(String),
        entityRef: 'mirrormaker:default/dc1-to-dc2',
        redacted: false,
      });
      expect(res.body.files.length).toBeGreaterThan(5);
      denied = ['mirrorMaker.secrets.read'];
      const redacted = await post('/render', { entity });
      expect(redacted.body.redacted).toBe(true);
      expect(JSON.stringify(redacted.body.files)).not.toContain(
        'hunter2-do-not-leak',
      );
      const invalid = await post('/render', {
        entity: { ...entity, spec: { ...entity.spec, topics: {} } },
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.problems.length).toBeGreaterThan(0);
    });
  });
});
