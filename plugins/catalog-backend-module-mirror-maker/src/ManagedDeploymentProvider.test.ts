import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import express from 'express';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import {
  catalogOf,
  CLUSTERS_YAML,
  eventually,
  fakeMirrorMakerPlugin,
  FakeBackend,
  getEntity,
  managedItem,
  mirrorMakerEntity,
  recordingLoggerFactory,
  relationsOf,
} from './__testUtils__/backend';
import {
  ANNOTATION_MANAGED_BY,
  ManagedDeploymentProvider,
} from './ManagedDeploymentProvider';
import { catalogModuleMirrorMaker } from './module';

const TASK_ID = 'mirror-maker-managed-deployments:refresh';

describe('ManagedDeploymentProvider in a catalog', () => {
  const directory = createMockDirectory();
  const fake: FakeBackend = { status: 200, items: [], callers: [] };
  const warnings: string[] = [];
  // One scheduler for every plugin, so the test can run the provider's task
  // when it wants instead of waiting for its frequency.
  const scheduler = mockServices.scheduler();
  const scheduleTask = jest.spyOn(scheduler, 'scheduleTask');
  let backend: TestBackend;

  const refresh = () => scheduler.triggerTask(TASK_ID);
  const entity = (kind: string, name: string) =>
    getEntity(backend.server, kind, name);

  beforeAll(async () => {
    directory.setContent({
      'catalog-info.yaml': `${CLUSTERS_YAML}---
apiVersion: mirrormaker.io/v1alpha1
kind: MirrorMaker
metadata:
  name: dc2-to-dc1
spec:
  owner: group:kafka-platform
  system: replication
  source: resource:kafka-dc2
  target: resource:kafka-dc1
  topics:
    suffix: dc2
  placement:
    nodes: [mm1.dc1.example.com]
`,
    });
    fake.items = [managedItem(mirrorMakerEntity('dc1-to-dc2'))];
    backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            catalog: catalogOf(directory.resolve('catalog-info.yaml')),
            mirrorMaker: { provider: { frequencySeconds: 1 } },
          },
        }),
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        recordingLoggerFactory(warnings),
        catalogPlugin,
        catalogModuleMirrorMaker,
        fakeMirrorMakerPlugin(fake),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('schedules its read with the configured frequency', () => {
    expect(scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: TASK_ID,
        frequency: { seconds: 1 },
        timeout: { seconds: 60 },
      }),
    );
  });

  it('publishes a managed deployment with the same relations as one from Git', async () => {
    await refresh();
    expect(fake.callers).toEqual(['plugin:catalog']);

    const managed = await eventually(
      () => entity('mirrormaker', 'dc1-to-dc2'),
      e => relationsOf(e).length === 4,
      'the managed MirrorMaker and its relations',
    );
    expect(managed?.metadata.annotations).toMatchObject({
      [ANNOTATION_LOCATION]: 'mirror-maker:managed/default/dc1-to-dc2',
      [ANNOTATION_ORIGIN_LOCATION]: 'mirror-maker:managed/default/dc1-to-dc2',
      [ANNOTATION_MANAGED_BY]: 'plugin',
    });
    expect(relationsOf(managed)).toEqual([
      'mirrorsFrom resource:default/kafka-dc1',
      'mirrorsTo resource:default/kafka-dc2',
      'ownedBy group:default/kafka-platform',
      'partOf system:default/replication',
    ]);

    const fromGit = await eventually(
      () => entity('mirrormaker', 'dc2-to-dc1'),
      e => relationsOf(e).length === 4,
      'the MirrorMaker from the file location and its relations',
    );
    expect(fromGit?.metadata.annotations?.[ANNOTATION_LOCATION]).toMatch(
      /^file:/,
    );
    expect(fromGit?.metadata.annotations).not.toHaveProperty(
      ANNOTATION_MANAGED_BY,
    );
    expect(relationsOf(fromGit).map(r => r.split(' ')[0])).toEqual(
      relationsOf(managed).map(r => r.split(' ')[0]),
    );

    // The cluster from Git learns which deployments read from it, whichever
    // way they were defined.
    await eventually(
      () => entity('resource', 'kafka-dc1'),
      e =>
        relationsOf(e).includes('mirroredBy mirrormaker:default/dc1-to-dc2') &&
        relationsOf(e).includes('mirroredInto mirrormaker:default/dc2-to-dc1'),
      'the mirroredBy/mirroredInto relations on kafka-dc1',
    );
  });

  it('keeps the published deployments while the backend fails', async () => {
    fake.status = 500;
    warnings.length = 0;
    await refresh();

    expect(warnings).toEqual([
      expect.stringMatching(
        /GET http:\/\/localhost:\d+\/api\/mirror-maker\/managed-deployments answered 500 Internal Server Error: .*database is unavailable/,
      ),
    ]);
    const managed = await entity('mirrormaker', 'dc1-to-dc2');
    expect(managed?.metadata.annotations?.[ANNOTATION_MANAGED_BY]).toBe(
      'plugin',
    );
  });

  it('removes a deployment the backend no longer lists', async () => {
    fake.status = 200;
    fake.items = [];
    await refresh();

    await eventually(
      () => entity('mirrormaker', 'dc1-to-dc2'),
      e => e === undefined,
      'the managed MirrorMaker to disappear',
    );
    await eventually(
      () => entity('resource', 'kafka-dc1'),
      e =>
        !relationsOf(e).includes('mirroredBy mirrormaker:default/dc1-to-dc2'),
      'kafka-dc1 to lose its relation to the removed deployment',
    );
    expect(await entity('mirrormaker', 'dc2-to-dc1')).toBeDefined();
  });
});

