import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { kafkaClusterResource } from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import request from 'supertest';
import permissionBackend from '@backstage/plugin-permission-backend';
import mirrorMakerBackend from '@mirrormaker/plugin-mirror-maker-backend';
import { permissionPolicyModule } from './modules/permissionPolicy';

/** Who is in which group, as the catalog's user entities would say. */
const groups: Record<string, string[]> = {
  'user:default/olivia': ['group:default/team-dc2'],
  'user:default/nick': ['group:default/team-dc1'],
  'user:default/ada': ['group:default/kafka-platform'],
};

const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef as string;
      return { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups[ref]] };
    },
  }),
});

/**
 * The mock auth service, except that a token issued on behalf of a user
 * names the plugin that asked for it (`actor`), as real tokens do: the
 * permission backend and the permission registry refuse user requests that
 * come without it.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) => inner.authenticate(token, options),
      isPrincipal: ((credentials: any, type: any) =>
        inner.isPrincipal(credentials, type)) as typeof inner.isPrincipal,
      getNoneCredentials: () => inner.getNoneCredentials(),
      getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
      getLimitedUserToken: credentials =>
        inner.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => inner.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as any;
        if (principal.type === 'user' && !principal.actor) {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        }
        return inner.getPluginRequestToken(options);
      },
    };
  },
});

const resource = (name: string, cluster: string): Entity =>
  kafkaClusterResource(name, cluster);

const deployment = (name: string, owner: string): Entity => ({
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name, namespace: 'default' },
  spec: {
    owner,
    source: 'resource:default/kafka-dc1',
    target: 'resource:default/kafka-dc2',
    topics: { suffix: 'dc1' },
    placement: { nodes: ['mm1.dc2.example.com'] },
  },
});

describe('the demo permission policy, end to end', () => {
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        permissionBackend,
        permissionPolicyModule,
        mirrorMakerBackend,
        catalogServiceMock.factory({
          entities: [
            resource('kafka-dc1', 'dc1'),
            resource('kafka-dc2', 'dc2'),
            {
              ...deployment('dc1-to-dc2', 'group:default/team-dc2'),
              relations: [
                { type: 'ownedBy', targetRef: 'group:default/team-dc2' },
              ],
            },
          ],
        }),
        userInfo,
        authWithActors,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            mirrorMaker: {
              permissions: { admins: ['group:default/kafka-platform'] },
              clusters: {
                dc1: {
                  brokers: ['127.0.0.1:1'],
                  dataCentre: 'dc1',
                  topicSuffix: 'dc1',
                },
                dc2: {
                  brokers: ['127.0.0.1:2'],
                  dataCentre: 'dc2',
                  topicSuffix: 'dc2',
                  security: {
                    protocol: 'SASL_PLAINTEXT',
                    sasl: {
                      mechanism: 'PLAIN',
                      username: 'mm',
                      password: 'p4ss-not-for-owners',
                    },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(() => stop?.());

  const as = (user: string) => mockCredentials.user.header(user);
  const path = '/api/mirror-maker/managed-deployments';

  it('lets only admins create a deployment', async () => {
    const entity = deployment('dc1-to-dc2-extra', 'group:default/team-dc2');
    const refused = await request(server)
      .post(path)
      .set('Authorization', as('user:default/olivia'))
      .send({ entity });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/mirrorMaker.deployment.create/);

    const created = await request(server)
      .post(path)
      .set('Authorization', as('user:default/ada'))
      .send({ entity });
    expect(created.status).toBe(201);
  });

  it('lets the owners change a deployment and answers 403 to a non-owner, audited', async () => {
    const changed = deployment('dc1-to-dc2-extra', 'group:default/team-dc2');
    changed.spec!.topics = { suffix: 'dc1', exclude: 'tmp\\..*' };

    const nonOwner = await request(server)
      .put(`${path}/default/dc1-to-dc2-extra`)
      .set('Authorization', as('user:default/nick'))
      .send({ entity: changed });
    expect(nonOwner.status).toBe(403);
    expect(nonOwner.body.error.message).toMatch(
      /may not change mirrormaker:default\/dc1-to-dc2-extra.*mirrorMaker.deploy/,
    );

    const owner = await request(server)
      .put(`${path}/default/dc1-to-dc2-extra`)
      .set('Authorization', as('user:default/olivia'))
      .send({ entity: changed });
    expect(owner.status).toBe(200);
    expect(owner.body.updatedBy).toBe('user:default/olivia');

    const audit = await request(server)
      .get(
        `/api/mirror-maker/audit?entityRef=${encodeURIComponent(
          'mirrormaker:default/dc1-to-dc2-extra',
        )}`,
      )
      .set('Authorization', as('user:default/nick'));
    expect(
      audit.body.items.map((e: any) => [e.action, e.actor, e.outcome]),
    ).toEqual([
      ['managed-deployment.replace', 'user:default/olivia', 'succeeded'],
      ['managed-deployment.replace', 'user:default/nick', 'denied'],
      ['managed-deployment.create', 'user:default/ada', 'succeeded'],
      ['managed-deployment.create', 'user:default/olivia', 'denied'],
    ]);
  });

  it('shows secrets to admins only, owners included', async () => {
    const bundle = (user: string) =>
      request(server)
        .get('/api/mirror-maker/entities/mirrormaker/default/dc1-to-dc2/bundle')
        .set('Authorization', as(user));
    const owner = await bundle('user:default/olivia');
    expect(owner.status).toBe(200);
    expect(owner.body.redacted).toBe(true);
    expect(JSON.stringify(owner.body)).not.toContain('p4ss-not-for-owners');
    const admin = await bundle('user:default/ada');
    expect(admin.body.redacted).toBe(false);
    expect(JSON.stringify(admin.body)).toContain('p4ss-not-for-owners');
  });

  it('sends changes of a Git-defined deployment to Git', async () => {
    const res = await request(server)
      .delete(`${path}/default/dc1-to-dc2`)
      .set('Authorization', as('user:default/olivia'));
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/defined in Git are changed in Git/);
  });
});
