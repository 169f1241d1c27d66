import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { parsePreview, TopologyPreview } from './TopologyPreview';

describe('TopologyPreview', () => {
  it('reads sizes from the preview parameter within bounds', () => {
    expect(parsePreview('20x200')).toEqual({ dataCentres: 20, flows: 200 });
    expect(parsePreview(null)).toBeUndefined();
    for (const bad of [
      '0x5',
      '20x',
      'x200',
      '51x10',
      '20x2001',
      '2e1x5',
      ' 20x200',
    ]) {
      expect(parsePreview(bad)).toBeUndefined();
    }
  });

  it('draws a generated topology and says how long it took', async () => {
    const { container } = await renderInTestApp(
      <TopologyPreview dataCentres={4} flows={12} />,
    );
    expect(await screen.findByText(/^drawn in \d+ ms$/)).toBeInTheDocument();
    expect(container.querySelectorAll('[data-cluster]').length).toBeGreaterThan(
      3,
    );
  });
});
