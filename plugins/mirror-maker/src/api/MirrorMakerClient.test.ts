import { ResponseError } from '@backstage/errors';
import {
  MirrorMakerClient,
  requestProblemsOf,
  validationProblemsOf,
} from './MirrorMakerClient';

const BASE = 'http://backstage:7007/api/mirror-maker';

interface Recorded {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}

interface Canned {
  status?: number;
  json?: unknown;
  text?: string;
  contentType?: string;
}

/** A response with what the client and ResponseError read; jsdom has no fetch Response. */
function fakeResponse(canned: Canned): Response {
  const status = canned.status ?? 200;
  const text =
    canned.text ??
    (canned.json === undefined ? '' : JSON.stringify(canned.json));
  const contentType =
    canned.contentType ??
    (canned.json === undefined ? 'text/plain' : 'application/json');
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: {
      get: (name: string) =>
        name.toLowerCase() === 'content-type' ? contentType : null,
    },
    json: async () => JSON.parse(text),
    text: async () => text,
    blob: async () => new Blob([text], { type: contentType }),
  } as unknown as Response;
}

function setup(...responses: Canned[]) {
  const requests: Recorded[] = [];
  const fetchApi = {
    fetch: jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push({
        url: String(input),
        method: init?.method ?? 'GET',
        headers: (init?.headers as Record<string, string>) ?? {},
        body:
          init?.body === undefined ? undefined : JSON.parse(String(init.body)),
      });
      return fakeResponse(responses.shift() ?? { json: {} });
    }),
  };
  const discoveryApi = { getBaseUrl: jest.fn(async () => BASE) };
  const client = new MirrorMakerClient({ discoveryApi, fetchApi });
  return { client, requests, fetchApi, discoveryApi };
}

/** Backstage's error body, as the backend's error handler writes it. */
function backendError(
  status: number,
  name: string,
  message: string,
  extra: object = {},
): Canned {
  return {
    status,
    json: {
      error: { name, message, ...extra },
      request: { method: 'GET', url: '/x' },
      response: { statusCode: status },
    },
  };
}

const mm = { kind: 'MirrorMaker', namespace: 'default', name: 'dc1-to-dc2' };
const service = { kind: 'Component', namespace: 'default', name: 'orders' };
const entity = {
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc1-to-dc2' },
  spec: { source: 'dc1', target: 'dc2' },
};

const requestInput = {
  team: 'group:default/team-orders',
  service: 'component:default/orders',
  topics: ['orders.dc1'],
  sourceDataCentre: 'dc1',
  targetDataCentre: 'dc2',
  reason: 'reporting in dc2',
};

