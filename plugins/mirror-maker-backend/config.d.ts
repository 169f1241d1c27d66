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
      /**
       * Group entity refs whose members may approve their own replication
       * requests (permission `mirrorMaker.request.selfApprove`) in the demo
       * permission policy. Admins are not exempt: four eyes unless listed
       * here. Default: nobody.
       */
      selfApprovers?: string[];
    };
    /** Self-service replication requests. */
    requests?: {
      /**
       * How a deployment requested with `newDeployment: true` looks when it
       * is approved: a plugin-managed MirrorMaker named
       * `<source dc>-to-<target dc>` (`-2`, `-3`... when taken). Approving
       * such a request fails (409) until `owner` and `nodes` are set.
       */
      newDeployment?: {
        /** Group entity ref that owns new deployments (and approves requests for them), e.g. `group:default/kafka-platform`. */
        owner?: string;
        /** MirrorMaker hosts of new deployments (`spec.placement.nodes`). */
        nodes?: string[];
        /** MirrorMaker processes per node (`spec.placement.processesPerNode`). Default as the kind's. */
        processesPerNode?: number;
        /** Deploy target of new deployments (`spec.deploy.target`), e.g. `ssh`. Default `local`. */
        deployTarget?: string;
        /** Catalog namespace of new deployments. Default `default`. */
        namespace?: string;
      };
    };
    /** The catalog module that reads plugin-managed deployments. */
    provider?: {
      /**
       * How often, in seconds, the catalog module reads plugin-managed
       * deployments. An integer; default 30.
       */
      frequencySeconds?: number;
    };
    /** Deploy targets: where the MirrorMaker processes of a deployment run. */
    deploy?: {
      /**
       * The embedded `local` target: runs every node of a deployment as
       * MirrorMaker processes on the Backstage host, for demos and tests.
       */
      local?: {
        /**
         * Absolute folder that holds one folder per deployment, with its
         * configuration, start scripts, logs and state. Default
         * `<os.tmpdir()>/mirror-maker-local`.
         */
        workDir?: string;
        /**
         * Absolute path of a Kafka 3.x installation (a folder with
         * `libs/*.jar`). Without it the target reports not ready.
         */
        kafkaHome?: string;
        /** Java executable: a name on the PATH or an absolute path. Default `java`. */
        javaBin?: string;
        /**
         * Absolute path of the Prometheus JMX exporter agent jar
         * (`jmx_prometheus_javaagent-1.0.1.jar`). Without it the processes
         * run without exporter and the rollout's health gate skips metrics.
         */
        jmxExporterJar?: string;
        /**
         * Largest JVM heap a process gets, whatever `spec.jvm.heap` says:
         * a number with an optional k, m or g suffix. Default `256m`.
         */
        maxHeap?: string;
        /**
         * How a process that ended on its own is restarted: after a pause
         * that doubles per crash, from `initialDelayMs` up to `maxDelayMs`.
         */
        restart?: {
          /** Pause before the first restart, in milliseconds. Default 1000. */
          initialDelayMs?: number;
          /** Longest pause between restarts, in milliseconds. Default 30000. */
          maxDelayMs?: number;
          /**
           * Milliseconds a process must run before its next crash counts as
           * the first again (the pause starts over). Default 60000.
           */
          stableAfterMs?: number;
        };
      };
      /**
       * The `ssh` deploy target: installs a deployment's files on its nodes
       * over SSH (SFTP) and drives their service manager. Host keys are always
       * verified against `knownHosts`. Registered only when this block is set.
       */
      ssh?: {
        /** User to log in as. Default `root`. */
        user?: string;
        /** SSH port of the nodes, an integer from 1 to 65535. Default 22. */
        port?: number;
        /**
         * Private key (OpenSSH or PEM text) to log in with. Set this or
         * `privateKeyFile`.
         * @visibility secret
         */
        privateKey?: string;
        /**
         * Absolute path of the private key file on the Backstage host, read at
         * each connect. Set this or `privateKey`.
         */
        privateKeyFile?: string;
        /**
         * Passphrase of an encrypted private key.
         * @visibility secret
         */
        passphrase?: string;
        /**
         * known_hosts lines (OpenSSH format) with the host key of every node,
         * as `host keytype base64`, `[host]:port keytype base64` off port 22,
         * or hashed. Required: a host that is not listed, or presents another
         * key, is refused.
         */
        knownHosts?: string;
        /**
         * Where to reach a node when its name in `spec.placement.nodes` is not
         * its address, by node name.
         */
        hosts?: {
          [node: string]: {
            /** Host name or IP address to connect to. */
            address: string;
            /** SSH port there. Default: `port`. */
            port?: number;
          };
        };
        /**
         * How processes run on the nodes. `systemd` (default) installs the
         * rendered unit and uses systemctl. `direct` runs the rendered start
         * script with nohup and a pid file in the log directory, for nodes
         * without systemd: processes run as the SSH user, are not restarted
         * when they die and do not survive a reboot.
         */
        serviceManager?: 'systemd' | 'direct';
        /** Limit for connecting, in milliseconds (100 to 600000). Default 10000. */
        connectTimeoutMs?: number;
        /** Limit of one remote command or SFTP request, in milliseconds (1000 to 3600000). Default 60000. */
        commandTimeoutMs?: number;
        /** Run privileged commands with `sudo -n` (systemd mode only). Default false. */
        sudo?: boolean;
      };
      /** The rollout's health gate, applied to each process after it starts. */
      gate?: {
        /** Seconds a process may take to run and join its consumer group. Default 120. */
        timeoutSeconds?: number;
        /** Seconds over which lag must not grow and no record may be dropped. Default 10. */
        windowSeconds?: number;
        /** Lag growth (records) below which the window passes anyway. Default 1000. */
        lagToleranceRecords?: number;
      };
      /** Seconds between SIGTERM and SIGKILL when a process is stopped. Default 30. */
      stopTimeoutSeconds?: number;
    };
    /**
     * Replication metrics: lag from the MirrorMaker groups' committed
     * offsets, throughput from sampled log-end offsets, the processes' own
     * figures and an end-to-end heartbeat.
     */
    metrics?: {
      /** Seconds between two throughput and lag samples (5 to 3600). Default 10. */
      sampleSeconds?: number;
      /** Hours samples and heartbeats are kept; also the longest `window` of the API (1 to 720). Default 24. */
      retentionHours?: number;
      /** Seconds a lag reading is reused by later requests (0 to 60). Default 2. */
      lagCacheSeconds?: number;
      /**
       * The heartbeat: every `intervalSeconds` the backend produces a small
       * record keyed by the deployment into `mirrormaker-heartbeat.<source
       * topic suffix>` on the source cluster and reads it on the target; the
       * time between is the replication latency. The topic is created on
       * both clusters; a deployment replicates it only when its topics rule
       * matches the name (a `suffix` rule always does).
       */
      heartbeat?: {
        /** Default true. */
        enabled?: boolean;
        /** Seconds between two heartbeats (1 to 300). Default 5. */
        intervalSeconds?: number;
        /** Consumer group of the backend's heartbeat readers on the target clusters. Default `backstage-mirror-maker-heartbeat`. */
        groupId?: string;
      };
      /**
       * Per-process figures from New Relic (NerdGraph NRQL over the
       * `kafkaMirrorMakerMonitoring` events the rendered nri-jmx files
       * produce), for deployments with `spec.monitoring.newRelic.enabled`
       * and `spec.monitoring.prometheus.enabled: false`. Without this
       * section every deployment's exporters are scraped.
       */
      newRelic?: {
        /**
         * A New Relic user API key (`NRAK-...`).
         * @visibility secret
         */
        apiKey: string;
        /** The account the events are in (digits as a string work too, for `${ENV}` substitution). */
        accountId: number | string;
        /** `us` (default) or `eu`: which NerdGraph endpoint to query. */
        region?: 'us' | 'eu';
        /** Another NerdGraph URL (a proxy); overrides `region`. */
        endpoint?: string;
      };
    };
  };
}
