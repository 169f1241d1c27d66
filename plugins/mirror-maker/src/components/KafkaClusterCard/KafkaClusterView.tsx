import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { TopologyEdge } from '@mirrormaker/plugin-mirror-maker-common';
import type { MetricsStatus } from '../../api';
import { formatCount, formatLatency } from '../MetricsView/format';
import { groupLagOf, lagErrorOf } from '../MetricsView/lag';
import { ClusterTopology, FlowFigures, splitFlows } from './flows';

export interface KafkaClusterViewProps {
  topology: ClusterTopology;
  /** Per deployment ref; a ref not listed is still loading. */
  figures: Record<string, FlowFigures>;
}

const LOADING: FlowFigures = { state: 'loading' };

const STATE_STATUS: Record<MetricsStatus['state'], typeof StatusOK> = {
  ok: StatusOK,
  lagging: StatusWarning,
  degraded: StatusWarning,
  down: StatusError,
  unknown: StatusWarning,
};

/** Lag, heartbeat and state of one flow: loading, an error of its own, or the figures. */
const FlowState = ({ figures }: { figures: FlowFigures }) => {
  if (figures.state === 'loading')
    return <StatusPending>reading</StatusPending>;
  if (figures.state === 'error') {
    return (
      <StatusError>metrics unavailable: {figures.error.message}</StatusError>
    );
  }
  const { state } = figures.metrics.status;
  const Status = STATE_STATUS[state] ?? StatusWarning;
  return <Status>{state}</Status>;
};

const FlowLag = ({ figures }: { figures: FlowFigures }) => {
  if (figures.state !== 'loaded') return <>—</>;
  const lag = groupLagOf(figures.metrics.lag);
  if (!lag) {
    return (
      <StatusWarning>unknown: {lagErrorOf(figures.metrics.lag)}</StatusWarning>
    );
  }
  return (
    <>
      {formatCount(lag.totalLag)}
      {lag.partitionsWithoutCommit > 0 && (
        <Typography variant="caption" component="div">
          {formatCount(lag.partitionsWithoutCommit)} partitions without a commit
        </Typography>
      )}
    </>
  );
};

const FlowHeartbeat = ({ figures }: { figures: FlowFigures }) => {
  if (figures.state !== 'loaded') return <>—</>;
  const beat = figures.metrics.heartbeat;
  if (beat.lastLatencyMs !== undefined)
    return <>{formatLatency(beat.lastLatencyMs)}</>;
  if (!beat.replicated) {
    return (
      <StatusWarning>
        not replicated{beat.reason ? `: ${beat.reason}` : ''}
      </StatusWarning>
    );
  }
  return <>none yet</>;
};

const clusterOf = (name: string, dataCentre?: string) =>
  dataCentre ? `${name} (${dataCentre})` : name;

function columns(
  direction: 'in' | 'out',
  figures: Record<string, FlowFigures>,
): TableColumn<TopologyEdge>[] {
  const of = (e: TopologyEdge) => figures[e.ref] ?? LOADING;
  return [
    {
      title: 'Deployment',
      field: 'ref',
      render: e => (
        <>
          <EntityRefLink entityRef={e.ref} defaultKind="MirrorMaker" />
          {!e.valid && (
            <Typography variant="caption" component="div">
              not part of the flow analysis
              {e.selfReplication ? ' (copies within one cluster)' : ''}
            </Typography>
          )}
        </>
      ),
    },
    direction === 'in'
      ? {
          title: 'From',
          field: 'source',
          render: e => clusterOf(e.source, e.sourceDataCentre),
        }
      : {
          title: 'To',
          field: 'target',
          render: e => clusterOf(e.target, e.targetDataCentre),
        },
    {
      title: 'Topics',
      sorting: false,
      render: e =>
        e.replicatedTopicCount !== undefined
          ? `${formatCount(e.replicatedTopicCount)} (${e.rule})`
          : e.rule,
    },
    {
      title: 'State',
      sorting: false,
      render: e => <FlowState figures={of(e)} />,
    },
    {
      title: 'Total lag',
      sorting: false,
      render: e => <FlowLag figures={of(e)} />,
    },
    {
      title: 'Heartbeat latency',
      sorting: false,
      render: e => <FlowHeartbeat figures={of(e)} />,
    },
  ];
}

const FlowTable = ({
  title,
  direction,
  edges,
  figures,
  empty,
}: {
  title: string;
  direction: 'in' | 'out';
  edges: TopologyEdge[];
  figures: Record<string, FlowFigures>;
  empty: string;
}) => (
  <Box mb={2} data-flows={direction}>
    <Table<TopologyEdge>
      title={`${title} (${edges.length})`}
      columns={columns(direction, figures)}
      data={edges}
      options={{ search: false, paging: false, padding: 'dense' }}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          {empty}
        </Typography>
      }
    />
  </Box>
);

/**
 * A Kafka cluster's replication: the deployments writing into it and those
 * reading from it, each with its lag and heartbeat latency now. Takes data.
 */
export const KafkaClusterView = ({
  topology,
  figures,
}: KafkaClusterViewProps) => {
  const { node } = topology;
  const { inbound, outbound } = splitFlows(topology);
  return (
    <InfoCard
      title="Replication"
      subheader={`${node.name} in ${node.dataCentre}, topic suffix .${node.topicSuffix}`}
    >
      {node.unreachable && (
        <Box mb={2}>
          <Alert severity="warning">
            The topics of {node.name} could not be read
            {node.error ? `: ${node.error}` : ''}
          </Alert>
        </Box>
      )}
      <FlowTable
        title="Flows in"
        direction="in"
        edges={inbound}
        figures={figures}
        empty={`No deployment writes into ${node.name}.`}
      />
      <FlowTable
        title="Flows out"
        direction="out"
        edges={outbound}
        figures={figures}
        empty={`No deployment reads from ${node.name}.`}
      />
    </InfoCard>
  );
};
