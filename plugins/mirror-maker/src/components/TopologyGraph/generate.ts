import {
  buildTopology,
  KafkaClusterConfig,
  Topology,
  TopologyDeployment,
} from '@mirrormaker/plugin-mirror-maker-common';

const pad = (i: number) => String(i + 1).padStart(2, '0');

/**
 * A synthetic topology of `dataCentres` data centres and `flows`
 * deployments, the same for the same arguments: every third data centre
 * runs a second cluster, and the deployments link clusters of different
 * data centres (a pair may get several, as real setups do). For tests and
 * for timing the graph in a browser.
 */
export function generateTopology(dataCentres: number, flows: number): Topology {
  const clusters: KafkaClusterConfig[] = [];
  for (let i = 0; i < dataCentres; i++) {
    const dc = `dc${pad(i)}`;
    clusters.push({
      name: `kafka-${dc}`,
      brokers: [`kafka.${dc}.example.com:9092`],
      dataCentre: dc,
      topicSuffix: dc,
    });
    if (i % 3 === 2) {
      clusters.push({
        name: `kafka-${dc}-analytics`,
        brokers: [`analytics.${dc}.example.com:9092`],
        dataCentre: dc,
        topicSuffix: `${dc}a`,
      });
    }
  }

  // A fixed linear congruential sequence keeps the result reproducible.
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };

  const deployments: TopologyDeployment[] = [];
  const names = new Map<string, number>();
  for (let k = 0; k < flows && dataCentres > 1; k++) {
    const source = clusters[next(clusters.length)];
    let target = clusters[next(clusters.length)];
    while (target.dataCentre === source.dataCentre) {
      target = clusters[next(clusters.length)];
    }
    const base = `${source.name}-to-${target.name}`;
    const seen = names.get(base) ?? 0;
    names.set(base, seen + 1);
    const name = seen === 0 ? base : `${base}-${seen + 1}`;
    deployments.push({
      ref: `mirrormaker:default/${name}`,
      source: source.name,
      target: target.name,
      topics:
        seen === 0
          ? { suffix: source.topicSuffix }
          : { names: [`extra${seen}.${source.topicSuffix}`] },
    });
  }
  return buildTopology({ clusters, deployments });
}
