import { kafkaClusterConfigSchema } from '../kind/schema';
import { KafkaClusterConfig } from '../kind/clusters';
import { checkSchema, SchemaNode } from './schemaCheck';
import { error, ValidationProblem } from './problems';
import {
  absolutePathProblem,
  controlCharacterProblem,
  hostPortProblem,
  printable,
} from './values';

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const SUFFIX = /^[A-Za-z0-9_-]{1,64}$/;
const DATA_CENTRE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Validates `mirrorMaker.clusters.<name>` (path prefix given for messages). */
export function validateKafkaClusterConfig(
  name: string,
  config: unknown,
  prefix = `mirrorMaker.clusters.${name}`,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!CLUSTER_NAME.test(name)) {
    problems.push(
      error(
        prefix,
        `cluster name "${printable(
          name,
        )}" is not accepted; use 1 to 63 of [A-Za-z0-9._-]`,
      ),
    );
  }
  const structural = checkSchema(
    kafkaClusterConfigSchema as unknown as SchemaNode,
    config,
    prefix,
  );
  if (structural.length > 0) return [...problems, ...structural];
  const c = config as Omit<KafkaClusterConfig, 'name'>;
  c.brokers.forEach((broker, i) => {
    const issue = hostPortProblem(broker);
    if (issue) problems.push(error(`${prefix}.brokers[${i}]`, issue));
  });
  if (!DATA_CENTRE.test(c.dataCentre)) {
    problems.push(
      error(
        `${prefix}.dataCentre`,
        `"${printable(
          c.dataCentre,
        )}" is not accepted; use 1 to 63 of [A-Za-z0-9._-]`,
      ),
    );
  }
  if (!SUFFIX.test(c.topicSuffix)) {
    problems.push(
      error(
        `${prefix}.topicSuffix`,
        `"${printable(
          c.topicSuffix,
        )}" is not accepted; use 1 to 64 of [A-Za-z0-9_-], without the dot`,
      ),
    );
  }
  const security = c.security;
  let protocol = security?.protocol;
  if (!protocol) {
    if (security?.sasl) protocol = 'SASL_SSL';
    else protocol = security?.tls ? 'SSL' : 'PLAINTEXT';
  }
  if (protocol.startsWith('SASL_') && !security?.sasl) {
    problems.push(
      error(
        `${prefix}.security.sasl`,
        `is required with protocol ${protocol} (mechanism, username, password)`,
      ),
    );
  }
  if (!protocol.startsWith('SASL_') && security?.sasl) {
    problems.push(
      error(
        `${prefix}.security.protocol`,
        `is ${protocol} but sasl is set; use SASL_SSL (or SASL_PLAINTEXT on a trusted network)`,
      ),
    );
  }
  if (!protocol.endsWith('SSL') && security?.tls) {
    problems.push(
      error(
        `${prefix}.security.protocol`,
        `is ${protocol} but tls is set; use SSL or SASL_SSL`,
      ),
    );
  }
  const tls = security?.tls ?? {};
  for (const key of ['truststorePath', 'keystorePath'] as const) {
    const value = tls[key];
    if (value !== undefined) {
      const issue = absolutePathProblem(value);
      if (issue) problems.push(error(`${prefix}.security.tls.${key}`, issue));
    }
  }
  const secrets: [string, string | undefined][] = [
    ['security.tls.truststorePassword', tls.truststorePassword],
    ['security.tls.keystorePassword', tls.keystorePassword],
    ['security.tls.keyPassword', tls.keyPassword],
    ['security.sasl.username', security?.sasl?.username],
    ['security.sasl.password', security?.sasl?.password],
  ];
  for (const [key, value] of secrets) {
    if (value === undefined) continue;
    // Never echo a secret's value in a message.
    const control = controlCharacterProblem(value);
    if (control)
      problems.push(
        error(`${prefix}.${key}`, control.replace(/ at position \d+/, '')),
      );
    else if (value.length === 0)
      problems.push(error(`${prefix}.${key}`, 'must not be empty'));
    else if (value.length > 1024)
      problems.push(
        error(`${prefix}.${key}`, 'is longer than 1024 characters'),
      );
  }
  return problems;
}

/**
 * Reads and validates every cluster under `mirrorMaker.clusters` (the plain
 * object form of the config). Returns the clusters that are valid and the
 * problems of the others.
 */
export function parseKafkaClusters(clusters: unknown): {
  clusters: KafkaClusterConfig[];
  problems: ValidationProblem[];
} {
  if (clusters === undefined) return { clusters: [], problems: [] };
  if (
    typeof clusters !== 'object' ||
    clusters === null ||
    Array.isArray(clusters)
  ) {
    return {
      clusters: [],
      problems: [
        error(
          'mirrorMaker.clusters',
          'must be a map of cluster name to connection details',
        ),
      ],
    };
  }
  const valid: KafkaClusterConfig[] = [];
  const problems: ValidationProblem[] = [];
  for (const [name, config] of Object.entries(
    clusters as Record<string, unknown>,
  ).sort(([a], [b]) => a.localeCompare(b))) {
    const issues = validateKafkaClusterConfig(name, config);
    problems.push(...issues);
    if (issues.length === 0) {
      valid.push({ name, ...(config as Omit<KafkaClusterConfig, 'name'>) });
    }
  }
  return { clusters: valid, problems };
}
