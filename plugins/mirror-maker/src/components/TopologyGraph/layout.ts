import dagre from '@dagrejs/dagre';
import type { Topology } from '@mirrormaker/plugin-mirror-maker-common';

export interface LayoutOptions {
  /** Direction of the flow: left to right (default) or top to bottom. */
  rankdir?: 'LR' | 'TB';
  clusterWidth?: number;
  clusterHeight?: number;
  /** Space between a data centre's border and its clusters. */
  padding?: number;
  /** Height of the band at the top of a data centre box that holds its name. */
  labelHeight?: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A box by its top-left corner. */
export interface LayoutBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ClusterBox extends LayoutBox {
  name: string;
  dataCentre: string;
  topicSuffix: string;
  unreachable: boolean;
}

export interface DataCentreBox extends LayoutBox {
  name: string;
  clusters: string[];
}

/** The deployments between one source and one target cluster, drawn as one arrow. */
export interface EdgePath {
  /** `<source>-><target>`. */
  id: string;
  source: string;
  target: string;
  /** Deployment refs, sorted. */
  refs: string[];
  count: number;
  points: Point[];
}

export interface TopologyLayout {
  width: number;
  height: number;
  dataCentres: DataCentreBox[];
  clusters: ClusterBox[];
  edges: EdgePath[];
  /** Deployments left out because their source or target is not a known cluster. */
  omitted: string[];
}

const DEFAULTS: Required<LayoutOptions> = {
  rankdir: 'LR',
  clusterWidth: 170,
  clusterHeight: 48,
  padding: 12,
  labelHeight: 22,
};

const MARGIN = 16;

// Data centre and cluster names may coincide (`dc1` in `dc1`), so the
// graph's ids carry a prefix.
const dcId = (name: string) => `dc\u0000${name}`;
const clusterId = (name: string) => `cluster\u0000${name}`;

/**
 * Places the topology with dagre: each data centre a group, each cluster a
 * box inside it, each pair of source and target clusters one arrow standing
 * for all deployments between them. Pure: the same topology gives the same
 * layout, with the top-left corner of the drawing at (0, 0).
 */
export function layoutTopology(
  topology: Pick<Topology, 'nodes' | 'edges' | 'dataCentres'>,
  options: LayoutOptions = {},
): TopologyLayout {
  const o = { ...DEFAULTS, ...options };
  const g = new dagre.graphlib.Graph({ compound: true });
  g.setGraph({
    rankdir: o.rankdir,
    // Room between neighbours for the data-centre padding and label band.
    nodesep: 2 * o.padding + o.labelHeight + 12,
    ranksep: 2 * o.padding + o.labelHeight + 48,
    edgesep: 8,
    marginx: MARGIN,
    marginy: MARGIN,
  });
  g.setDefaultEdgeLabel(() => ({}));

  const dcMembers = new Map<string, string[]>();
  for (const dc of topology.dataCentres) dcMembers.set(dc.name, []);
  for (const node of topology.nodes) {
    if (!dcMembers.has(node.dataCentre)) dcMembers.set(node.dataCentre, []);
    dcMembers.get(node.dataCentre)!.push(node.name);
  }
  for (const [dc, members] of dcMembers) {
    if (members.length > 0) g.setNode(dcId(dc), { label: dc });
  }
  for (const node of topology.nodes) {
    g.setNode(clusterId(node.name), {
      width: o.clusterWidth,
      height: o.clusterHeight,
    });
    g.setParent(clusterId(node.name), dcId(node.dataCentre));
  }

  const known = new Set(topology.nodes.map(n => n.name));
  const merged = new Map<
    string,
    { source: string; target: string; refs: string[] }
  >();
  const omitted: string[] = [];
  for (const edge of topology.edges) {
    if (!known.has(edge.source) || !known.has(edge.target)) {
      omitted.push(edge.ref);
      continue;
    }
    const id = `${edge.source}->${edge.target}`;
    const entry = merged.get(id) ?? {
      source: edge.source,
      target: edge.target,
      refs: [],
    };
    entry.refs.push(edge.ref);
    merged.set(id, entry);
  }
  for (const { source, target } of merged.values()) {
    g.setEdge(clusterId(source), clusterId(target));
  }

  dagre.layout(g);

  const clusters: ClusterBox[] = topology.nodes.map(node => {
    const laid = g.node(clusterId(node.name));
    return {
      name: node.name,
      dataCentre: node.dataCentre,
      topicSuffix: node.topicSuffix,
      unreachable: node.unreachable === true,
      x: laid.x - o.clusterWidth / 2,
      y: laid.y - o.clusterHeight / 2,
      width: o.clusterWidth,
      height: o.clusterHeight,
    };
  });
  const byName = new Map(clusters.map(c => [c.name, c]));

  const dataCentres: DataCentreBox[] = [];
  for (const [name, members] of dcMembers) {
    if (members.length === 0) continue;
    const boxes = members.map(m => byName.get(m)!);
    // The group is drawn around its clusters with room for its name above them.
    const left = Math.min(...boxes.map(b => b.x)) - o.padding;
    const top = Math.min(...boxes.map(b => b.y)) - o.padding - o.labelHeight;
    const right = Math.max(...boxes.map(b => b.x + b.width)) + o.padding;
    const bottom = Math.max(...boxes.map(b => b.y + b.height)) + o.padding;
    dataCentres.push({
      name,
      clusters: [...members].sort(),
      x: left,
      y: top,
      width: right - left,
      height: bottom - top,
    });
  }

  const edges: EdgePath[] = [...merged.entries()].map(([id, entry]) => {
    const laid = g.edge(clusterId(entry.source), clusterId(entry.target));
    const refs = [...entry.refs].sort();
    return {
      id,
      source: entry.source,
      target: entry.target,
      refs,
      count: refs.length,
      points: (laid?.points ?? []).map(p => ({ x: p.x, y: p.y })),
    };
  });

  // Normalise to a drawing whose top-left corner is (0, 0).
  const all: Point[] = [
    ...dataCentres.flatMap(b => [
      { x: b.x, y: b.y },
      { x: b.x + b.width, y: b.y + b.height },
    ]),
    ...clusters.flatMap(b => [
      { x: b.x, y: b.y },
      { x: b.x + b.width, y: b.y + b.height },
    ]),
    ...edges.flatMap(e => e.points),
  ];
  if (all.length === 0) {
    return { width: 0, height: 0, dataCentres, clusters, edges, omitted };
  }
  const minX = Math.min(...all.map(p => p.x)) - MARGIN;
  const minY = Math.min(...all.map(p => p.y)) - MARGIN;
  const maxX = Math.max(...all.map(p => p.x)) + MARGIN;
  const maxY = Math.max(...all.map(p => p.y)) + MARGIN;
  const shift = <T extends Point>(p: T): T => ({
    ...p,
    x: p.x - minX,
    y: p.y - minY,
  });
  return {
    width: maxX - minX,
    height: maxY - minY,
    dataCentres: dataCentres.map(shift),
    clusters: clusters.map(shift),
    edges: edges.map(e => ({ ...e, points: e.points.map(shift) })),
    omitted: omitted.sort(),
  };
}

/** Whether two boxes share any area (touching edges do not count). */
export function boxesOverlap(a: LayoutBox, b: LayoutBox): boolean {
  return (
    a.x < b.x + b.width &&
    b.x < a.x + a.width &&
    a.y < b.y + b.height &&
    b.y < a.y + a.height
  );
}

/** Whether `inner` lies wholly within `outer`. */
export function boxContains(outer: LayoutBox, inner: LayoutBox): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}
