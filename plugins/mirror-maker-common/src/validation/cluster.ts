import { kafkaClusterConfigSchema } from '../kind/schema';
import {
  KAFKA_CLIENT_LIMITS,
  KafkaClusterConfig,
  securityProtocolOf,
} from '../kind/clusters';
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
  const protocol = securityProtocolOf(c);
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
  problems.push(...clientProblems(c, protocol, prefix));
  return problems;
}

const PEM_KEYS = ['ca', 'cert', 'key'] as const;

/** Checks `client`, the settings of the Backstage backend's own Kafka client. */
function clientProblems(
  c: Omit<KafkaClusterConfig, 'name'>,
  protocol: string,
  prefix: string,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const client = c.client;
  if (!client) return problems;
  const tls = client.tls;
  if (tls && !protocol.endsWith('SSL')) {
    problems.push(
      error(
        `${prefix}.client.tls`,
        `is set but the cluster's protocol is ${protocol}, which does not use TLS; set security.protocol to SSL or SASL_SSL, or remove client.tls`,
      ),
    );
  }
  for (const key of PEM_KEYS) {
    const value = tls?.[key];
    if (value === undefined) continue;
    const issue = pemPathProblem(value);
    if (issue) problems.push(error(`${prefix}.client.tls.${key}`, issue));
  }
  if ((tls?.cert === undefined) !== (tls?.key === undefined)) {
    const missing = tls?.cert === undefined ? 'cert' : 'key';
    problems.push(
      error(
        `${prefix}.client.tls.${missing}`,
        'is required when client.tls.cert or client.tls.key is set: mutual TLS needs both the certificate and its private key',
      ),
    );
  }
  for (const key of ['connectionTimeoutMs', 'requestTimeoutMs'] as const) {
    const value = client[key];
    const { min, max } = KAFKA_CLIENT_LIMITS[key];
    if (value !== undefined && (value < min || value > max)) {
      problems.push(
        error(
          `${prefix}.client.${key}`,
          `${value} is out of range; use an integer from ${min} to ${max} (milliseconds)`,
        ),
      );
    }
  }
  return problems;
}

/**
 * Only Node reads these files (they never reach a generated script), so
 * any absolute path without control characters is accepted.
 */
function pemPathProblem(value: string): string | undefined {
  const control = controlCharacterProblem(value);
  if (control) return control;
  if (!value.startsWith('/')) {
    return `"${printable(
      value,
    )}" is not an absolute path; give the full path of a PEM file on the Backstage host, e.g. /etc/backstage/kafka/ca.pem`;
  }
  return undefined;
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
