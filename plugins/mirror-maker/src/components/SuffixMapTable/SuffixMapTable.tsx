import { Fragment } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, makeStyles, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  SuffixReach,
  Topology,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  SuffixMapFilter,
  SuffixTableRow,
  suffixTableRows,
  TopicCallout,
  topicsWithoutSuffix,
} from './rows';

export interface SuffixMapTableProps {
  topology: Pick<Topology, 'suffixMap' | 'topics'>;
  filter?: SuffixMapFilter;
  title?: string;
}

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  muted: { color: theme.palette.text.secondary },
}));

const REACH_BASIS: Record<SuffixReach['by'], string> = {
  pattern: '',
  'named-topic': 'named topics only',
  'pattern-subset': 'some topics',
  'live-topic': 'live topics only',
};

function reachDetail(reach: SuffixReach): string {
  const parts: string[] = [];
  if (reach.hops > 1) parts.push(`${reach.hops} hops`);
  const basis = REACH_BASIS[reach.by];
  if (basis) {
    const which = reach.topics ?? reach.examples;
    parts.push(which?.length ? `${basis}: ${which.join(', ')}` : basis);
  }
  return parts.join('; ');
}

const CALLOUT_TEXT: Record<TopicCallout['kind'], (c: TopicCallout) => string> =
  {
    unreplicated: c =>
      `${c.topic} on ${c.cluster} is unreplicated: nothing writes it there and no deployment copies it on`,
    conflicting: c =>
      `${c.topic} on ${c.cluster} is conflicting: written by ${
        c.deployments.join(', ') || 'a deployment'
      } although it is produced there or written twice`,
    'unknown-suffix': c =>
      `${c.topic} on ${c.cluster} has a suffix no configured cluster owns`,
    missing: c =>
      `${c.topic} is missing on ${c.cluster}, although ${c.deployments.join(
        ', ',
      )} should copy it there`,
  };

const CALLOUT_SEVERITY: Record<TopicCallout['kind'], 'error' | 'warning'> = {
  unreplicated: 'warning',
  conflicting: 'error',
  'unknown-suffix': 'warning',
  missing: 'warning',
};

/** How many call-outs a cell shows before summing the rest up. */
const CALLOUTS_SHOWN = 5;

const Callouts = ({ callouts }: { callouts: TopicCallout[] }) => {
  if (callouts.length === 0)
    return <Typography variant="body2">None</Typography>;
  const shown = callouts.slice(0, CALLOUTS_SHOWN);
  return (
    <Box display="flex" flexDirection="column">
      {shown.map(c => (
        <Box key={`${c.kind}:${c.cluster}:${c.topic}`} mb={0.5}>
          <Alert severity={CALLOUT_SEVERITY[c.kind]} data-callout={c.kind}>
            {CALLOUT_TEXT[c.kind](c)}
          </Alert>
        </Box>
      ))}
      {callouts.length > shown.length && (
        <Typography variant="caption">
          and {callouts.length - shown.length} more
        </Typography>
      )}
    </Box>
  );
};

/**
 * The suffix map: for each data-centre topic suffix, the cluster that
 * produces it, where replication takes it and by which deployment, the live
 * topic counts, and the live topics that need a look. Takes data.
 */
export const SuffixMapTable = ({
  topology,
  filter,
  title = 'Suffix map',
}: SuffixMapTableProps) => {
  const classes = useStyles();
  const rows = suffixTableRows(topology, filter);
  const withoutSuffix = topicsWithoutSuffix(topology, filter);

  const columns: TableColumn<SuffixTableRow>[] = [
    {
      title: 'Suffix',
      field: 'id',
      render: r => <code>.{r.row.suffix}</code>,
    },
    {
      title: 'Home cluster (DC)',
      sorting: false,
      render: r =>
        r.row.homes.length === 0 ? (
          <Typography variant="body2" className={classes.muted}>
            No cluster owns this suffix
          </Typography>
        ) : (
          r.row.homes.map(h => (
            <div key={h.cluster}>
              {h.cluster} ({h.dataCentre})
            </div>
          ))
        ),
    },
    {
      title: 'Replicated to',
      sorting: false,
      render: r =>
        r.row.reaches.length === 0 ? (
          <Typography variant="body2" className={classes.muted}>
            Nowhere
          </Typography>
        ) : (
          <ul className={classes.list}>
            {r.row.reaches.map(reach => {
              const detail = reachDetail(reach);
              return (
                <li key={reach.cluster}>
                  {reach.cluster} ({reach.dataCentre})
                  {detail && <span className={classes.muted}> — {detail}</span>}
                </li>
              );
            })}
          </ul>
        ),
    },
    {
      title: 'By',
      sorting: false,
      render: r =>
        r.writers.length === 0 ? (
          <Typography variant="body2" className={classes.muted}>
            No deployment
          </Typography>
        ) : (
          r.writers.map(ref => (
            <div key={ref}>
              <EntityRefLink entityRef={ref} defaultKind="MirrorMaker" />
            </div>
          ))
        ),
    },
    {
      title: 'Live topics',
      sorting: false,
      render: r => {
        const counts = Object.entries(r.row.liveTopicCounts ?? {});
        return counts.length === 0 ? (
          <Typography variant="body2" className={classes.muted}>
            Unknown
          </Typography>
        ) : (
          counts.map(([cluster, n]) => (
            <div key={cluster}>
              {cluster}: {n}
            </div>
          ))
        );
      },
    },
    {
      title: 'Needs a look',
      sorting: false,
      render: r => <Callouts callouts={r.callouts} />,
    },
  ];

  return (
    <Fragment>
      <Table<SuffixTableRow>
        title={title}
        options={{
          paging: rows.length > 20,
          pageSize: 20,
          search: true,
          padding: 'dense',
        }}
        columns={columns}
        data={rows}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              No suffix to show: no cluster is configured or none concerns this
              entity.
            </Typography>
          </Box>
        }
      />
      {withoutSuffix.length > 0 && (
        <Box mt={1}>
          <Alert severity="warning" data-callout="no-suffix">
            {withoutSuffix.length === 1
              ? 'One live topic has'
              : `${withoutSuffix.length} live topics have`}{' '}
            no data-centre suffix, so no suffix rule copies them:{' '}
            {withoutSuffix
              .slice(0, 20)
              .map(t => `${t.topic} (${t.cluster})`)
              .join(', ')}
            {withoutSuffix.length > 20 ? ', …' : ''}
          </Alert>
        </Box>
      )}
    </Fragment>
  );
};
