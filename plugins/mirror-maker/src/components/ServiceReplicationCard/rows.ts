import type { ServiceMetrics, ServiceTopicReach } from '../../api';

export type ServiceTopicMetrics = ServiceMetrics['topics'][number];
export type ServiceWriter = ServiceTopicReach['writers'][number];

/** One line of the table: a topic, where it reaches, and by which deployment. */
export interface ReplicationRow {
  id: string;
  topic: ServiceTopicMetrics;
  /** Unset for a topic replicated nowhere. */
  reach?: { cluster: string; dataCentre: string };
  writer?: ServiceWriter;
}

/** One row per topic, data centre and writing deployment; one for a topic that reaches nowhere. */
export function replicationRows(metrics: ServiceMetrics): ReplicationRow[] {
  return metrics.topics.flatMap(topic => {
    if (topic.reaches.length === 0) return [{ id: topic.topic, topic }];
    return topic.reaches.flatMap(reach => {
      const at = { cluster: reach.cluster, dataCentre: reach.dataCentre };
      if (reach.writers.length === 0) {
        return [{ id: `${topic.topic}|${reach.cluster}`, topic, reach: at }];
      }
      return reach.writers.map(writer => ({
        id: `${topic.topic}|${reach.cluster}|${writer.deploymentRef}`,
        topic,
        reach: at,
        writer,
      }));
    });
  });
}
