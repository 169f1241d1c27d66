import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { generateTopology } from './generate';
import { twoDcTopology } from './testData';
import { TopologyGraph } from './TopologyGraph';

describe('TopologyGraph', () => {
  it('draws data centres, clusters and one arrow per pair of clusters', async () => {
    const { container } = await renderInTestApp(
      <TopologyGraph topology={twoDcTopology} />,
    );
    const svg = container.querySelector('svg')!;
    expect(svg.getAttribute('viewBox')).toMatch(
      /^0 0 \d+(\.\d+)? \d+(\.\d+)?$/,
    );
    expect(container.querySelectorAll('g[data-dc]')).toHaveLength(2);
    expect(container.querySelectorAll('g[data-cluster]')).toHaveLength(2);
    expect(container.querySelectorAll('g[data-edge]')).toHaveLength(2);
    expect(screen.getByText('dc1 · .dc1')).toBeInTheDocument();
    expect(screen.getByText('×2')).toBeInTheDocument();
    const merged = container.querySelector(
      'g[data-edge="kafka-dc1->kafka-dc2"] > title',
    )!;
    expect(merged.textContent).toBe(
      [
        'kafka-dc1 → kafka-dc2: 2 deployments',
        'mirrormaker:default/dc1-to-dc2',
        'mirrormaker:default/orders-to-dc2',
      ].join('\n'),
    );
    expect(container.querySelectorAll('[data-highlighted]')).toHaveLength(0);
  });

  it('draws a highlighted deployment and its clusters last', async () => {
    const { container } = await renderInTestApp(
      <TopologyGraph
        topology={twoDcTopology}
        highlight={{ deploymentRef: 'mirrormaker:default/dc2-to-dc1' }}
      />,
    );
    const highlighted = [
      ...container.querySelectorAll('[data-highlighted="true"]'),
    ].map(
      el => el.getAttribute('data-edge') ?? el.getAttribute('data-cluster'),
    );
    expect(highlighted).toEqual([
      'kafka-dc2->kafka-dc1',
      'kafka-dc1',
      'kafka-dc2',
    ]);
    const svg = container.querySelector('svg')!;
    const last = svg.lastElementChild!;
    expect(last.getAttribute('data-highlighted')).toBe('true');
  });

  it('highlights a cluster and every arrow touching it', async () => {
    const { container } = await renderInTestApp(
      <TopologyGraph
        topology={twoDcTopology}
        highlight={{ cluster: 'kafka-dc1' }}
      />,
    );
    expect(
      container.querySelectorAll('g[data-edge][data-highlighted="true"]'),
    ).toHaveLength(2);
    expect(
      [
        ...container.querySelectorAll(
          'g[data-cluster][data-highlighted="true"]',
        ),
      ].map(el => el.getAttribute('data-cluster')),
    ).toEqual(['kafka-dc1']);
  });

  it('says so when there is no cluster', async () => {
    await renderInTestApp(
      <TopologyGraph topology={{ dataCentres: [], nodes: [], edges: [] }} />,
    );
    expect(
      screen.getByText(
        'No Kafka clusters are configured, so there is nothing to draw.',
      ),
    ).toBeInTheDocument();
  });

  it('renders 20 data centres and 200 flows with one group per cluster', async () => {
    const topology = generateTopology(20, 200);
    const { container } = await renderInTestApp(
      <TopologyGraph topology={topology} />,
    );
    expect(container.querySelectorAll('g[data-cluster]')).toHaveLength(
      topology.nodes.length,
    );
    expect(container.querySelectorAll('g[data-dc]')).toHaveLength(20);
    const titles = [...container.querySelectorAll('g[data-edge] > title')];
    const refs = titles.flatMap(t => t.textContent!.split('\n').slice(1));
    expect(new Set(refs).size).toBe(200);
  });
});
