import {
  MirrorMakerInstall,
  MirrorMakerJmx,
  MirrorMakerJvm,
  MirrorMakerLogging,
  MirrorMakerPlacement,
  MirrorMakerSpec,
} from '../kind/types';
import { assignOwnProperties } from './ownProperties';

/** Values rendering uses where a MirrorMaker spec leaves a field out. */
export const DEFAULTS = {
  processesPerNode: 1,
  numStreams: 1,
  heap: '1G',
  jmxInitialPort: 9980,
  exporterInitialPort: 9990,
  kafkaHome: '/opt/kafka',
  configDir: (name: string) => `/etc/kafka-mirror-maker/${name}`,
  binDir: (name: string) => `/opt/kafka-mirror-maker/${name}/bin`,
  logDir: (name: string) => `/var/log/kafka-mirror-maker/${name}`,
  user: 'kafka',
  group: 'kafka',
  javaBin: 'java',
  jmxExporterJar: '/opt/jmx-exporter/jmx_prometheus_javaagent-1.0.1.jar',
  maxFileSize: '100MB',
  maxBackupIndex: 10,
  offsetCommitIntervalMs: 60000,
  abortOnSendFailure: true,
  groupId: (name: string) => `mirror-maker-${name}`,
  prometheusEnabled: true,
  newRelicEnabled: false,
  newRelicLegacyFormat: false,
  lagGrowingMinutes: 10,
  heartbeatLatencySeconds: 60,
} as const;

/** A MirrorMaker spec with every default applied (what rendering uses and the UI shows). */
export interface ResolvedMirrorMakerSpec
  extends Omit<
    MirrorMakerSpec,
    | 'groupId'
    | 'placement'
    | 'install'
    | 'jvm'
    | 'jmx'
    | 'logging'
    | 'consumer'
    | 'producer'
    | 'offsetCommitIntervalMs'
    | 'abortOnSendFailure'
    | 'monitoring'
  > {
  groupId: string;
  placement: Required<MirrorMakerPlacement>;
  install: Required<MirrorMakerInstall>;
  jvm: Required<MirrorMakerJvm>;
  jmx: Required<MirrorMakerJmx>;
  logging: Required<MirrorMakerLogging>;
  consumer: Record<string, string | number | boolean>;
  producer: Record<string, string | number | boolean>;
  offsetCommitIntervalMs: number;
  abortOnSendFailure: boolean;
  monitoring: {
    newRelic: { enabled: boolean; accountId?: number; legacyFormat: boolean };
    prometheus: { enabled: boolean };
    labels: Record<string, string>;
    alerts: { lagGrowingMinutes: number; heartbeatLatencySeconds: number };
  };
}

/** Applies {@link DEFAULTS} to `spec` of the MirrorMaker entity named `name`. */
export function resolveSpec(
  spec: MirrorMakerSpec,
  name: string,
): ResolvedMirrorMakerSpec {
  const install = spec.install ?? {};
  const monitoring = spec.monitoring ?? {};
  const newRelic = monitoring.newRelic ?? {};
  const resolved = assignOwnProperties({}, spec) as ResolvedMirrorMakerSpec;
  // Assigning in this order leaves every key where `{ ...spec, groupId, ... }`
  // would: a key the spec has keeps its place, a new one is appended.
  Object.assign(resolved, {
    groupId: spec.groupId ?? DEFAULTS.groupId(name),
    placement: {
      nodes: spec.placement.nodes,
      processesPerNode:
        spec.placement.processesPerNode ?? DEFAULTS.processesPerNode,
      numStreams: spec.placement.numStreams ?? DEFAULTS.numStreams,
    },
    install: {
      kafkaHome: install.kafkaHome ?? DEFAULTS.kafkaHome,
      configDir: install.configDir ?? DEFAULTS.configDir(name),
      binDir: install.binDir ?? DEFAULTS.binDir(name),
      logDir: install.logDir ?? DEFAULTS.logDir(name),
      user: install.user ?? DEFAULTS.user,
      group: install.group ?? DEFAULTS.group,
      javaBin: install.javaBin ?? DEFAULTS.javaBin,
      jmxExporterJar: install.jmxExporterJar ?? DEFAULTS.jmxExporterJar,
    },
    jvm: { heap: spec.jvm?.heap ?? DEFAULTS.heap },
    jmx: {
      initialPort: spec.jmx?.initialPort ?? DEFAULTS.jmxInitialPort,
      exporterInitialPort:
        spec.jmx?.exporterInitialPort ?? DEFAULTS.exporterInitialPort,
    },
    logging: {
      maxFileSize: spec.logging?.maxFileSize ?? DEFAULTS.maxFileSize,
      maxBackupIndex: spec.logging?.maxBackupIndex ?? DEFAULTS.maxBackupIndex,
    },
    consumer: { ...(spec.consumer ?? {}) },
    producer: { ...(spec.producer ?? {}) },
    offsetCommitIntervalMs:
      spec.offsetCommitIntervalMs ?? DEFAULTS.offsetCommitIntervalMs,
    abortOnSendFailure: spec.abortOnSendFailure ?? DEFAULTS.abortOnSendFailure,
    monitoring: {
      newRelic: {
        enabled: newRelic.enabled ?? DEFAULTS.newRelicEnabled,
        ...(newRelic.accountId !== undefined
          ? { accountId: newRelic.accountId }
          : {}),
        legacyFormat: newRelic.legacyFormat ?? DEFAULTS.newRelicLegacyFormat,
      },
      prometheus: {
        enabled: monitoring.prometheus?.enabled ?? DEFAULTS.prometheusEnabled,
      },
      labels: { ...(monitoring.labels ?? {}) },
      alerts: {
        lagGrowingMinutes:
          monitoring.alerts?.lagGrowingMinutes ?? DEFAULTS.lagGrowingMinutes,
        heartbeatLatencySeconds:
          monitoring.alerts?.heartbeatLatencySeconds ??
          DEFAULTS.heartbeatLatencySeconds,
      },
    },
  });
  return resolved;
}
