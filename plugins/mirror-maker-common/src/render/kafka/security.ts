import { KafkaClusterConfig } from '../../kind/clusters';
import { jaasQuote } from '../escape/jaas';

/** Keys whose values are credentials (redacted in {@link redactBundle}). */
export const SECRET_PROPERTY_KEYS = [
  'ssl.key.password',
  'ssl.keystore.password',
  'ssl.truststore.password',
];

/** The key whose JAAS text holds a `password="..."` option. */
export const JAAS_PROPERTY_KEY = 'sasl.jaas.config';

const LOGIN_MODULES = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
} as const;

type Protocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

function protocolOf(cluster: KafkaClusterConfig): Protocol {
  const security = cluster.security;
  if (security?.protocol) return security.protocol;
  if (security?.sasl) return security.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT';
  return security?.tls ? 'SSL' : 'PLAINTEXT';
}

/**
 * The client security settings of a cluster: `security.protocol`, the TLS
 * stores and the SASL login. `secret` tells whether any value is a credential.
 */
export function securityProperties(cluster: KafkaClusterConfig): {
  entries: Record<string, string>;
  secret: boolean;
} {
  const field = `mirrorMaker.clusters.${cluster.name}.security`;
  const protocol = protocolOf(cluster);
  if (
    !(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as string[]).includes(
      protocol,
    )
  ) {
    throw new Error(
      `${field}.protocol ${JSON.stringify(
        protocol,
      )} is not a Kafka security protocol`,
    );
  }
  const usesTls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const usesSasl = protocol.startsWith('SASL_');
  const tls = cluster.security?.tls;
  const sasl = cluster.security?.sasl;
  if (tls && !usesTls) {
    throw new Error(
      `${field}.tls is set but ${field}.protocol is ${protocol}, which does not use TLS; use SSL or SASL_SSL, or remove tls`,
    );
  }
  if (sasl && !usesSasl) {
    throw new Error(
      `${field}.sasl is set but ${field}.protocol is ${protocol}, which does not use SASL; use SASL_PLAINTEXT or SASL_SSL, or remove sasl`,
    );
  }
  if (usesSasl && !sasl) {
    throw new Error(
      `${field}.protocol is ${protocol} but ${field}.sasl (mechanism, username, password) is missing`,
    );
  }

  const entries: Record<string, string> = { 'security.protocol': protocol };
  let secret = false;
  if (usesTls) {
    entries['ssl.endpoint.identification.algorithm'] =
      tls?.endpointIdentification === false ? '' : 'https';
    if (tls?.truststorePath !== undefined)
      entries['ssl.truststore.location'] = tls.truststorePath;
    if (tls?.truststoreType !== undefined)
      entries['ssl.truststore.type'] = tls.truststoreType;
    if (tls?.truststorePassword !== undefined) {
      entries['ssl.truststore.password'] = tls.truststorePassword;
      secret = true;
    }
    if (tls?.keystorePath !== undefined)
      entries['ssl.keystore.location'] = tls.keystorePath;
    if (tls?.keystoreType !== undefined)
      entries['ssl.keystore.type'] = tls.keystoreType;
    if (tls?.keystorePassword !== undefined) {
      entries['ssl.keystore.password'] = tls.keystorePassword;
      secret = true;
    }
    if (tls?.keyPassword !== undefined) {
      entries['ssl.key.password'] = tls.keyPassword;
      secret = true;
    }
  }
  if (usesSasl && sasl) {
    const loginModule = LOGIN_MODULES[sasl.mechanism];
    if (!loginModule) {
      throw new Error(
        `${field}.sasl.mechanism ${JSON.stringify(
          sasl.mechanism,
        )} is not supported; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`,
      );
    }
    entries['sasl.mechanism'] = sasl.mechanism;
    entries[JAAS_PROPERTY_KEY] = `${loginModule} required username=${jaasQuote(
      sasl.username,
      `${field}.sasl.username`,
    )} password=${jaasQuote(sasl.password, `${field}.sasl.password`)};`;
    secret = true;
  }
  return { entries, secret };
}
