export { ServiceReplicationCard } from './ServiceReplicationCard';
export { ServiceReplicationView } from './ServiceReplicationView';
export type { ServiceReplicationViewProps } from './ServiceReplicationView';
export { replicationRows } from './rows';
export type {
  ReplicationRow,
  ServiceTopicMetrics,
  ServiceWriter,
} from './rows';
