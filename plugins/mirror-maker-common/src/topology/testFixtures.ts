import { KafkaClusterConfig } from '../kind/clusters';
import { MirrorMakerTopics } from '../kind/types';
import { TopologyDeployment } from './types';

/** A cluster named like its data centre, with that name as its suffix. */
export function cluster(
  name: string,
  overrides: Partial<KafkaClusterConfig> = {},
): KafkaClusterConfig {
  return {
    name,
    brokers: [`${name}.kafka.example.com:9092`],
    dataCentre: name,
    topicSuffix: name,
    ...overrides,
  };
}

export function ref(name: string): string {
  return `mirrormaker:default/${name}`;
}

/** A deployment `<source>-to-<target>` unless named otherwise. */
export function deployment(
  source: string,
  target: string,
  topics: MirrorMakerTopics,
  name = `${source}-to-${target}`,
  approvedTopics?: string[],
): TopologyDeployment {
  return {
    ref: ref(name),
    source,
    target,
    topics,
    ...(approvedTopics ? { approvedTopics } : {}),
  };
}

/** `dc01` ... `dc20`. */
export function dcName(i: number): string {
  return `dc${String(i + 1).padStart(2, '0')}`;
}

/**
 * A large, correct mesh: `dcCount` DCs, each running `pullsPerDc`
 * deployments that read the next DCs' suffixes ("remote read, local
 * write"), with `topicsPerDc` local topics on each DC and every replica
 * present. Every third DC writes its pulls as an include pattern, and
 * every seventh with an exclude, so both the fast and the RE2 matching
 * paths are exercised.
 */
export function meshInput(
  dcCount: number,
  pullsPerDc: number,
  topicsPerDc: number,
): {
  clusters: KafkaClusterConfig[];
  deployments: TopologyDeployment[];
  liveTopics: Record<string, string[]>;
} {
  const clusters = Array.from({ length: dcCount }, (_, i) =>
    cluster(dcName(i)),
  );
  const deployments: TopologyDeployment[] = [];
  const liveTopics: Record<string, string[]> = {};
  for (let i = 0; i < dcCount; i++) {
    liveTopics[dcName(i)] = Array.from(
      { length: topicsPerDc },
      (_, t) => `team${t % 7}.topic${t}.${dcName(i)}`,
    );
  }
  for (let i = 0; i < dcCount; i++) {
    const target = dcName(i);
    for (let k = 1; k <= pullsPerDc; k++) {
      const source = dcName((i + k) % dcCount);
      let topics: MirrorMakerTopics = { suffix: source };
      if (i % 7 === 0) {
        topics = { suffix: source, exclude: 'never\\..*' };
      } else if (i % 3 === 0) {
        topics = { include: `.*\\.${source}` };
      }
      deployments.push(deployment(source, target, topics));
      liveTopics[target].push(...liveTopics[source].slice(0, topicsPerDc));
    }
  }
  return { clusters, deployments, liveTopics };
}
