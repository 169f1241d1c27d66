/**
 * Which topics a deployment replicates. Exactly one of `suffix`, `include`
 * and `names` is set; `exclude` narrows any of them.
 */
export interface MirrorMakerTopics {
  /** Data-centre suffix shorthand: `dc1` replicates every topic ending in `.dc1`. */
  suffix?: string;
  /** A Java regular expression, passed to MirrorMaker's `--include`. */
  include?: string;
  /** An explicit list of topic names. */
  names?: string[];
  /** A Java regular expression of topics to leave out. */
  exclude?: string;
}

/** Where the processes run and how many there are. */
export interface MirrorMakerPlacement {
  /** Host names (or IP addresses) of the MirrorMaker nodes. */
  nodes: string[];
  /** MirrorMaker processes per node (the seed's `ProcessCountPerNode`). Default 1. */
  processesPerNode?: number;
  /** Consumer threads per process (`--num.streams`). Default 1. */
  numStreams?: number;
}

/** Paths and account on the nodes. */
export interface MirrorMakerInstall {
  /** Kafka 3.x distribution on the nodes (has `libs/`). Default `/opt/kafka`. */
  kafkaHome?: string;
  /** Where the generated configuration files go. Default `/etc/kafka-mirror-maker/<name>`. */
  configDir?: string;
  /** Where the start scripts go. Default `/opt/kafka-mirror-maker/<name>/bin`. */
  binDir?: string;
  /** Log directory. Default `/var/log/kafka-mirror-maker/<name>`. */
  logDir?: string;
  /** Unix user and group the processes run as. Default `kafka`. */
  user?: string;
  group?: string;
  /** Java binary. Default `java` from PATH. */
  javaBin?: string;
  /** Prometheus JMX exporter agent jar on the nodes. Default `/opt/jmx-exporter/jmx_prometheus_javaagent-1.0.1.jar`. */
  jmxExporterJar?: string;
}

export interface MirrorMakerJvm {
  /** Heap size, used for both -Xms and -Xmx: `512M`, `2G`. Default `1G`. */
  heap?: string;
}

export interface MirrorMakerJmx {
  /** JMX port of process i is `initialPort + i` (i = 1..P). Default 9980. */
  initialPort?: number;
  /** Prometheus exporter HTTP port of process i is `exporterInitialPort + i`. Default 9990. */
  exporterInitialPort?: number;
}

export interface MirrorMakerLogging {
  /** Size of one log file before it rolls, e.g. `100MB`. Default `100MB`. */
  maxFileSize?: string;
  /** Rolled files kept per process. Default 10. */
  maxBackupIndex?: number;
}

export interface MirrorMakerNewRelic {
  enabled?: boolean;
  /** New Relic account id the dashboard queries; required when enabled. */
  accountId?: number;
  /** Render the pre-2020 nri-jmx `instances:` format instead of `integrations:`. */
  legacyFormat?: boolean;
}

export interface MirrorMakerMonitoring {
  newRelic?: MirrorMakerNewRelic;
  prometheus?: { enabled?: boolean };
  /** Labels attached to every metric, e.g. `{ env: production }`. */
  labels?: Record<string, string>;
  alerts?: {
    /** Minutes lag must keep growing before the alert fires. Default 10. */
    lagGrowingMinutes?: number;
    /** Heartbeat latency alert threshold in seconds. Default 60. */
    heartbeatLatencySeconds?: number;
  };
}

export interface MirrorMakerDeploy {
  /** Name of a deploy target (`local`, `ssh`, or one a module adds). Default `local`. */
  target?: string;
  /** Options of that target. */
  options?: Record<string, string | number | boolean>;
}

/** `spec` of a `MirrorMaker` entity. */
export interface MirrorMakerSpec {
  owner: string;
  system?: string;
  lifecycle?: string;
  /** Entity ref of the kafka-cluster Resource consumed from. */
  source: string;
  /** Entity ref of the kafka-cluster Resource produced into. */
  target: string;
  topics: MirrorMakerTopics;
  /**
   * Consumer group of all processes. Default `mirror-maker-<metadata.name>`.
   * Set it to keep the committed offsets of an existing group (e.g. the
   * seed's `kafka-mirror-maker-consumer-<cluster>`); changing it restarts
   * replication from `auto.offset.reset`.
   */
  groupId?: string;
  placement: MirrorMakerPlacement;
  install?: MirrorMakerInstall;
  jvm?: MirrorMakerJvm;
  jmx?: MirrorMakerJmx;
  logging?: MirrorMakerLogging;
  /** Consumer overrides (known kafka-clients 3.9 consumer keys only). */
  consumer?: Record<string, string | number | boolean>;
  /** Producer overrides (known kafka-clients 3.9 producer keys only). */
  producer?: Record<string, string | number | boolean>;
  /** `--offset.commit.interval.ms`. Default 60000. */
  offsetCommitIntervalMs?: number;
  /** `--abort.on.send.failure`. Default true: a failed send stops the process instead of dropping. */
  abortOnSendFailure?: boolean;
  deploy?: MirrorMakerDeploy;
  monitoring?: MirrorMakerMonitoring;
}

/** A MirrorMaker entity as the catalog holds it. */
export interface MirrorMakerEntity {
  apiVersion: 'mirrormaker.io/v1alpha1';
  kind: 'MirrorMaker';
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec: MirrorMakerSpec;
}
