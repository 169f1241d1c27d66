export { MetricsContent } from './MetricsContent';
export type { MetricsContentProps } from './MetricsContent';
export { MetricsView, StatusBanner, SummaryFigures } from './MetricsView';
export { groupLagOf, lagErrorOf } from './lag';
export type { MetricsViewProps } from './MetricsView';
export { LagChart, ThroughputChart, HeartbeatChart } from './MetricsCharts';
export type { MetricsChartsProps } from './MetricsCharts';
export { PartitionLagTable, PARTITION_LIMITS } from './PartitionLagTable';
export type { PartitionLagTableProps } from './PartitionLagTable';
export { ProcessTable } from './ProcessTable';
export type { ProcessTableProps } from './ProcessTable';
export {
  DEFAULT_PARTITION_QUERY,
  comparePartitions,
  partitionRows,
  selectPartitions,
} from './partitions';
export type {
  PartitionQuery,
  PartitionRow,
  PartitionSelection,
  PartitionSortKey,
} from './partitions';
export {
  METRICS_WINDOWS,
  DEFAULT_METRICS_WINDOW,
  METRICS_REFRESH_MS,
} from './windows';
export type { MetricsWindow } from './windows';
