export { KafkaClusterCard } from './KafkaClusterCard';
export { KafkaClusterView } from './KafkaClusterView';
export type { KafkaClusterViewProps } from './KafkaClusterView';
export { splitFlows, deploymentRefOf, FLOW_METRICS_WINDOW } from './flows';
export type { ClusterTopology, FlowFigures } from './flows';
