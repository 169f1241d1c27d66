import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { MirrorMakerApi, mirrorMakerApiRef, ServiceMetrics } from '../../api';
import { ServiceReplicationCard } from './ServiceReplicationCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: { 'mirrormaker.io/topics': 'orders.dc1, audit, refunds.dc2' },
  },
  spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
};

const serviceMetrics: ServiceMetrics = {
  entityRef: 'component:default/orders',
  observedAt: '2026-11-24T12:00:00.000Z',
  topics: [
    {
      topic: 'orders.dc1',
      suffix: 'dc1',
      home: { cluster: 'kafka-dc1', dataCentre: 'dc1' },
      reaches: [
        {
          cluster: 'kafka-dc2',
          dataCentre: 'dc2',
          writers: [
            {
              deploymentRef: 'mirrormaker:default/dc1-to-dc2',
              lag: 1234,
              partitionsWithoutCommit: 2,
              heartbeatLatencyMs: 850,
            },
            {
              deploymentRef: 'mirrormaker:default/orders-to-dc2',
              lag: null,
              partitionsWithoutCommit: 0,
              error: 'kafka-dc1 did not answer within 10 s',
            },
          ],
        },
        {
          cluster: 'kafka-dc3',
          dataCentre: 'dc3',
          writers: [
            {
              deploymentRef: 'mirrormaker:default/dc2-to-dc3',
              lag: 0,
              partitionsWithoutCommit: 0,
              heartbeatLatencyMs: 2300,
            },
          ],
        },
      ],
      warnings: [],
    },
    {
      topic: 'audit',
      reaches: [],
      warnings: [
        'audit has no data-centre suffix, so no deployment replicates it by suffix',
      ],
    },
    {
      topic: 'refunds.dc2',
      suffix: 'dc2',
      home: { cluster: 'kafka-dc2', dataCentre: 'dc2' },
      reaches: [],
      warnings: ['refunds.dc2 is not replicated out of dc2'],
    },
  ],
};

function render(e: Entity, api: Partial<MirrorMakerApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[mirrorMakerApiRef, api]]}>
      <EntityProvider entity={e}>
        <ServiceReplicationCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const rowsOf = (topic: string) =>
  screen
    .getAllByText(topic, { selector: 'code' })
    .map(code => code.closest('tr')!);

describe('ServiceReplicationCard', () => {
  it('shows where each topic goes, by which deployment, how far behind', async () => {
    const getServiceMetrics = jest.fn(async () => serviceMetrics);
    await render(entity, { getServiceMetrics });
    expect(await screen.findByText('Topic replication')).toBeInTheDocument();
    await screen.findAllByText('orders.dc1', { selector: 'code' });
    expect(getServiceMetrics).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders',
    });

    const orders = rowsOf('orders.dc1');
    expect(orders).toHaveLength(3);
    expect(orders[0]).toHaveTextContent('dc1 (kafka-dc1)');
    expect(orders[0]).toHaveTextContent('dc2 (kafka-dc2)');
    expect(orders[0]).toHaveTextContent('dc1-to-dc2');
    expect(orders[0]).toHaveTextContent('1,234');
    expect(orders[0]).toHaveTextContent('2 partitions without a commit');
    expect(orders[0]).toHaveTextContent('850 ms');
    expect(within(orders[0]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/mirrormaker/dc1-to-dc2',
    );
    expect(orders[1]).toHaveTextContent('orders-to-dc2');
    expect(orders[1]).toHaveTextContent(
      'unknown: kafka-dc1 did not answer within 10 s',
    );
    expect(orders[2]).toHaveTextContent('dc3 (kafka-dc3)');
    expect(orders[2]).toHaveTextContent('2.3 s');

    const [audit] = rowsOf('audit');
    expect(audit).toHaveTextContent('not replicated');
    const [refunds] = rowsOf('refunds.dc2');
    expect(refunds).toHaveTextContent('dc2 (kafka-dc2)');
    expect(refunds).toHaveTextContent('not replicated');

    const warnings = screen.getByTestId('replication-warnings');
    expect(
      within(warnings).getByText(
        'audit has no data-centre suffix, so no deployment replicates it by suffix',
      ),
    ).toBeInTheDocument();
    expect(
      within(warnings).getByText('refunds.dc2 is not replicated out of dc2'),
    ).toBeInTheDocument();
  });

  it('says all is well when no topic has a warning', async () => {
    await render(entity, {
      getServiceMetrics: async () => ({
        ...serviceMetrics,
        topics: serviceMetrics.topics.slice(0, 1),
      }),
    });
    expect(
      await screen.findByText(
        'Every topic has a home data centre and is replicated',
      ),
    ).toBeInTheDocument();
  });

  it('says so when the annotation lists no topic', async () => {
    await render(entity, {
      getServiceMetrics: async () => ({ ...serviceMetrics, topics: [] }),
    });
    expect(await screen.findByText('No topics')).toBeInTheDocument();
  });

  it('shows the error when the metrics cannot be read', async () => {
    await render(entity, {
      getServiceMetrics: async () => {
        throw new Error('backend down');
      },
    });
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });

  it('asks for the annotation when it is missing', async () => {
    const getServiceMetrics = jest.fn();
    await render(
      { ...entity, metadata: { name: 'orders', namespace: 'default' } },
      { getServiceMetrics },
    );
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/mirrormaker\.io\/topics/).length,
    ).toBeGreaterThan(0);
    expect(getServiceMetrics).not.toHaveBeenCalled();
  });
});
