import type { DeploymentMetrics, GroupLag, TopicLag } from '../../api';

export const deploymentRef = 'mirrormaker:default/dc1-to-dc2';

const to = Date.parse('2026-11-24T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `topics` topics of `partitionsPerTopic` partitions; partition p of topic t
 * lags `(t * partitionsPerTopic + p) * 3` records, so the largest lag is the
 * last partition of the last topic. Every partition listed in `withoutCommit`
 * (as `topic:partition`) has no commit.
 */
export function groupLag(
  topics: number,
  partitionsPerTopic: number,
  withoutCommit: string[] = [],
): GroupLag {
  const items: TopicLag[] = [];
  let total = 0;
  let missing = 0;
  for (let t = 0; t < topics; t++) {
    const topic = `topic-${String(t).padStart(3, '0')}.dc1`;
    const partitions = [];
    let topicLag = 0;
    let topicMissing = 0;
    for (let p = 0; p < partitionsPerTopic; p++) {
      const lag = (t * partitionsPerTopic + p) * 3;
      const logEndOffset = 1_000_000 + lag;
      if (withoutCommit.includes(`${topic}:${p}`)) {
        partitions.push({
          partition: p,
          logEndOffset,
          committedOffset: null,
          lag: null,
        });
        topicMissing += 1;
      } else {
        partitions.push({
          partition: p,
          logEndOffset,
          committedOffset: logEndOffset - lag,
          lag,
        });
        topicLag += lag;
      }
    }
    total += topicLag;
    missing += topicMissing;
    items.push({
      topic,
      lag: topicLag,
      partitionsWithoutCommit: topicMissing,
      partitions,
    });
  }
  return {
    cluster: 'kafka-dc1',
    groupId: 'mirrormaker-dc1-to-dc2',
    observedAt: iso(to),
    reachable: true,
    totalLag: total,
    partitionCount: topics * partitionsPerTopic,
    partitionsWithoutCommit: missing,
    topics: items,
  };
}

/** One hour of figures with a small lag, two processes (one down), a heartbeat. */
export function deploymentMetrics(
  overrides: Partial<DeploymentMetrics> = {},
): DeploymentMetrics {
  const from = to - 3600_000;
  const throughput = Array.from({ length: 12 }, (_, i) => ({
    at: iso(from + (i + 1) * 300_000),
    inPerSec: i === 5 ? null : 120 + i,
    outPerSec: i === 5 ? null : 118 + i,
    lag: 40 + i,
  }));
  return {
    entityRef: deploymentRef,
    window: { from: iso(from), to: iso(to), seconds: 3600 },
    status: {
      state: 'degraded',
      messages: ['1 of 2 processes are down'],
    },
    lag: groupLag(2, 3, ['topic-001.dc1:2']),
    throughput,
    processes: {
      source: 'prometheus',
      items: [
        {
          host: 'mm1.dc2',
          index: 1,
          source: 'prometheus',
          up: true,
          droppedMessages: 0,
          recordsConsumedRate: 61.25,
          recordsSentRate: 60.5,
          requestLatencyAvgMs: 12.4,
          recordsLagMax: 17,
          heapUsedBytes: 256 * 1024 * 1024,
          heapMaxBytes: 1024 * 1024 * 1024,
          gcSecondsTotal: 3.14,
          observedAt: iso(to),
        },
        {
          host: 'mm2.dc2',
          index: 1,
          source: 'prometheus',
          up: false,
          error: 'connect ECONNREFUSED 10.0.0.2:9991',
          observedAt: iso(to),
        },
      ],
    },
    heartbeat: {
      deploymentRef,
      topic: 'mirrormaker-heartbeat.dc1',
      replicated: true,
      lastLatencyMs: 1500,
      lastReceivedAt: iso(to - 5000),
      series: Array.from({ length: 6 }, (_, i) => ({
        at: iso(from + (i + 1) * 600_000),
        latencyMs: 900 + i * 100,
      })),
    },
    ...overrides,
  };
}
