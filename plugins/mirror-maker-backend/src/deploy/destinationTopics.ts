import { Admin, ConfigResourceTypes, ITopicConfig } from 'kafkajs';
import {
  effectiveTopics,
  MirrorMakerTopics,
} from '@mirrormaker/plugin-mirror-maker-common';

/**
 * Topic settings copied to a destination topic when it is created, so the
 * copy keeps what matters to its readers (compaction, retention, size).
 */
export const COPIED_TOPIC_CONFIGS = [
  'cleanup.policy',
  'retention.ms',
  'retention.bytes',
  'max.message.bytes',
  'min.compaction.lag.ms',
  'max.compaction.lag.ms',
  'message.timestamp.type',
  'segment.bytes',
  'segment.ms',
];

export interface DestinationTopicsResult {
  /** Topics of the source the deployment copies. */
  matched: number;
  /** Topics created on the target, with their partition counts. */
  created: { topic: string; partitions: number }[];
  /** Topics present on both with fewer partitions on the target (left alone: shrinking or growing is an operator's call). */
  partitionMismatches: { topic: string; source: number; target: number }[];
}

/**
 * Creates on the target every source topic the deployment copies that the
 * target lacks, with the source's partition count and relevant settings.
 * MirrorMaker 1 otherwise relies on broker auto-creation (default partition
 * count, or blocked sends and dropped records when auto-creation is off).
 */
export async function ensureDestinationTopics(args: {
  source: Admin;
  target: Admin;
  topics: MirrorMakerTopics;
  approvedTopics?: string[];
  targetBrokerCount: number;
}): Promise<DestinationTopicsResult> {
  const rule = effectiveTopics(args.topics, args.approvedTopics ?? []);
  const { topics: sourceTopics } = await args.source.fetchTopicMetadata();
  const matched = sourceTopics.filter(
    t => !t.name.startsWith('__') && rule.matches(t.name),
  );
  const { topics: targetTopics } = await args.target.fetchTopicMetadata();
  const onTarget = new Map(
    targetTopics.map(t => [t.name, t.partitions.length]),
  );
  const missing = matched.filter(t => !onTarget.has(t.name));
  const partitionMismatches = matched
    .filter(
      t => onTarget.has(t.name) && onTarget.get(t.name)! < t.partitions.length,
    )
    .map(t => ({
      topic: t.name,
      source: t.partitions.length,
      target: onTarget.get(t.name)!,
    }));
  if (missing.length === 0) {
    return { matched: matched.length, created: [], partitionMismatches };
  }
  const configs = await args.source.describeConfigs({
    includeSynonyms: false,
    resources: missing.map(t => ({
      type: ConfigResourceTypes.TOPIC,
      name: t.name,
      configNames: COPIED_TOPIC_CONFIGS,
    })),
  });
  const byTopic = new Map(
    configs.resources.map(r => [
      r.resourceName,
      r.configEntries
        .filter(e => !e.isDefault && e.configValue !== null)
        .map(e => ({ name: e.configName, value: e.configValue })),
    ]),
  );
  const specs: ITopicConfig[] = missing.map(t => ({
    topic: t.name,
    numPartitions: t.partitions.length,
    replicationFactor: Math.max(
      1,
      Math.min(t.partitions[0]?.replicas.length ?? 1, args.targetBrokerCount),
    ),
    configEntries: byTopic.get(t.name) ?? [],
  }));
  await args.target.createTopics({ topics: specs, waitForLeaders: true });
  return {
    matched: matched.length,
    created: specs.map(s => ({
      topic: s.topic,
      partitions: s.numPartitions!,
    })),
    partitionMismatches,
  };
}
