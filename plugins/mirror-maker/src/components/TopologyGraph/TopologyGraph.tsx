import { useId, useMemo } from 'react';
import { makeStyles, Typography } from '@material-ui/core';
import type { Topology } from '@mirrormaker/plugin-mirror-maker-common';
import { ClusterBox, EdgePath, layoutTopology } from './layout';

/** What to draw on top in the primary colour; everything else is dimmed. */
export interface TopologyHighlight {
  /** A deployment: its arrow and the two clusters it links. */
  deploymentRef?: string;
  /** A cluster (its name under `mirrorMaker.clusters`) and every arrow in or out of it. */
  cluster?: string;
}

export interface TopologyGraphProps {
  topology: Pick<Topology, 'nodes' | 'edges' | 'dataCentres'>;
  highlight?: TopologyHighlight;
}

const useStyles = makeStyles(theme => ({
  scroll: {
    overflow: 'auto',
    maxHeight: '70vh',
    maxWidth: '100%',
  },
  svg: {
    display: 'block',
    fontFamily: theme.typography.fontFamily,
  },
  dcBox: {
    fill: theme.palette.action.hover,
    stroke: theme.palette.divider,
  },
  dcLabel: {
    fill: theme.palette.text.secondary,
    fontSize: 12,
    fontWeight: 600,
  },
  cluster: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.text.secondary,
  },
  clusterUnreachable: {
    strokeDasharray: '4 3',
  },
  clusterHighlighted: {
    stroke: theme.palette.primary.main,
    strokeWidth: 2.5,
  },
  clusterName: {
    fill: theme.palette.text.primary,
    fontSize: 13,
    fontWeight: 600,
  },
  clusterDetail: {
    fill: theme.palette.text.secondary,
    fontSize: 11,
  },
  edge: {
    fill: 'none',
    stroke: theme.palette.text.secondary,
    strokeWidth: 1.5,
  },
  edgeHighlighted: {
    stroke: theme.palette.primary.main,
    strokeWidth: 3,
  },
  edgeHit: {
    // A wide invisible stroke so the tooltip is easy to reach.
    fill: 'none',
    stroke: 'transparent',
    strokeWidth: 10,
  },
  edgeCount: {
    fill: theme.palette.text.primary,
    fontSize: 11,
    fontWeight: 600,
    paintOrder: 'stroke',
    stroke: theme.palette.background.paper,
    strokeWidth: 3,
  },
  arrow: { fill: theme.palette.text.secondary },
  arrowHighlighted: { fill: theme.palette.primary.main },
  dimmed: { opacity: 0.25 },
}));

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function pathOf(edge: EdgePath): string {
  return edge.points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`)
    .join(' ');
}

function edgeTitle(edge: EdgePath): string {
  const head = `${edge.source} → ${edge.target}: ${edge.count} ${
    edge.count === 1 ? 'deployment' : 'deployments'
  }`;
  return [head, ...edge.refs].join('\n');
}

/**
 * The replication topology as an SVG: data centres as labelled groups,
 * clusters as boxes, deployments as arrows (one per pair of clusters, with
 * the count when several deployments run between them). Takes data, does
 * not fetch it.
 */
export const TopologyGraph = ({ topology, highlight }: TopologyGraphProps) => {
  const classes = useStyles();
  const markerId = `mm-arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const layout = useMemo(() => layoutTopology(topology), [topology]);

  const { edgeOn, clusterOn } = useMemo(() => {
    const edgesOn = new Set<string>();
    const clustersOn = new Set<string>();
    for (const edge of layout.edges) {
      const byRef =
        highlight?.deploymentRef !== undefined &&
        edge.refs.some(ref => same(ref, highlight.deploymentRef!));
      const byCluster =
        highlight?.cluster !== undefined &&
        (edge.source === highlight.cluster ||
          edge.target === highlight.cluster);
      if (byRef || byCluster) {
        edgesOn.add(edge.id);
        if (byRef) {
          clustersOn.add(edge.source);
          clustersOn.add(edge.target);
        }
      }
    }
    if (highlight?.cluster !== undefined) clustersOn.add(highlight.cluster);
    return { edgeOn: edgesOn, clusterOn: clustersOn };
  }, [layout, highlight]);

  if (layout.clusters.length === 0) {
    return (
      <Typography variant="body2">
        No Kafka clusters are configured, so there is nothing to draw.
      </Typography>
    );
  }

  const anyHighlight = edgeOn.size > 0 || clusterOn.size > 0;
  const dim = (on: boolean) => (anyHighlight && !on ? classes.dimmed : '');

  const renderEdge = (edge: EdgePath) => {
    const on = edgeOn.has(edge.id);
    const mid = edge.points[Math.floor(edge.points.length / 2)];
    const d = pathOf(edge);
    return (
      <g
        key={edge.id}
        data-edge={edge.id}
        data-highlighted={on ? 'true' : undefined}
        className={dim(on)}
      >
        <title>{edgeTitle(edge)}</title>
        <path
          d={d}
          className={`${classes.edge} ${on ? classes.edgeHighlighted : ''}`}
          markerEnd={`url(#${markerId}${on ? '-on' : ''})`}
        />
        <path d={d} className={classes.edgeHit} />
        {edge.count > 1 && mid && (
          <text
            x={mid.x}
            y={mid.y - 4}
            textAnchor="middle"
            className={classes.edgeCount}
          >
            ×{edge.count}
          </text>
        )}
      </g>
    );
  };

  const renderCluster = (cluster: ClusterBox) => {
    const on = clusterOn.has(cluster.name);
    return (
      <g
        key={cluster.name}
        data-cluster={cluster.name}
        data-highlighted={on ? 'true' : undefined}
        className={dim(on)}
        transform={`translate(${cluster.x},${cluster.y})`}
      >
        <title>
          {`${cluster.name} in ${cluster.dataCentre}, topic suffix .${
            cluster.topicSuffix
          }${cluster.unreachable ? ' (topics could not be read)' : ''}`}
        </title>
        <rect
          width={cluster.width}
          height={cluster.height}
          rx={4}
          className={[
            classes.cluster,
            cluster.unreachable ? classes.clusterUnreachable : '',
            on ? classes.clusterHighlighted : '',
          ].join(' ')}
        />
        <text x={8} y={19} className={classes.clusterName}>
          {cluster.name}
        </text>
        <text x={8} y={37} className={classes.clusterDetail}>
          {`${cluster.dataCentre} · .${cluster.topicSuffix}${
            cluster.unreachable ? ' · unreachable' : ''
          }`}
        </text>
      </g>
    );
  };

  return (
    <div className={classes.scroll}>
      <svg
        className={classes.svg}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        height={layout.height}
        role="img"
        aria-label={`Replication topology: ${layout.dataCentres.length} data centres, ${layout.clusters.length} clusters, ${topology.edges.length} deployments`}
      >
        <defs>
          {[false, true].map(on => (
            <marker
              key={String(on)}
              id={`${markerId}${on ? '-on' : ''}`}
              viewBox="0 0 10 10"
              refX={9}
              refY={5}
              markerWidth={7}
              markerHeight={7}
              orient="auto-start-reverse"
            >
              <path
                d="M0,0 L10,5 L0,10 z"
                className={on ? classes.arrowHighlighted : classes.arrow}
              />
            </marker>
          ))}
        </defs>
        {layout.dataCentres.map(dc => (
          <g
            key={dc.name}
            data-dc={dc.name}
            className={dim(dc.clusters.some(c => clusterOn.has(c)))}
          >
            <rect
              x={dc.x}
              y={dc.y}
              width={dc.width}
              height={dc.height}
              rx={10}
              className={classes.dcBox}
            />
            <text x={dc.x + 10} y={dc.y + 16} className={classes.dcLabel}>
              {dc.name}
            </text>
          </g>
        ))}
        {layout.edges.filter(e => !edgeOn.has(e.id)).map(renderEdge)}
        {layout.clusters.filter(c => !clusterOn.has(c.name)).map(renderCluster)}
        {layout.edges.filter(e => edgeOn.has(e.id)).map(renderEdge)}
        {layout.clusters.filter(c => clusterOn.has(c.name)).map(renderCluster)}
      </svg>
      {layout.omitted.length > 0 && (
        <Typography variant="caption" component="p">
          Not drawn, as their source or target is not a configured cluster:{' '}
          {layout.omitted.join(', ')}
        </Typography>
      )}
    </div>
  );
};
