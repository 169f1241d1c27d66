import {
  EmptyState,
  InfoCard,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import type { ServiceMetrics } from '../../api';
import { formatCount, formatLatency, formatTime } from '../MetricsView/format';
import { ReplicationRow, replicationRows, ServiceWriter } from './rows';

export interface ServiceReplicationViewProps {
  metrics: ServiceMetrics;
}

const WriterLag = ({ writer }: { writer: ServiceWriter }) => {
  if (writer.error)
    return <StatusWarning>unknown: {writer.error}</StatusWarning>;
  if (writer.lag === null) {
    return <>{writer.partitionsWithoutCommit > 0 ? 'no commit' : '—'}</>;
  }
  return (
    <>
      {formatCount(writer.lag)}
      {writer.partitionsWithoutCommit > 0 && (
        <Typography variant="caption" component="div">
          {formatCount(writer.partitionsWithoutCommit)} partitions without a
          commit
        </Typography>
      )}
    </>
  );
};

const columns: TableColumn<ReplicationRow>[] = [
  {
    title: 'Topic',
    field: 'id',
    render: r => <code>{r.topic.topic}</code>,
  },
  {
    title: 'Home',
    sorting: false,
    render: r =>
      r.topic.home
        ? `${r.topic.home.dataCentre} (${r.topic.home.cluster})`
        : '—',
  },
  {
    title: 'Reaches',
    sorting: false,
    render: r =>
      r.reach ? (
        `${r.reach.dataCentre} (${r.reach.cluster})`
      ) : (
        <StatusWarning>not replicated</StatusWarning>
      ),
  },
  {
    title: 'By',
    sorting: false,
    render: r =>
      r.writer ? (
        <EntityRefLink
          entityRef={r.writer.deploymentRef}
          defaultKind="MirrorMaker"
        />
      ) : (
        '—'
      ),
  },
  {
    title: 'Lag',
    sorting: false,
    render: r => (r.writer ? <WriterLag writer={r.writer} /> : '—'),
  },
  {
    title: 'Heartbeat latency',
    sorting: false,
    render: r =>
      r.writer?.heartbeatLatencyMs !== undefined
        ? formatLatency(r.writer.heartbeatLatencyMs)
        : '—',
  },
];

/**
 * Where a service's topics are replicated: each topic's home data centre,
 * every data centre it reaches and by which deployment, with lag and
 * heartbeat latency now, and what is wrong with the topic. Takes data.
 */
export const ServiceReplicationView = ({
  metrics,
}: ServiceReplicationViewProps) => {
  const warnings = metrics.topics.flatMap(t =>
    t.warnings.map(w => ({ topic: t.topic, text: w })),
  );
  if (metrics.topics.length === 0) {
    return (
      <InfoCard title="Topic replication">
        <EmptyState
          missing="field"
          title="No topics"
          description="The mirrormaker.io/topics annotation lists no topic."
        />
      </InfoCard>
    );
  }
  return (
    <InfoCard
      title="Topic replication"
      subheader={`Read ${formatTime(metrics.observedAt)}`}
    >
      <Box mb={2} data-testid="replication-warnings">
        {warnings.length === 0 ? (
          <Typography variant="body2" component="div">
            <StatusOK>
              Every topic has a home data centre and is replicated
            </StatusOK>
          </Typography>
        ) : (
          warnings.map(w => (
            <Typography
              variant="body2"
              component="div"
              key={`${w.topic}|${w.text}`}
            >
              <StatusWarning>{w.text}</StatusWarning>
            </Typography>
          ))
        )}
      </Box>
      <Table<ReplicationRow>
        columns={columns}
        data={replicationRows(metrics)}
        options={{
          search: false,
          paging: false,
          padding: 'dense',
          toolbar: false,
        }}
      />
    </InfoCard>
  );
};
