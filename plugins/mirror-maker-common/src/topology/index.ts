export * from './types';
export { buildTopology } from './build';
export {
  KAFKA_INTERNAL_TOPICS,
  PROBE_TOPIC_PREFIX,
  probeTopicName,
} from './inputs';
export { topologyToText } from './text';
export { traceTopic } from './trace';
export type { TopicReach, TopicTrace } from './trace';
