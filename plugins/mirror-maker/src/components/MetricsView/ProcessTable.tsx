import {
  StatusError,
  StatusOK,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import type { ProcessMetrics } from '../../api';
import {
  formatBytes,
  formatCount,
  formatLatency,
  formatRate,
  formatTime,
} from './format';

export interface ProcessTableProps {
  /** `processes` of the deployment metrics. */
  processes: { source: string; items: ProcessMetrics[]; error?: string };
}

const NONE = '—';

const optional = <T,>(value: T | undefined, format: (v: T) => string) =>
  value === undefined ? NONE : format(value);

function heap(p: ProcessMetrics): string {
  if (p.heapUsedBytes === undefined) return NONE;
  if (!p.heapMaxBytes) return formatBytes(p.heapUsedBytes);
  const pct = Math.round((100 * p.heapUsedBytes) / p.heapMaxBytes);
  return `${formatBytes(p.heapUsedBytes)} / ${formatBytes(
    p.heapMaxBytes,
  )} (${pct}%)`;
}

const columns: TableColumn<ProcessMetrics>[] = [
  { title: 'Host', field: 'host' },
  { title: 'Process', field: 'index', type: 'numeric', align: 'left' },
  {
    title: 'State',
    field: 'up',
    render: p =>
      p.up ? (
        <StatusOK>up</StatusOK>
      ) : (
        <StatusError>down{p.error ? `: ${p.error}` : ''}</StatusError>
      ),
  },
  {
    title: 'Dropped',
    field: 'droppedMessages',
    type: 'numeric',
    render: p => optional(p.droppedMessages, formatCount),
  },
  {
    title: 'Consumed',
    field: 'recordsConsumedRate',
    type: 'numeric',
    render: p => optional(p.recordsConsumedRate, formatRate),
  },
  {
    title: 'Sent',
    field: 'recordsSentRate',
    type: 'numeric',
    render: p => optional(p.recordsSentRate, formatRate),
  },
  {
    title: 'Request latency',
    field: 'requestLatencyAvgMs',
    type: 'numeric',
    render: p => optional(p.requestLatencyAvgMs, formatLatency),
  },
  {
    title: 'Lag max',
    field: 'recordsLagMax',
    type: 'numeric',
    render: p => optional(p.recordsLagMax, formatCount),
  },
  {
    title: 'Heap used / max',
    field: 'heapUsedBytes',
    type: 'numeric',
    render: heap,
  },
  {
    title: 'GC time',
    field: 'gcSecondsTotal',
    type: 'numeric',
    render: p =>
      optional(
        p.gcSecondsTotal,
        s => `${(Math.round(s * 10) / 10).toString()} s`,
      ),
  },
];

/** The figures each MirrorMaker process reports about itself; takes data. */
export const ProcessTable = ({ processes }: ProcessTableProps) => {
  const observed = processes.items
    .map(p => p.observedAt)
    .sort()
    .pop();
  return (
    <Table<ProcessMetrics>
      title="Processes"
      subtitle={`Source: ${processes.source}${
        observed ? `, read ${formatTime(observed)}` : ''
      }`}
      columns={columns}
      data={processes.items}
      options={{
        search: false,
        paging: processes.items.length > 20,
        pageSize: 20,
        padding: 'dense',
      }}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          {processes.error
            ? 'No process figures could be read.'
            : 'No process of this deployment is placed yet.'}
        </Typography>
      }
    />
  );
};
