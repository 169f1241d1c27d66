export interface Config {
  /** Settings of the mirror-maker plugin. */
  mirrorMaker?: {
    /**
     * Connection details of the Kafka clusters, by name. A kafka-cluster
     * `Resource` entity refers to its entry with the annotation
     * `mirrormaker.io/cluster: <name>`. These never live in the catalog.
     */
    clusters?: {
      [name: string]: {
        /** Bootstrap servers as `host:port`, at least one. */
        brokers: string[];
        /** Name of the data centre the cluster runs in, e.g. `dc1`. */
        dataCentre: string;
        /**
         * Suffix of the topics whose producers live in this data centre,
         * without the dot: `dc1` for `orders.dc1`.
         */
        topicSuffix: string;
        /**
         * How MirrorMaker and the backend authenticate to the brokers and
         * encrypt the connection.
         */
        security?: {
          /**
           * Kafka security protocol. SSL and SASL_SSL use TLS (also for the
           * backend's own client); SASL_PLAINTEXT and SASL_SSL need `sasl`.
           * Default: SASL_SSL when both `sasl` and `tls` are set,
           * SASL_PLAINTEXT with `sasl` only, SSL with `tls` only, else
           * PLAINTEXT.
           */
          protocol?: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
          /**
           * TLS stores of the MirrorMaker processes. Paths are on the
           * MirrorMaker nodes; the backend's own client uses `client.tls`.
           */
          tls?: {
            /** Absolute path of the truststore on the MirrorMaker nodes. */
            truststorePath?: string;
            /**
             * Password of the truststore.
             * @visibility secret
             */
            truststorePassword?: string;
            /** Format of the truststore. Default: the Kafka client's (JKS). */
            truststoreType?: 'JKS' | 'PKCS12' | 'PEM';
            /**
             * Absolute path of the keystore (client certificate) on the
             * MirrorMaker nodes, for mutual TLS.
             */
            keystorePath?: string;
            /**
             * Password of the keystore.
             * @visibility secret
             */
            keystorePassword?: string;
            /**
             * Password of the private key inside the keystore.
             * @visibility secret
             */
            keyPassword?: string;
            /** Format of the keystore. Default: the Kafka client's (JKS). */
            keystoreType?: 'JKS' | 'PKCS12' | 'PEM';
            /**
             * Verify the broker's host name against its certificate. Default
             * true; false also turns the check off for the backend's client.
             */
            endpointIdentification?: boolean;
          };
          /**
           * SASL login, used by MirrorMaker and by the backend's own client.
           * Needs protocol SASL_SSL or SASL_PLAINTEXT.
           */
          sasl?: {
            /** SASL mechanism. */
            mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
            /** SASL user name. */
            username: string;
            /**
             * SASL password.
             * @visibility secret
             */
            password: string;
          };
        };
        /**
         * The Backstage backend's own Kafka client (live topics, offsets,
         * lag). SASL and TLS on/off come from `security`.
         */
        client?: {
          /**
           * PEM files on the Backstage host, used when `security.protocol`
           * is SSL or SASL_SSL. Without `ca` the system's CAs are trusted.
           */
          tls?: {
            /** Absolute path of the PEM file with the CA certificate(s). */
            ca?: string;
            /**
             * Absolute path of the PEM client certificate, for mutual TLS
             * (needs `key`).
             */
            cert?: string;
            /**
             * Absolute path of the PEM private key of the client
             * certificate (needs `cert`).
             */
            key?: string;
            /** Reject brokers whose certificate does not verify. Default true. */
            rejectUnauthorized?: boolean;
          };
          /**
           * Socket connect timeout in milliseconds, an integer from 100 to
           * 60000. Default 3000.
           */
          connectionTimeoutMs?: number;
          /**
           * Timeout of one Kafka request in milliseconds, an integer from 100
           * to 120000. Default 5000.
           */
          requestTimeoutMs?: number;
        };
      };
    };
    /** Who may do what beyond the permission framework's defaults. */
    permissions?: {
      /**
       * Group entity refs allowed to see secrets. Kept for compatibility;
       * use `admins`.
       */
      secretReaders?: string[];
      /**
       * Group entity refs, e.g. `group:default/kafka-platform`, whose
       * members may see secrets and create plugin-managed deployments in
       * the demo permission policy.
       */
      admins?: string[];
    };
    /** The catalog module that reads plugin-managed deployments. */
    provider?: {
      /**
       * How often, in seconds, the catalog module reads plugin-managed
       * deployments. An integer; default 30.
       */
      frequencySeconds?: number;
    };
  };
}
