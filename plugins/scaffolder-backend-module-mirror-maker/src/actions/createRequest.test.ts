import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ReplicationRequest } from '@mirrormaker/plugin-mirror-maker-common';
import {
  fakeDiscovery,
  FakeBackend,
  startFakeBackend,
} from '../lib/testServer';
import {
  createCreateRequestAction,
  requestCheckpointKey,
} from './createRequest';

const input = {
  team: 'group:default/team-dc1',
  service: 'component:default/orders-service',
  topics: ['orders.dc1', 'shipments.dc1'],
  sourceDataCentre: 'dc1',
  targetDataCentre: 'dc2',
  reason: 'billing in dc2 reads orders',
  desiredDate: '',
};

const filed: ReplicationRequest = {
  id: 'req-42',
  status: 'pending',
  requester: 'user:default/mock',
  team: input.team,
  service: input.service,
  topics: input.topics,
  sourceDataCentre: 'dc1',
  targetDataCentre: 'dc2',
  sourceCluster: 'dc1',
  targetCluster: 'dc2',
  newDeployment: false,
  reason: input.reason,
  warnings: [],
  createdAt: '2030-01-01T00:00:00Z',
  updatedAt: '2030-01-01T00:00:00Z',
  events: [],
};

describe('mirror-maker:request:create', () => {
  let backend: FakeBackend;
  beforeAll(async () => {
    backend = await startFakeBackend();
  });
  afterAll(() => backend.close());
  beforeEach(() => {
    backend.requests.length = 0;
  });

  const action = () =>
    createCreateRequestAction({
      auth: mockServices.auth(),
      discovery: fakeDiscovery(backend),
      config: mockServices.rootConfig({
        data: { app: { baseUrl: 'https://backstage.example.com/' } },
      }),
    });

  it('files the request as the initiator and outputs its id, status and URL', async () => {
    backend.reply(201, filed);
    const ctx = createMockActionContext({ input });
    await action().handler(ctx as any);

    expect(backend.requests).toHaveLength(1);
    const [sent] = backend.requests;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/api/mirror-maker/requests');
    // The token is issued on behalf of the initiator, for the mirror-maker plugin.
    expect(sent.headers.authorization).toBe(
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.user(),
        targetPluginId: 'mirror-maker',
      }),
    );
    // The empty date the form left is not sent.
    expect(sent.body).toEqual({
      team: input.team,
      service: input.service,
      topics: input.topics,
      sourceDataCentre: 'dc1',
      targetDataCentre: 'dc2',
      reason: input.reason,
    });
    expect(ctx.output).toHaveBeenCalledWith('id', 'req-42');
    expect(ctx.output).toHaveBeenCalledWith('status', 'pending');
    expect(ctx.output).toHaveBeenCalledWith(
      'url',
      'https://backstage.example.com/mirror-maker/requests/req-42',
    );
  });

  it('files once when a retried task finds the checkpoint', async () => {
    backend.reply(201, filed);
    const stored = new Map<string, unknown>();
    const ctx = createMockActionContext({ input });
    ctx.checkpoint = (async ({ key, fn }: any) => {
      if (!stored.has(key)) stored.set(key, await fn());
      return stored.get(key);
    }) as any;
    await action().handler(ctx as any);
    await action().handler(ctx as any);
    expect(backend.requests).toHaveLength(1);
    expect([...stored.keys()]).toEqual([
      expect.stringMatching(/^mirror-maker-request-[0-9a-f]{32}$/),
    ]);
    expect(ctx.output).toHaveBeenLastCalledWith(
      'url',
      'https://backstage.example.com/mirror-maker/requests/req-42',
    );
  });

  it('keys the checkpoint by the request, whatever the order of its fields', () => {
    const a = requestCheckpointKey({
      team: 't',
      sourceDataCentre: 'dc1',
      targetDataCentre: 'dc2',
      reason: 'r',
    });
    const b = requestCheckpointKey({
      reason: 'r',
      targetDataCentre: 'dc2',
      sourceDataCentre: 'dc1',
      team: 't',
    });
    const c = requestCheckpointKey({
      reason: 'other',
      targetDataCentre: 'dc2',
      sourceDataCentre: 'dc1',
      team: 't',
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('fails with every problem the backend found', async () => {
    backend.reply(400, {
      error: {
        name: 'InputError',
        message: 'The replication request is not valid',
        problems: [
          {
            field: 'topics[1]',
            message: '"shipments.dc1" does not exist on cluster dc1',
            severity: 'error',
          },
          {
            field: 'targetDataCentre',
            message: 'dc2 is the same data centre as the source',
            severity: 'error',
          },
        ],
      },
    });
    const ctx = createMockActionContext({ input });
    const run = action().handler(ctx as any);
    await expect(run).rejects.toThrow(
      [
        'The replication request is not valid',
        'topics[1]: "shipments.dc1" does not exist on cluster dc1',
        'targetDataCentre: dc2 is the same data centre as the source',
      ].join('\n'),
    );
    await expect(run).rejects.toMatchObject({ name: 'InputError' });
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('passes on why the backend refused the initiator', async () => {
    backend.reply(403, {
      error: {
        name: 'NotAllowedError',
        message: 'user:default/mock is not a member of group:default/team-dc1',
      },
    });
    const ctx = createMockActionContext({ input });
    await expect(action().handler(ctx as any)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'user:default/mock is not a member of group:default/team-dc1',
    });
  });

  it('reports an answer that is not JSON with its status', async () => {
    backend.reply(502, '<html>Bad gateway</html>');
    const ctx = createMockActionContext({ input });
    await expect(action().handler(ctx as any)).rejects.toThrow(
      /failed with 502: <html>Bad gateway<\/html>/,
    );
  });
});
