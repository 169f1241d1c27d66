/**
 * The hostile-input suite: every value below goes into one field of an
 * otherwise valid deployment (or its clusters). Each must either be rejected
 * with a message naming that field, or be rendered inertly: every generated
 * .properties file parses back to exactly the keys it has for a harmless
 * value, and every YAML and JSON file still parses.
 */
import { KafkaClusterConfig } from './kind/clusters';
import { MirrorMakerEntity } from './kind/types';
import { renderBundle } from './render';
import { parseJavaProperties } from './render/__testUtils__/javaProperties';
import {
  EXTRA_HOSTILE_VALUES as EXTRA_VALUES,
  HOSTILE_VALUES,
  NUL_VALUES,
} from './testing/hostile';
import { parseYaml } from './render/__testUtils__/yaml';
import { dc1, dc2, exampleEntity } from './testing/fixtures';
import {
  parseKafkaClusters,
  validateDeploymentClusters,
  validateMirrorMakerEntity,
} from './validation';

type Case = {
  field: string;
  harmless: (
    e: MirrorMakerEntity,
    s: KafkaClusterConfig,
    t: KafkaClusterConfig,
  ) => void;
  value: unknown;
  apply: (
    e: MirrorMakerEntity,
    s: KafkaClusterConfig,
    t: KafkaClusterConfig,
  ) => void;
};

const VALUES = [...HOSTILE_VALUES, ...NUL_VALUES, ...EXTRA_VALUES];

const stringFields: [
  string,
  (
    e: MirrorMakerEntity,
    s: KafkaClusterConfig,
    t: KafkaClusterConfig,
    v: string,
  ) => void,
][] = [
  ['metadata.name', (e, _s, _t, v) => (e.metadata.name = v)],
  ['spec.topics', (e, _s, _t, v) => (e.spec.topics = { include: v })],
  [
    'spec.topics',
    (e, _s, _t, v) => (e.spec.topics = { suffix: 'dc1', exclude: v }),
  ],
  ['spec.topics', (e, _s, _t, v) => (e.spec.topics = { names: [v] })],
  ['spec.topics', (e, _s, _t, v) => (e.spec.topics = { suffix: v })],
  ['spec.groupId', (e, _s, _t, v) => (e.spec.groupId = v)],
  ['spec.placement.nodes', (e, _s, _t, v) => (e.spec.placement.nodes = [v])],
  [
    'spec.install.kafkaHome',
    (e, _s, _t, v) => (e.spec.install = { kafkaHome: v }),
  ],
  ['spec.install.logDir', (e, _s, _t, v) => (e.spec.install = { logDir: v })],
  ['spec.install.user', (e, _s, _t, v) => (e.spec.install = { user: v })],
  ['spec.install.javaBin', (e, _s, _t, v) => (e.spec.install = { javaBin: v })],
  ['spec.jvm.heap', (e, _s, _t, v) => (e.spec.jvm = { heap: v })],
  [
    'spec.logging.maxFileSize',
    (e, _s, _t, v) => (e.spec.logging = { maxFileSize: v }),
  ],
  ['spec.consumer', (e, _s, _t, v) => (e.spec.consumer = { 'client.rack': v })],
  ['spec.consumer', (e, _s, _t, v) => (e.spec.consumer = { [v]: '1' })],
  [
    'spec.producer',
    (e, _s, _t, v) => (e.spec.producer = { 'transactional.id': v }),
  ],
  [
    'spec.monitoring.labels',
    (e, _s, _t, v) => (e.spec.monitoring = { labels: { env: v } }),
  ],
  [
    'spec.monitoring.labels',
    (e, _s, _t, v) => (e.spec.monitoring = { labels: { [v]: 'x' } }),
  ],
  [
    'spec.deploy.options',
    (e, _s, _t, v) => (e.spec.deploy = { target: 'ssh', options: { user: v } }),
  ],
  ['spec.owner', (e, _s, _t, v) => (e.spec.owner = v)],
  ['mirrorMaker.clusters.dc1', (_e, s, _t, v) => (s.brokers = [v])],
  [
    'mirrorMaker.clusters.dc1',
    (_e, s, _t, v) =>
      (s.security = {
        protocol: 'SASL_SSL',
        sasl: { mechanism: 'PLAIN', username: v, password: 'p' },
      }),
  ],
  [
    'mirrorMaker.clusters.dc1',
    (_e, s, _t, v) =>
      (s.security = {
        protocol: 'SASL_SSL',
        sasl: { mechanism: 'PLAIN', username: 'u', password: v },
      }),
  ],
  [
    'mirrorMaker.clusters.dc1',
    (_e, s, _t, v) =>
      (s.security = { protocol: 'SSL', tls: { truststorePath: v } }),
  ],
  [
    'mirrorMaker.clusters.dc1',
    (_e, s, _t, v) =>
      (s.security = {
        protocol: 'SSL',
        tls: { truststorePath: '/etc/ts.jks', truststorePassword: v },
      }),
  ],
];

