import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { MirrorMakerApi, mirrorMakerApiRef, TopologyResult } from '../../api';
import { emptyTopology, twoDcTopology } from './testData';
import { TopologyContent } from './TopologyContent';

const mirrorMaker: Entity = {
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc2-to-dc1', namespace: 'default' },
  spec: {},
};

const clusterResource: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'kafka-dc2',
    annotations: { 'mirrormaker.io/cluster': 'kafka-dc2' },
  },
  spec: { type: 'kafka-cluster', owner: 'team' },
};

function render(entity: Entity, getTopology: () => Promise<TopologyResult>) {
  const api: Partial<MirrorMakerApi> = { getTopology };
  return renderInTestApp(
    <TestApiProvider apis={[[mirrorMakerApiRef, api]]}>
      <TopologyContent entity={entity} />
    </TestApiProvider>,
  );
}

describe('TopologyContent', () => {
  it('highlights a MirrorMaker and lists the findings that concern it', async () => {
    const { container } = await render(mirrorMaker, async () => twoDcTopology);
    expect(await screen.findByText('Replication topology')).toBeInTheDocument();
    expect(
      container
        .querySelector('g[data-edge][data-highlighted="true"]')!
        .getAttribute('data-edge'),
    ).toBe('kafka-dc2->kafka-dc1');
    expect(
      screen.getByText('Findings concerning this entity'),
    ).toBeInTheDocument();
    expect(screen.getByText('No findings.')).toBeInTheDocument();
    expect(
      screen.getByText('3 more findings concern other parts of the topology.'),
    ).toBeInTheDocument();
  });

  it('highlights a kafka-cluster Resource and shows its findings by severity', async () => {
    const { container } = await render(
      clusterResource,
      async () => twoDcTopology,
    );
    await screen.findByText('Replication topology');
    expect(
      [
        ...container.querySelectorAll(
          'g[data-cluster][data-highlighted="true"]',
        ),
      ].map(el => el.getAttribute('data-cluster')),
    ).toEqual(['kafka-dc2']);
    const error = container.querySelector(
      '[data-finding="duplicate-writers:kafka-dc2:orders.dc1"]',
    )!;
    expect(error.className).toMatch(/standardError/);
    const warning = container.querySelector(
      '[data-finding="unknown-suffix-topic:kafka-dc2"]',
    )!;
    expect(warning.className).toMatch(/standardWarning/);
    expect(
      container.querySelector('[data-finding^="unreplicated"]'),
    ).toBeNull();
  });

  it('shows the error when the topology cannot be loaded', async () => {
    await render(mirrorMaker, async () => {
      throw new Error('topology unavailable');
    });
    expect(
      await screen.findByText('Error: topology unavailable'),
    ).toBeInTheDocument();
  });

  it('says so when no cluster is configured', async () => {
    await render(mirrorMaker, async () => emptyTopology);
    expect(
      await screen.findByText('No Kafka clusters configured'),
    ).toBeInTheDocument();
  });
});
