export {
  ClusterRegistry,
  type ClusterDescription,
  type ClusterUnreachable,
  type LiveTopicInfo,
} from './ClusterRegistry';
export {
  kafkaClientConfig,
  type KafkaClientConfig,
  type ReadFile,
} from './clientConfig';