describe('MirrorMakerClient', () => {
  it('asks discovery for the mirror-maker backend', async () => {
    const { client, discoveryApi } = setup({ json: { items: [] } });
    await client.listClusters();
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('mirror-maker');
  });

  describe('hits the route of each method', () => {
    const cases: [
      string,
      (c: MirrorMakerClient) => Promise<unknown>,
      { method: string; path: string; body?: unknown },
    ][] = [
      [
        'listClusters',
        c => c.listClusters(),
        { method: 'GET', path: '/clusters' },
      ],
      [
        'listClusterTopics',
        c => c.listClusterTopics('dc1-kafka'),
        { method: 'GET', path: '/clusters/dc1-kafka/topics' },
      ],
      [
        'getTopology',
        c => c.getTopology(),
        { method: 'GET', path: '/topology' },
      ],
      [
        'getEntityTopology',
        c => c.getEntityTopology(mm),
        {
          method: 'GET',
          path: '/entities/MirrorMaker/default/dc1-to-dc2/topology',
        },
      ],
      [
        'getBundle',
        c => c.getBundle(mm),
        {
          method: 'GET',
          path: '/entities/MirrorMaker/default/dc1-to-dc2/bundle',
        },
      ],
      [
        'getBundle redacted',
        c => c.getBundle(mm, { redact: true }),
        {
          method: 'GET',
          path: '/entities/MirrorMaker/default/dc1-to-dc2/bundle?redact=true',
        },
      ],
      [
        'validate',
        c => c.validate(entity),
        { method: 'POST', path: '/validate', body: { entity } },
      ],
      [
        'listManagedDeployments',
        c => c.listManagedDeployments(),
        { method: 'GET', path: '/managed-deployments' },
      ],
      [
        'createManagedDeployment',
        c => c.createManagedDeployment(entity),
        { method: 'POST', path: '/managed-deployments', body: { entity } },
      ],
      [
        'replaceManagedDeployment',
        c => c.replaceManagedDeployment(mm, entity),
        {
          method: 'PUT',
          path: '/managed-deployments/default/dc1-to-dc2',
          body: { entity },
        },
      ],
      ['getAudit', c => c.getAudit(), { method: 'GET', path: '/audit' }],
      [
        'getAudit filtered',
        c =>
          c.getAudit({
            entityRef: 'mirrormaker:default/dc1-to-dc2',
            limit: 20,
          }),
        {
          method: 'GET',
          path: '/audit?entityRef=mirrormaker%3Adefault%2Fdc1-to-dc2&limit=20',
        },
      ],
      [
        'listDeployments',
        c => c.listDeployments(mm),
        {
          method: 'GET',
          path: '/entities/MirrorMaker/default/dc1-to-dc2/deployments',
        },
      ],
      [
        'deploy',
        c => c.deploy(mm, { reason: 'add orders', autoRollback: true }),
        {
          method: 'POST',
          path: '/entities/MirrorMaker/default/dc1-to-dc2/deployments',
          body: { reason: 'add orders', autoRollback: true },
        },
      ],
      [
        'stop',
        c => c.stop(mm, { reason: 'maintenance' }),
        {
          method: 'POST',
          path: '/entities/MirrorMaker/default/dc1-to-dc2/stop',
          body: { reason: 'maintenance' },
        },
      ],
      [
        'getDeployment',
        c => c.getDeployment('0b6c2c7e-1c1d-4f3e-9a7e-3c0f1f2a4b5c'),
        {
          method: 'GET',
          path: '/deployments/0b6c2c7e-1c1d-4f3e-9a7e-3c0f1f2a4b5c',
        },
      ],
      [
        'getDeploymentDiff',
        c => c.getDeploymentDiff('r1'),
        { method: 'GET', path: '/deployments/r1/diff' },
      ],
      [
        'getDeploymentDiff against',
        c => c.getDeploymentDiff('r1', 'rev 7'),
        { method: 'GET', path: '/deployments/r1/diff?against=rev%207' },
      ],
      [
        'rollback',
        c => c.rollback('r1', { reason: 'lag grows', revisionId: 'rev-3' }),
        {
          method: 'POST',
          path: '/deployments/r1/rollback',
          body: { reason: 'lag grows', revisionId: 'rev-3' },
        },
      ],
      [
        'getDeploymentMetrics',
        c => c.getDeploymentMetrics(mm),
        {
          method: 'GET',
          path: '/entities/MirrorMaker/default/dc1-to-dc2/metrics',
        },
      ],
      [
        'getServiceMetrics',
        c => c.getServiceMetrics(service),
        { method: 'GET', path: '/entities/Component/default/orders/metrics' },
      ],
      [
        'listRequests',
        c => c.listRequests(),
        { method: 'GET', path: '/requests' },
      ],
      [
        'listRequests filtered',
        c =>
          c.listRequests({
            status: ['pending', 'approved'],
            entity: 'component:default/orders',
          }),
        {
          method: 'GET',
          path: '/requests?status=pending%2Capproved&entity=component%3Adefault%2Forders',
        },
      ],
      [
        'listRequests with no status',
        c => c.listRequests({ status: [] }),
        { method: 'GET', path: '/requests' },
      ],
      [
        'getRequest',
        c => c.getRequest('req-1'),
        { method: 'GET', path: '/requests/req-1' },
      ],
      [
        'createRequest',
        c => c.createRequest(requestInput),
        { method: 'POST', path: '/requests', body: requestInput },
      ],
      [
        'approveRequest',
        c => c.approveRequest('req-1'),
        { method: 'POST', path: '/requests/req-1/approve', body: {} },
      ],
      [
        'approveRequest with a note',
        c => c.approveRequest('req-1', 'fits the window'),
        {
          method: 'POST',
          path: '/requests/req-1/approve',
          body: { reason: 'fits the window' },
        },
      ],
      [
        'rejectRequest',
        c => c.rejectRequest('req-1', 'use the dc2 copy'),
        {
          method: 'POST',
          path: '/requests/req-1/reject',
          body: { reason: 'use the dc2 copy' },
        },
      ],
      [
        'cancelRequest',
        c => c.cancelRequest('req-1'),
        { method: 'POST', path: '/requests/req-1/cancel', body: {} },
      ],
      [
        'cancelRequest with a reason',
        c => c.cancelRequest('req-1', 'not needed'),
        {
          method: 'POST',
          path: '/requests/req-1/cancel',
          body: { reason: 'not needed' },
        },
      ],
    ];

    it.each(cases)('%s', async (_name, call, expected) => {
      const { client, requests } = setup({ json: { answer: 42 } });
      await expect(call(client)).resolves.toEqual({ answer: 42 });
      expect(requests).toHaveLength(1);
      const [req] = requests;
      expect(req.method).toBe(expected.method);
      expect(req.url).toBe(`${BASE}${expected.path}`);
      expect(req.body).toEqual(expected.body);
      expect(req.headers).toEqual(
        expected.body === undefined
          ? {}
          : { 'Content-Type': 'application/json' },
      );
    });
  });

  it('deletes a managed deployment and resolves on 204', async () => {
    const { client, requests } = setup({ status: 204 });
    await expect(client.deleteManagedDeployment(mm)).resolves.toBeUndefined();
    expect(requests[0]).toMatchObject({
      method: 'DELETE',
      url: `${BASE}/managed-deployments/default/dc1-to-dc2`,
    });
  });

  it('passes the metrics window through', async () => {
    const { client, requests } = setup({ json: { entityRef: 'x' } });
    await client.getDeploymentMetrics(mm, { window: '6h' });
    expect(requests[0].url).toBe(
      `${BASE}/entities/MirrorMaker/default/dc1-to-dc2/metrics?window=6h`,
    );
  });

  it('keeps deployment and service metrics apart by kind, without a request', async () => {
    const { client, fetchApi } = setup();
    await expect(client.getDeploymentMetrics(service)).rejects.toThrow(
      /deployment metrics exist for MirrorMaker entities only, not Component/,
    );
    await expect(
      client.getServiceMetrics({ ...mm, kind: 'mirrormaker' }),
    ).rejects.toThrow(/use getDeploymentMetrics/);
    expect(fetchApi.fetch).not.toHaveBeenCalled();
  });

  it('reads the Prometheus exposition as text', async () => {
    const exposition = '# TYPE mirror_maker_lag_total_records gauge\n';
    const { client, requests } = setup({
      text: exposition,
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
    });
    await expect(client.getPrometheusText()).resolves.toBe(exposition);
    expect(requests[0]).toMatchObject({
      method: 'GET',
      url: `${BASE}/metrics`,
    });
  });

  it('builds the archive URL and downloads the archive with fetchApi', async () => {
    const { client, requests } = setup({
      text: 'gzip bytes',
      contentType: 'application/gzip',
    });
    await expect(
      client.getBundleArchiveUrl(mm, { redact: true }),
    ).resolves.toBe(
      `${BASE}/entities/MirrorMaker/default/dc1-to-dc2/bundle.tar.gz?redact=true`,
    );
    const blob = await client.downloadBundleArchive(mm);
    expect(blob.size).toBe('gzip bytes'.length);
    expect(blob.type).toBe('application/gzip');
    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe(
      `${BASE}/entities/MirrorMaker/default/dc1-to-dc2/bundle.tar.gz`,
    );
  });

  describe('hostile refs', () => {
    const hostile = {
      kind: 'MirrorMaker',
      namespace: 'default',
      name: 'a/../b?x=1#',
    };

    it('encode into one path segment', async () => {
      const { client, requests } = setup(
        { json: {} },
        { json: {} },
        { json: {} },
      );
      await client.getBundle(hostile, { redact: false });
      await client.listClusterTopics('../health?');
      await client.getDeploymentDiff('a/b', 'x&redact=true#');
      const paths = requests.map(r => r.url.slice(BASE.length));
      expect(paths).toEqual([
        '/entities/MirrorMaker/default/a%2F..%2Fb%3Fx%3D1%23/bundle?redact=false',
        '/clusters/..%2Fhealth%3F/topics',
        '/deployments/a%2Fb/diff?against=x%26redact%3Dtrue%23',
      ]);
      for (const { url } of requests) {
        // What a browser would request: the path is the route, nothing was lifted out.
        const parsed = new URL(url);
        expect(parsed.hash).toBe('');
        expect(parsed.pathname.startsWith('/api/mirror-maker/')).toBe(true);
        expect(parsed.pathname).not.toMatch(/\/\.\.?\//);
      }
      expect(new URL(requests[0].url).pathname).toBe(
        '/api/mirror-maker/entities/MirrorMaker/default/a%2F..%2Fb%3Fx%3D1%23/bundle',
      );
      expect(new URL(requests[2].url).searchParams.get('against')).toBe(
        'x&redact=true#',
      );
    });

    it('refuse dot segments and empty names, which encoding cannot neutralise', async () => {
      const { client, fetchApi } = setup();
      await expect(
        client.getEntityTopology({ ...mm, name: '..' }),
      ).rejects.toThrow(/name: "\.\." cannot name a path segment/);
      await expect(
        client.deploy({ ...mm, namespace: '.' }, { reason: 'r' }),
      ).rejects.toThrow(/namespace: "\." cannot name a path segment/);
      await expect(client.getDeployment('')).rejects.toThrow(/id: ""/);
      await expect(client.listClusterTopics('..')).rejects.toThrow(/cluster/);
      expect(fetchApi.fetch).not.toHaveBeenCalled();
    });
  });

  describe('errors', () => {
    it('surfaces the backend error name and message', async () => {
      const { client } = setup(
        backendError(
          403,
          'NotAllowedError',
          'You may not deploy mirrormaker:default/dc1-to-dc2 (permission mirrorMaker.deploy; by default its owners may)',
        ),
      );
      const error = await client
        .deploy(mm, { reason: 'go' })
        .catch((e: unknown) => e);
      expect(ResponseError.is(error)).toBe(true);
      const re = error as ResponseError;
      expect(re.statusCode).toBe(403);
      expect(re.cause.name).toBe('NotAllowedError');
      expect(re.cause.message).toBe(
        'You may not deploy mirrormaker:default/dc1-to-dc2 (permission mirrorMaker.deploy; by default its owners may)',
      );
    });

    it.each([
      ['listClusters', (c: MirrorMakerClient) => c.listClusters()],
      ['getPrometheusText', (c: MirrorMakerClient) => c.getPrometheusText()],
      [
        'downloadBundleArchive',
        (c: MirrorMakerClient) => c.downloadBundleArchive(mm),
      ],
      [
        'deleteManagedDeployment',
        (c: MirrorMakerClient) => c.deleteManagedDeployment(mm),
      ],
    ])('%s throws on a non-OK answer', async (_name, call) => {
      const { client } = setup(
        backendError(
          503,
          'ServiceUnavailableError',
          'Metrics are not enabled in this backend',
        ),
      );
      await expect(call(client)).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 503,
        cause: expect.objectContaining({
          message: 'Metrics are not enabled in this backend',
        }),
      });
    });

    it('hands back the problems of a refused entity', async () => {
      const problems = [
        {
          path: 'spec.target',
          message: 'must differ from spec.source',
          severity: 'error',
        },
      ];
      const { client } = setup(
        backendError(400, 'InputError', 'entity is invalid: spec.target ...', {
          problems,
        }),
      );
      const error = await client.validate(entity).catch((e: unknown) => e);
      expect(validationProblemsOf(error)).toEqual(problems);
      expect(validationProblemsOf(new Error('other'))).toBeUndefined();
    });

    it('hands back the field problems of a refused replication request', async () => {
      const problems = [
        {
          field: 'topics[0]',
          message: 'orders.dc1 does not exist on kafka-dc1',
          severity: 'error',
        },
      ];
      const { client } = setup(
        backendError(400, 'InputError', 'request is invalid', { problems }),
      );
      const error = await client
        .createRequest(requestInput)
        .catch((e: unknown) => e);
      expect(requestProblemsOf(error)).toEqual(problems);
      expect(requestProblemsOf(new Error('other'))).toBeUndefined();
    });

    it.each([
      [403, 'NotAllowedError'],
      [409, 'ConflictError'],
    ])(
      'a refused decision rejects with the status (%i)',
      async (status, name) => {
        const { client } = setup(
          backendError(status, name, 'request req-1 is applied'),
        );
        await expect(client.approveRequest('req-1')).rejects.toMatchObject({
          statusCode: status,
          cause: expect.objectContaining({ name }),
        });
      },
    );

    it('refuses request ids that would climb out of the route', async () => {
      const { client, requests } = setup();
      await expect(client.getRequest('..')).rejects.toThrow(/id: "\.\."/);
      await expect(client.rejectRequest('', 'no')).rejects.toThrow(/id/);
      expect(requests).toHaveLength(0);
    });

    it('keeps a non-JSON error body in the message', async () => {
      const { client } = setup({ status: 502, text: 'Bad gateway from proxy' });
      await expect(client.getTopology()).rejects.toMatchObject({
        statusCode: 502,
        cause: expect.objectContaining({
          message: expect.stringContaining('Bad gateway from proxy'),
        }),
      });
    });
  });

  describe('getHealth', () => {
    const down = {
      status: 'error',
      database: { ok: false, message: 'connection refused' },
      deployTargets: [{ name: 'local', ready: true }],
    };

    it('returns the health document on a 503', async () => {
      const { client, requests } = setup({ status: 503, json: down });
      await expect(client.getHealth()).resolves.toEqual(down);
      expect(requests[0]).toMatchObject({
        method: 'GET',
        url: `${BASE}/health`,
      });
    });

    it('throws on other failures', async () => {
      const { client } = setup(backendError(500, 'Error', 'boom'));
      await expect(client.getHealth()).rejects.toMatchObject({
        statusCode: 500,
        cause: expect.objectContaining({ message: 'boom' }),
      });
    });
  });
});
