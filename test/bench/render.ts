/**
 * Validate and render 10,000 generated deployments of varied size (2 to 50
 * processes each) and print the time, against a baseline measured in the
 * same process: a JSON round trip of the same inputs (the least any
 * renderer must do: read every field once and write text).
 *
 * Run: npm run bench:render   (target: validate + render under 2 s)
 */
import {
  KafkaClusterConfig,
  MirrorMakerEntity,
  renderBundle,
  validateDeploymentClusters,
  validateMirrorMakerEntity,
} from '@mirrormaker/plugin-mirror-maker-common';

const COUNT = Number(process.env.BENCH_DEPLOYMENTS ?? 10_000);

function cluster(i: number): KafkaClusterConfig {
  return {
    name: `dc${i}`,
    brokers: [
      `kafka1.dc${i}.example.com:9093`,
      `kafka2.dc${i}.example.com:9093`,
    ],
    dataCentre: `dc${i}`,
    topicSuffix: `dc${i}`,
    security:
      i % 2 === 0
        ? {
            protocol: 'SASL_SSL',
            sasl: {
              mechanism: 'SCRAM-SHA-512',
              username: 'mm',
              password: `secret-${i}`,
            },
            tls: {
              truststorePath: '/etc/kafka/truststore.jks',
              truststorePassword: 'changeit',
            },
          }
        : undefined,
  };
}

/** Deterministic pseudo-random sizes so every run measures the same work. */
function deployments(count: number) {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  return Array.from({ length: count }, (_, i) => {
    const processes = 2 + (next() % 49); // 2..50
    const perNode = [1, 2, 5][next() % 3];
    const nodes = Math.max(1, Math.ceil(processes / perNode));
    const s = (i % 10) + 1;
    const t = ((i + 1) % 10) + 1;
    const entity: MirrorMakerEntity = {
      apiVersion: 'mirrormaker.io/v1alpha1',
      kind: 'MirrorMaker',
      metadata: { name: `flow-${i}` },
      spec: {
        owner: 'group:default/kafka-platform',
        source: `resource:default/kafka-dc${s}`,
        target: `resource:default/kafka-dc${t}`,
        topics:
          i % 3 === 0
            ? { names: [`orders.dc${s}`, `payments.dc${s}`] }
            : { suffix: `dc${s}` },
        placement: {
          nodes: Array.from(
            { length: nodes },
            (_, n) => `mm${n + 1}.dc${t}.example.com`,
          ),
          processesPerNode: perNode,
          numStreams: 2,
        },
        jvm: { heap: '2G' },
        consumer: { 'fetch.max.bytes': 52428800 },
        producer: { 'linger.ms': 20 },
        monitoring: {
          prometheus: { enabled: true },
          newRelic:
            i % 4 === 0 ? { enabled: true, accountId: 1234567 } : undefined,
          labels: { env: 'prod' },
        },
      },
    };
    return {
      entity,
      source: cluster(s),
      target: cluster(t),
      processes: nodes * perNode,
    };
  });
}

function time(label: string, fn: () => number): { ms: number; out: number } {
  const start = process.hrtime.bigint();
  const out = fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(`${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms\n`);
  return { ms, out };
}

function main() {
  const inputs = deployments(COUNT);
  const processes = inputs.reduce((n, d) => n + d.processes, 0);
  process.stdout.write(
    `${COUNT} deployments, ${processes} processes (2 to 50 each), Node ${process.version}\n`,
  );
  // Warm up the JIT on a slice so both sides are measured compiled.
  for (const d of inputs.slice(0, 200)) {
    JSON.parse(JSON.stringify(d));
    renderBundle(d);
  }
  const baseline = time('baseline: JSON round trip', () =>
    inputs.reduce(
      (n, d) => n + JSON.stringify(JSON.parse(JSON.stringify(d))).length,
      0,
    ),
  );
  const validate = time('validate', () =>
    inputs.reduce(
      (n, d) =>
        n +
        validateMirrorMakerEntity(d.entity).length +
        validateDeploymentClusters(d.entity, d.source, d.target).length,
      0,
    ),
  );
  if (validate.out !== 0) {
    throw new Error(
      `the generated deployments should be valid; found ${validate.out} problem(s)`,
    );
  }
  let files = 0;
  const render = time('render', () =>
    inputs.reduce((n, d) => {
      const bundle = renderBundle(d);
      for (const node of bundle.nodes) {
        files += node.files.length;
        for (const f of node.files) n += f.content.length;
      }
      files += bundle.files.length;
      return n;
    }, 0),
  );
  const total = validate.ms + render.ms;
  process.stdout.write(
    [
      `files rendered                     ${files} (${(
        render.out / 1e6
      ).toFixed(0)} MB)`,
      `validate + render                  ${total.toFixed(0)} ms (${(
        (total * 1000) /
        COUNT
      ).toFixed(0)} us per deployment)`,
      `ratio to baseline                  ${(total / baseline.ms).toFixed(1)}x`,
      `target (< 2000 ms for 10,000)      ${total < 2000 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  );
}

main();
