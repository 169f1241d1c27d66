import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  CompoundEntityRef,
  EntityTopology,
  MirrorMakerApi,
  mirrorMakerApiRef,
} from '../../api';
import { deploymentMetrics } from '../MetricsView/testData';
import { twoDcTopology } from '../TopologyGraph/testData';
import { KafkaClusterCard } from './KafkaClusterCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'kafka-dc1',
    namespace: 'default',
    annotations: { 'mirrormaker.io/cluster': 'kafka-dc1' },
  },
  spec: { type: 'kafka-cluster', owner: 'team-data' },
};

const clusterTopology: EntityTopology = {
  entityRef: 'resource:default/kafka-dc1',
  role: 'cluster',
  node: twoDcTopology.nodes[0],
  edges: twoDcTopology.edges.filter(
    e => e.source === 'kafka-dc1' || e.target === 'kafka-dc1',
  ),
  findings: [],
  suffixMap: [],
  live: { 'kafka-dc1': { reachable: true } },
  generatedAt: '2026-11-24T12:00:00.000Z',
};

function render(e: Entity, api: Partial<MirrorMakerApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[mirrorMakerApiRef, api]]}>
      <EntityProvider entity={e}>
        <KafkaClusterCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const metricsByName = async (ref: CompoundEntityRef) => {
  switch (ref.name) {
    case 'dc1-to-dc2':
      return deploymentMetrics();
    case 'dc2-to-dc1':
      return deploymentMetrics({
        status: { state: 'unknown', messages: [] },
        lag: { reachable: false, error: 'kafka-dc2 did not answer' },
      });
    default:
      throw new Error(`metrics of ${ref.name} timed out`);
  }
};

const rowOf = (section: HTMLElement, name: string) =>
  within(section).getByText(name).closest('tr')!;

describe('KafkaClusterCard', () => {
  it('lists the flows in and out with lag and heartbeat, one failing flow inline', async () => {
    const getEntityTopology = jest.fn(async () => clusterTopology);
    const getDeploymentMetrics = jest.fn(metricsByName);
    const { container } = await render(entity, {
      getEntityTopology,
      getDeploymentMetrics,
    });
    expect(await screen.findByText('Flows in (1)')).toBeInTheDocument();
    expect(screen.getByText('Flows out (2)')).toBeInTheDocument();
    expect(getEntityTopology).toHaveBeenCalledWith({
      kind: 'Resource',
      namespace: 'default',
      name: 'kafka-dc1',
    });
    expect(
      await screen.findByText(
        'metrics unavailable: metrics of orders-to-dc2 timed out',
      ),
    ).toBeInTheDocument();
    expect(getDeploymentMetrics).toHaveBeenCalledWith(
      { kind: 'mirrormaker', namespace: 'default', name: 'dc1-to-dc2' },
      { window: '15m' },
    );
    expect(getDeploymentMetrics).toHaveBeenCalledTimes(3);

    const inbound = container.querySelector<HTMLElement>('[data-flows="in"]')!;
    const outbound =
      container.querySelector<HTMLElement>('[data-flows="out"]')!;

    const dc2 = rowOf(inbound, 'dc2-to-dc1');
    expect(dc2).toHaveTextContent('kafka-dc2 (dc2)');
    expect(dc2).toHaveTextContent('unknown: kafka-dc2 did not answer');
    expect(dc2).toHaveTextContent('1.5 s');

    const dc1 = rowOf(outbound, 'dc1-to-dc2');
    expect(dc1).toHaveTextContent('kafka-dc2 (dc2)');
    expect(dc1).toHaveTextContent('degraded');
    expect(dc1).toHaveTextContent('30');
    expect(dc1).toHaveTextContent('1 partitions without a commit');
    expect(dc1).toHaveTextContent('1.5 s');
    expect(within(dc1).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/mirrormaker/dc1-to-dc2',
    );

    const orders = rowOf(outbound, 'orders-to-dc2');
    expect(orders).toHaveTextContent('1 (names)');
  });

  it('says so when the cluster has no flows', async () => {
    await render(entity, {
      getEntityTopology: async () => ({ ...clusterTopology, edges: [] }),
      getDeploymentMetrics: jest.fn(),
    });
    expect(
      await screen.findByText('No deployment writes into kafka-dc1.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No deployment reads from kafka-dc1.'),
    ).toBeInTheDocument();
  });

  it('shows the error when the topology cannot be read', async () => {
    await render(entity, {
      getEntityTopology: async () => {
        throw new Error('backend down');
      },
    });
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });

  it('asks for the annotation when it is missing', async () => {
    const getEntityTopology = jest.fn();
    await render(
      { ...entity, metadata: { name: 'kafka-dc1', namespace: 'default' } },
      { getEntityTopology },
    );
    expect(
      await screen.findAllByText(/mirrormaker\.io\/cluster/),
    ).not.toHaveLength(0);
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(getEntityTopology).not.toHaveBeenCalled();
  });
});