const CASES: Case[] = stringFields.flatMap(([field, set]) =>
  VALUES.map(value => ({
    field,
    value,
    apply: (e, s, t) => set(e, s, t, value),
    harmless: (e, s, t) => set(e, s, t, 'plain'),
  })),
);

function propertiesKeys(input: ReturnType<typeof build>) {
  const bundle = renderBundle(input);
  const keys = new Map<string, string[]>();
  for (const node of bundle.nodes) {
    for (const f of node.files) {
      if (f.path.endsWith('.properties')) {
        const base = f.path.split('/').pop()!;
        keys.set(
          `${node.files.indexOf(f)}:${base}`,
          [...parseJavaProperties(f.content).keys()].sort(),
        );
      } else if (/\.ya?ml$/.test(f.path)) {
        parseYaml(f.content);
      }
    }
  }
  for (const f of bundle.files) {
    if (f.path.endsWith('.json')) JSON.parse(f.content);
    else if (/\.ya?ml$/.test(f.path)) parseYaml(f.content);
  }
  return keys;
}

function build(apply: Case['apply'] = () => undefined) {
  const entity = exampleEntity({
    monitoring: { prometheus: { enabled: true } },
  });
  entity.spec.placement = {
    nodes: ['mm1.dc2.example.com'],
    processesPerNode: 2,
  };
  const source = structuredClone(dc1);
  const target = structuredClone(dc2);
  apply(entity, source, target);
  return { entity, source, target };
}

const tally = { rejected: 0, inert: 0 };

describe('hostile inputs', () => {
  it('has at least 50 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
  });

  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(
      `hostile inputs: ${tally.rejected} rejected with the field named, ${tally.inert} rendered inertly`,
    );
  });

  it.each(
    CASES.map(c => [c.field, JSON.stringify(c.value).slice(0, 40), c] as const),
  )('%s = %s is rejected by field or rendered inertly', (_field, _shown, c) => {
    const input = build(c.apply);
    const problems = [
      ...validateMirrorMakerEntity(input.entity),
      ...validateDeploymentClusters(input.entity, input.source, input.target),
    ].filter(p => p.severity === 'error');
    // Cluster fields are checked by the cluster validator (backend and CLI).
    if (c.field.startsWith('mirrorMaker.clusters')) {
      const { name: _name, ...config } = input.source;
      problems.push(...parseKafkaClusters({ dc1: config }).problems);
    }
    expect(outcome(c, input, problems)).toMatch(/^(rejected by field|inert)$/);
  });
});

function outcome(
  c: Case,
  input: ReturnType<typeof build>,
  problems: { path: string }[],
): string {
  if (problems.length > 0) {
    if (problems.some(p => p.path.startsWith(c.field))) {
      tally.rejected += 1;
      return 'rejected by field';
    }
    return `rejected elsewhere: ${problems.map(p => p.path).join(', ')}`;
  }
  // Compare with the same field holding a harmless value (when that is
  // accepted), so an override adds its one key and nothing else.
  const harmless = build(c.harmless);
  const harmlessOk = !validateMirrorMakerEntity(harmless.entity).some(
    p => p.severity === 'error',
  );
  const got = JSON.stringify([...propertiesKeys(input)]);
  const want = JSON.stringify([
    ...propertiesKeys(harmlessOk ? harmless : build()),
  ]);
  if (got !== want) return `keys changed: ${got} instead of ${want}`;
  tally.inert += 1;
  return 'inert';
}
