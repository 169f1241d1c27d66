import { generateTopology } from './generate';
import { boxContains, boxesOverlap, layoutTopology } from './layout';
import { twoDcTopology } from './testData';

describe('layoutTopology', () => {
  it('merges parallel deployments into one edge with every ref', () => {
    const layout = layoutTopology(twoDcTopology);
    expect(layout.edges.map(e => [e.id, e.count, e.refs])).toEqual([
      [
        'kafka-dc1->kafka-dc2',
        2,
        ['mirrormaker:default/dc1-to-dc2', 'mirrormaker:default/orders-to-dc2'],
      ],
      ['kafka-dc2->kafka-dc1', 1, ['mirrormaker:default/dc2-to-dc1']],
    ]);
    expect(layout.dataCentres.map(d => [d.name, d.clusters])).toEqual([
      ['dc1', ['kafka-dc1']],
      ['dc2', ['kafka-dc2']],
    ]);
    for (const edge of layout.edges) {
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('leaves out deployments with an unknown cluster and says which', () => {
    const layout = layoutTopology({
      ...twoDcTopology,
      edges: [
        ...twoDcTopology.edges,
        {
          ...twoDcTopology.edges[0],
          ref: 'mirrormaker:default/to-nowhere',
          target: 'kafka-dc7',
          valid: false,
        },
      ],
    });
    expect(layout.omitted).toEqual(['mirrormaker:default/to-nowhere']);
    expect(layout.edges).toHaveLength(2);
  });

  it('lays out an empty topology', () => {
    expect(
      layoutTopology({ dataCentres: [], nodes: [], edges: [] }),
    ).toMatchObject({ width: 0, height: 0, clusters: [], edges: [] });
  });

  describe('with 20 data centres and 200 flows', () => {
    const topology = generateTopology(20, 200);
    const layout = layoutTopology(topology);

    it('generates a topology of that size', () => {
      expect(topology.dataCentres).toHaveLength(20);
      expect(topology.edges).toHaveLength(200);
      expect(topology.nodes.length).toBeGreaterThan(20);
      // some pairs of clusters get several deployments
      expect(layout.edges.length).toBeLessThan(200);
      expect(layout.edges.reduce((n, e) => n + e.count, 0)).toBe(200);
    });

    it('places no cluster over another', () => {
      const boxes = layout.clusters;
      expect(boxes).toHaveLength(topology.nodes.length);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          if (boxesOverlap(boxes[i], boxes[j])) {
            throw new Error(`${boxes[i].name} overlaps ${boxes[j].name}`);
          }
        }
      }
    });

    it('places every cluster inside its data centre, and no data centre over another', () => {
      const dcs = new Map(layout.dataCentres.map(d => [d.name, d]));
      for (const cluster of layout.clusters) {
        expect(boxContains(dcs.get(cluster.dataCentre)!, cluster)).toBe(true);
      }
      const groups = layout.dataCentres;
      for (let i = 0; i < groups.length; i++) {
        for (let j = i + 1; j < groups.length; j++) {
          if (boxesOverlap(groups[i], groups[j])) {
            throw new Error(`${groups[i].name} overlaps ${groups[j].name}`);
          }
        }
      }
    });

    it('keeps the whole drawing within its size', () => {
      for (const box of [...layout.clusters, ...layout.dataCentres]) {
        expect(
          boxContains(
            { x: 0, y: 0, width: layout.width, height: layout.height },
            box,
          ),
        ).toBe(true);
      }
    });

    it('is the same every time', () => {
      expect(layoutTopology(generateTopology(20, 200))).toEqual(layout);
    });
  });
});