describe('ManagedDeploymentProvider', () => {
  let server: Server;
  let baseUrl: string;
  let answer: { status: number; body: string };

  beforeAll(async () => {
    const app = express();
    app.get('/api/mirror-maker/managed-deployments', (_req, res) => {
      res.status(answer.status).type('application/json').send(answer.body);
    });
    server = await new Promise<Server>(resolve => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  function setup(options: { baseUrl?: string } = {}) {
    const mutations: EntityProviderMutation[] = [];
    const logger = mockServices.logger.mock();
    const scheduler = mockServices.scheduler.mock();
    const provider = new ManagedDeploymentProvider({
      discovery: {
        getBaseUrl: async pluginId =>
          `${options.baseUrl ?? baseUrl}/${pluginId}`,
        getExternalBaseUrl: async pluginId => `${baseUrl}/${pluginId}`,
      },
      auth: mockServices.auth({ pluginId: 'catalog' }),
      scheduler,
      logger,
      config: mockServices.rootConfig(),
    });
    const connect = () =>
      provider.connect({
        applyMutation: async mutation => {
          mutations.push(mutation);
        },
        refresh: async () => {},
      });
    return { provider, connect, mutations, logger, scheduler };
  }

  const warningsOf = (logger: ReturnType<typeof mockServices.logger.mock>) =>
    logger.child.mock.results.flatMap(r =>
      (r.value.warn as jest.Mock).mock.calls.map(c => c[0]),
    );

  it('reads every 30 seconds unless configured otherwise', async () => {
    const { connect, scheduler } = setup();
    await connect();
    const schedule = scheduler.scheduleTask.mock
      .calls[0][0] as SchedulerServiceTaskScheduleDefinition;
    expect(schedule.frequency).toEqual({ seconds: 30 });
  });

  it.each([0, 2.5])('rejects a frequency of %s seconds', frequencySeconds => {
    expect(
      () =>
        new ManagedDeploymentProvider({
          discovery: mockServices.discovery(),
          auth: mockServices.auth(),
          scheduler: {} as SchedulerService,
          logger: mockServices.logger.mock(),
          config: mockServices.rootConfig({
            data: { mirrorMaker: { provider: { frequencySeconds } } },
          }),
        }),
    ).toThrow(
      `mirrorMaker.provider.frequencySeconds must be a whole number of seconds, at least 1, not ${frequencySeconds}`,
    );
  });

  it('refuses to refresh before the catalog connects it', async () => {
    const { provider } = setup();
    await expect(provider.refresh()).rejects.toThrow(/not connected/);
  });

  it('annotates every entity and keys it by namespace and name', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({
        items: [
          managedItem(mirrorMakerEntity('a')),
          managedItem({
            ...mirrorMakerEntity('b'),
            metadata: {
              name: 'b',
              namespace: 'eu',
              annotations: { [ANNOTATION_LOCATION]: 'url:https://elsewhere' },
            },
          }),
        ],
      }),
    };
    const { provider, connect, mutations } = setup();
    await connect();
    await provider.refresh();

    expect(mutations).toHaveLength(1);
    const mutation = mutations[0];
    if (mutation.type !== 'full') throw new Error('expected a full mutation');
    expect(
      mutation.entities.map(e => ({
        locationKey: e.locationKey,
        namespace: e.entity.metadata.namespace,
        annotations: e.entity.metadata.annotations,
      })),
    ).toEqual([
      {
        locationKey: 'mirror-maker-provider:default/a',
        namespace: 'default',
        annotations: {
          [ANNOTATION_LOCATION]: 'mirror-maker:managed/default/a',
          [ANNOTATION_ORIGIN_LOCATION]: 'mirror-maker:managed/default/a',
          [ANNOTATION_MANAGED_BY]: 'plugin',
        },
      },
      {
        locationKey: 'mirror-maker-provider:eu/b',
        namespace: 'eu',
        annotations: {
          [ANNOTATION_LOCATION]: 'mirror-maker:managed/eu/b',
          [ANNOTATION_ORIGIN_LOCATION]: 'mirror-maker:managed/eu/b',
          [ANNOTATION_MANAGED_BY]: 'plugin',
        },
      },
    ]);
  });

  it('skips entities without kind or name, and refs listed twice, naming them', async () => {
    const nameless = mirrorMakerEntity('x');
    nameless.metadata = {} as Entity['metadata'];
    answer = {
      status: 200,
      body: JSON.stringify({
        items: [
          managedItem(mirrorMakerEntity('good')),
          { ...managedItem(nameless), entityRef: 'mirrormaker:default/x' },
          { entity: { metadata: { name: 'kindless' } } },
          managedItem(mirrorMakerEntity('GOOD')),
        ],
      }),
    };
    const { provider, connect, mutations, logger } = setup();
    await connect();
    await provider.refresh();

    const mutation = mutations[0];
    if (mutation.type !== 'full') throw new Error('expected a full mutation');
    expect(mutation.entities.map(e => e.entity.metadata.name)).toEqual([
      'good',
    ]);
    expect(warningsOf(logger)).toEqual([
      'Skipping managed deployment mirrormaker:default/x (item 1): its entity lacks kind or metadata.name',
      'Skipping managed deployment at index 2: its entity lacks kind or metadata.name',
      'Skipping managed deployment mirrormaker:default/GOOD (item 3): mirrormaker:default/good is listed twice',
    ]);
  });

  it('publishes an empty list as no deployments', async () => {
    answer = { status: 200, body: '{"items":[]}' };
    const { provider, connect, mutations } = setup();
    await connect();
    await provider.refresh();
    expect(mutations).toEqual([{ type: 'full', entities: [] }]);
  });

  it.each([
    [
      'answers 503',
      { status: 503, body: `{"error":"${'x'.repeat(1000)}"}` },
      /answered 503 Service Unavailable: \{"error":"x{290,}\.\.\.$/,
    ],
    [
      'answers without items',
      { status: 200, body: '{"deployments":[]}' },
      /answered without an items array: \{"deployments":\[\]\}$/,
    ],
    [
      'answers with something other than JSON',
      { status: 200, body: '<html>proxy error</html>' },
      /answered without an items array: <html>proxy error<\/html>$/,
    ],
  ])(
    'applies nothing and warns when the backend %s',
    async (_, reply, warning) => {
      answer = reply;
      const { provider, connect, mutations, logger } = setup();
      await connect();
      await provider.refresh();
      expect(mutations).toEqual([]);
      expect(warningsOf(logger)).toEqual([expect.stringMatching(warning)]);
    },
  );

  it('applies nothing and warns when the backend is unreachable', async () => {
    const closed = express().listen(0, '127.0.0.1');
    await new Promise(resolve => closed.once('listening', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));

    const { provider, connect, mutations, logger } = setup({
      baseUrl: `http://127.0.0.1:${port}/api`,
    });
    await connect();
    await provider.refresh();
    expect(mutations).toEqual([]);
    expect(warningsOf(logger)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Keeping the published managed deployments: GET http://127.0.0.1:${port}/api/mirror-maker/managed-deployments failed: fetch failed \\(.*ECONNREFUSED`,
        ),
      ),
    ]);
  });
});
