/** TLS settings of a Kafka cluster (all paths are on the MirrorMaker nodes). */
export interface KafkaClusterTls {
  truststorePath?: string;
  /** @secret */
  truststorePassword?: string;
  truststoreType?: 'JKS' | 'PKCS12' | 'PEM';
  keystorePath?: string;
  /** @secret */
  keystorePassword?: string;
  /** @secret */
  keyPassword?: string;
  keystoreType?: 'JKS' | 'PKCS12' | 'PEM';
  /** Verify the broker's host name against its certificate. Default true. */
  endpointIdentification?: boolean;
}

/** SASL settings of a Kafka cluster. */
export interface KafkaClusterSasl {
  mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  username: string;
  /** @secret */
  password: string;
}

/**
 * PEM files on the Backstage host for the backend's own Kafka client. The
 * `security.tls` stores are paths on the MirrorMaker nodes and are often
 * JKS, which Node cannot read.
 */
export interface KafkaClientTls {
  /** Absolute path of the CA certificate(s) that sign the brokers' certificates. */
  ca?: string;
  /** Absolute path of the client certificate, for mutual TLS (with `key`). */
  cert?: string;
  /** Absolute path of the client's private key, for mutual TLS (with `cert`). */
  key?: string;
  /** Reject brokers whose certificate does not verify. Default true. */
  rejectUnauthorized?: boolean;
}

/** How the Backstage backend itself connects to a cluster (live topics, lag). */
export interface KafkaClientSettings {
  tls?: KafkaClientTls;
  /** Socket connect timeout in ms, 100 to 60000. Default 3000. */
  connectionTimeoutMs?: number;
  /** Timeout of one request in ms, 100 to 120000. Default 5000. */
  requestTimeoutMs?: number;
}

/** Defaults and accepted ranges of {@link KafkaClientSettings}. */
export const KAFKA_CLIENT_LIMITS = {
  connectionTimeoutMs: { min: 100, max: 60_000, default: 3_000 },
  requestTimeoutMs: { min: 100, max: 120_000, default: 5_000 },
} as const;

export type KafkaSecurityProtocol =
  | 'PLAINTEXT'
  | 'SSL'
  | 'SASL_PLAINTEXT'
  | 'SASL_SSL';

/** Connection details of one Kafka cluster: `mirrorMaker.clusters.<name>` in app-config. */
export interface KafkaClusterConfig {
  /** The key under `mirrorMaker.clusters`. */
  name: string;
  /** Bootstrap servers, `host:port`. */
  brokers: string[];
  /** Data centre the cluster runs in. */
  dataCentre: string;
  /** Suffix of topics produced in that data centre, without the dot. */
  topicSuffix: string;
  security?: {
    /** Default: SASL_SSL or SASL_PLAINTEXT with `sasl`, SSL with `tls`, else PLAINTEXT. */
    protocol?: KafkaSecurityProtocol;
    tls?: KafkaClusterTls;
    sasl?: KafkaClusterSasl;
  };
  /** The Backstage backend's own client; SASL and the protocol come from `security`. */
  client?: KafkaClientSettings;
}

/**
 * The protocol MirrorMaker and the backend use: the configured one, else
 * inferred from which of `sasl` and `tls` are set (the same rule the
 * renderer applies, so both talk to the brokers the same way).
 */
export function securityProtocolOf(
  cluster: Pick<KafkaClusterConfig, 'security'>,
): KafkaSecurityProtocol {
  const security = cluster.security;
  if (security?.protocol) return security.protocol;
  if (security?.sasl) return security.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT';
  return security?.tls ? 'SSL' : 'PLAINTEXT';
}
