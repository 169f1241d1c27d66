import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  ClusterList,
  MirrorMakerApi,
  MirrorMakerHealth,
  mirrorMakerApiRef,
  TopologyResult,
} from '../../api';
import { emptyTopology, twoDcTopology } from '../TopologyGraph/testData';
import { requestOf } from '../RequestsView/testData';
import { MirrorMakerPage } from './MirrorMakerPage';

const clusterList: ClusterList = {
  items: [
    {
      name: 'kafka-dc1',
      dataCentre: 'dc1',
      topicSuffix: 'dc1',
      brokers: ['b1:9092'],
      securityProtocol: 'PLAINTEXT',
      checkedAt: '2026-11-24T12:00:00.000Z',
      reachable: true,
      brokerCount: 3,
      clusterId: 'abc',
    },
    {
      name: 'kafka-dc2',
      dataCentre: 'dc2',
      topicSuffix: 'dc2',
      brokers: ['b2:9092'],
      securityProtocol: 'SASL_SSL',
      checkedAt: '2026-11-24T12:00:00.000Z',
      reachable: false,
      error: 'connection refused',
    },
  ],
};

const okHealth: MirrorMakerHealth = {
  status: 'ok',
  database: { ok: true },
  deployTargets: [
    { name: 'local', ready: true },
    { name: 'ssh', ready: false, message: 'no known_hosts' },
  ],
};

const api = (
  health: () => Promise<MirrorMakerHealth>,
  overrides: Partial<MirrorMakerApi> = {},
): Partial<MirrorMakerApi> => ({
  getHealth: health,
  getTopology: async (): Promise<TopologyResult> => twoDcTopology,
  listClusters: async () => clusterList,
  listRequests: async () => ({ items: [] }),
  ...overrides,
});

const render = (fake: Partial<MirrorMakerApi>, path = '/') =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [mirrorMakerApiRef, fake],
        [
          permissionApiRef,
          { authorize: async () => ({ result: AuthorizeResult.ALLOW }) },
        ],
      ]}
    >
      <MirrorMakerPage />
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );

describe('MirrorMakerPage', () => {
  it('shows the control plane health from the backend', async () => {
    await render(api(async () => okHealth));
    expect(await screen.findByText('Database reachable')).toBeInTheDocument();
    expect(screen.getByText('Deploy target local ready')).toBeInTheDocument();
    expect(
      screen.getByText('Deploy target ssh not ready: no known_hosts'),
    ).toBeInTheDocument();
  });

  it('says so when no deploy target is installed', async () => {
    await render(
      api(async () => ({
        status: 'error',
        database: { ok: false, message: 'connection refused' },
        deployTargets: [],
      })),
    );
    expect(
      await screen.findByText('Database unreachable: connection refused'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No deploy target is installed'),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend cannot be reached', async () => {
    await render(
      api(async () => {
        throw new Error('backend down');
      }),
    );
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });

  it('shows the topology with its findings, the clusters and the requests card', async () => {
    const { container } = await render(api(async () => okHealth));
    expect(await screen.findByText('Replication topology')).toBeInTheDocument();
    expect(container.querySelectorAll('g[data-cluster]')).toHaveLength(2);
    expect(container.querySelectorAll('[data-finding]')).toHaveLength(3);
    expect(
      screen.getByText(/kafka-dc1 \(dc1, \.dc1\): reachable, 3 brokers/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /kafka-dc2 \(dc2, \.dc2\): unreachable: connection refused/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Replication requests')).toBeInTheDocument();
    expect(
      await screen.findByText('No replication requests'),
    ).toBeInTheDocument();
  });

  it('shows an empty topology and an empty cluster list', async () => {
    await render(
      api(async () => okHealth, {
        getTopology: async () => emptyTopology,
        listClusters: async () => ({ items: [] }),
      }),
    );
    expect(await screen.findByText('Replication topology')).toBeInTheDocument();
    expect(screen.getAllByText('No Kafka clusters configured')).toHaveLength(2);
  });

  it('shows the error of each card on its own', async () => {
    await render(
      api(async () => okHealth, {
        getTopology: async () => {
          throw new Error('topology failed');
        },
        listClusters: async () => {
          throw new Error('clusters failed');
        },
      }),
    );
    expect(
      await screen.findByText('Error: topology failed'),
    ).toBeInTheDocument();
    expect(screen.getByText('Error: clusters failed')).toBeInTheDocument();
    expect(screen.getByText('Database reachable')).toBeInTheDocument();
  });

  it('lists the open requests of every team', async () => {
    const listRequests = jest.fn(async () => ({ items: [requestOf('req-1')] }));
    await render(api(async () => okHealth, { listRequests }));
    expect(await screen.findByTestId('request-row-req-1')).toBeInTheDocument();
    expect(listRequests).toHaveBeenCalledWith({
      status: ['pending', 'approved'],
    });
  });

  it('shows one request, opened on its history, at requests/:id', async () => {
    const getRequest = jest.fn(async (id: string) =>
      requestOf(id, { status: 'applied', revision: 2 }),
    );
    const getHealth = jest.fn(async () => okHealth);
    await render(api(getHealth, { getRequest }), '/requests/req-42');
    expect(
      await screen.findByText('Replication request req-42'),
    ).toBeInTheDocument();
    expect(
      await screen.findByTestId('request-status-req-42'),
    ).toHaveTextContent('applied');
    expect(
      screen.getByRole('table', { name: 'History of request req-42' }),
    ).toBeInTheDocument();
    expect(getRequest).toHaveBeenCalledWith('req-42');
    expect(getHealth).not.toHaveBeenCalled();
  });

  it('says so when the request does not exist', async () => {
    await render(
      api(async () => okHealth, {
        getRequest: async () => {
          throw new Error('no replication request req-404');
        },
      }),
      '/requests/req-404',
    );
    expect(
      await screen.findAllByText(/no replication request req-404/),
    ).not.toHaveLength(0);
  });
});
