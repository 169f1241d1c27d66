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
    protocol?: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
    tls?: KafkaClusterTls;
    sasl?: KafkaClusterSasl;
  };
}
