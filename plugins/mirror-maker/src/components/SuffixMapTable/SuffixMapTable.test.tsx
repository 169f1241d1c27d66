import type { Entity } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { MirrorMakerApi, mirrorMakerApiRef, TopologyResult } from '../../api';
import { emptyTopology, twoDcTopology } from '../TopologyGraph/testData';
import { SuffixMapContent } from './SuffixMapContent';
import { SuffixMapTable } from './SuffixMapTable';

const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

const rowOf = (suffix: string) => screen.getByText(`.${suffix}`).closest('tr')!;

describe('SuffixMapTable', () => {
  it('shows each suffix with its home, reach, writers, counts and call-outs', async () => {
    const { container } = await renderInTestApp(
      <SuffixMapTable topology={twoDcTopology} />,
      mountedRoutes,
    );
    const dc1 = within(rowOf('dc1'));
    expect(dc1.getByText('kafka-dc1 (dc1)')).toBeInTheDocument();
    expect(dc1.getByText(/kafka-dc2 \(dc2\)/)).toBeInTheDocument();
    expect(dc1.getByText('dc1-to-dc2')).toBeInTheDocument();
    expect(dc1.getByText('orders-to-dc2')).toBeInTheDocument();
    expect(dc1.getByText('kafka-dc1: 3')).toBeInTheDocument();
    expect(dc1.getByText('kafka-dc2: 2')).toBeInTheDocument();
    expect(
      dc1.getByText(/orders\.dc1 on kafka-dc2 is conflicting/),
    ).toBeInTheDocument();
    expect(
      dc1.getByText(/invoices\.dc1 is missing on kafka-dc2/),
    ).toBeInTheDocument();

    const dc2 = within(rowOf('dc2'));
    expect(
      dc2.getByText(/old\.dc2 on kafka-dc1 is unreplicated/),
    ).toBeInTheDocument();

    const dc9 = within(rowOf('dc9'));
    expect(dc9.getByText('No cluster owns this suffix')).toBeInTheDocument();
    expect(dc9.getByText('Nowhere')).toBeInTheDocument();
    expect(
      dc9.getByText(
        /stale\.dc9 on kafka-dc2 has a suffix no configured cluster owns/,
      ),
    ).toBeInTheDocument();

    expect(
      container.querySelector('[data-callout="no-suffix"]')!.textContent,
    ).toContain('legacy (kafka-dc1)');
  });

  it('keeps only the rows a deployment writes', async () => {
    await renderInTestApp(
      <SuffixMapTable
        topology={twoDcTopology}
        filter={{ deploymentRef: 'mirrormaker:default/orders-to-dc2' }}
      />,
      mountedRoutes,
    );
    expect(screen.getByText('.dc1')).toBeInTheDocument();
    expect(screen.queryByText('.dc2')).toBeNull();
    expect(screen.queryByText('.dc9')).toBeNull();
  });

  it('says so when there is no row', async () => {
    await renderInTestApp(
      <SuffixMapTable topology={emptyTopology} />,
      mountedRoutes,
    );
    expect(screen.getByText(/No suffix to show/)).toBeInTheDocument();
  });
});

describe('SuffixMapContent', () => {
  const render = (
    entity: Entity,
    getTopology: () => Promise<TopologyResult>,
  ) => {
    const api: Partial<MirrorMakerApi> = { getTopology };
    return renderInTestApp(
      <TestApiProvider apis={[[mirrorMakerApiRef, api]]}>
        <SuffixMapContent entity={entity} />
      </TestApiProvider>,
      mountedRoutes,
    );
  };
  const cluster: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'kafka-dc1',
      annotations: { 'mirrormaker.io/cluster': 'kafka-dc1' },
    },
    spec: { type: 'kafka-cluster' },
  };

  it('shows the rows a cluster owns or receives', async () => {
    await render(cluster, async () => twoDcTopology);
    expect(
      await screen.findByText('Suffixes concerning this entity'),
    ).toBeInTheDocument();
    expect(screen.getByText('.dc1')).toBeInTheDocument();
    expect(screen.getByText('.dc2')).toBeInTheDocument();
    expect(screen.queryByText('.dc9')).toBeNull();
  });

  it('shows the error when the topology cannot be loaded', async () => {
    await render(cluster, async () => {
      throw new Error('no topology');
    });
    expect(await screen.findByText('Error: no topology')).toBeInTheDocument();
  });

  it('says so when no suffix concerns the entity', async () => {
    await render(
      {
        apiVersion: 'mirrormaker.io/v1alpha1',
        kind: 'MirrorMaker',
        metadata: { name: 'unknown' },
        spec: {},
      },
      async () => emptyTopology,
    );
    expect(
      await screen.findByText('No suffix concerns this entity'),
    ).toBeInTheDocument();
  });
});
