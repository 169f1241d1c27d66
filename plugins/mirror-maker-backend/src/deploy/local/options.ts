import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import * as os from 'os';
import * as path from 'path';

/** How the supervisor restarts a process that exited on its own. */
export interface RestartPolicy {
  /** Pause before the first restart after a crash. Default 1,000 ms. */
  initialDelayMs: number;
  /** The pause doubles per crash up to this. Default 30,000 ms. */
  maxDelayMs: number;
  /** A process up this long counts as healthy: its next crash starts from `initialDelayMs` again. Default 60,000 ms. */
  stableAfterMs: number;
}

/** Settings of the `local` deploy target (`mirrorMaker.deploy.local`). */
export interface LocalDeployTargetOptions {
  /** Absolute folder with one subfolder per deployment. Default `<tmpdir>/mirror-maker-local`. */
  workDir?: string;
  /** Kafka installation with `libs/*.jar`; without it the target is not ready. */
  kafkaHome?: string;
  /** Java executable, a name on PATH or an absolute path. Default `java`. */
  javaBin?: string;
  /** Prometheus JMX exporter agent jar; without it the processes run without exporter. */
  jmxExporterJar?: string;
  /** Upper bound of `spec.jvm.heap`, e.g. `256m`. Default `256m`. */
  maxHeap?: string;
  restart?: Partial<RestartPolicy>;
}

/** {@link LocalDeployTargetOptions} with defaults applied and checked. */
export interface ResolvedLocalOptions {
  workDir: string;
  kafkaHome?: string;
  javaBin: string;
  jmxExporterJar?: string;
  maxHeap: string;
  restart: RestartPolicy;
}

export const CONFIG_KEY = 'mirrorMaker.deploy.local';

export const DEFAULT_RESTART: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
};

const HEAP = /^([1-9][0-9]{0,6})([kKmMgG]?)$/;
const UNITS: Record<string, number> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
};

/** Bytes of a JVM heap size such as `512M`; undefined when it is not one. */
export function heapBytes(heap: string): number | undefined {
  const match = HEAP.exec(heap);
  if (!match) return undefined;
  return Number(match[1]) * UNITS[match[2].toLowerCase()];
}

/** The smaller of the spec's heap and the target's cap. */
export function capHeap(heap: string, maxHeap: string): string {
  const wanted = heapBytes(heap);
  const cap = heapBytes(maxHeap)!;
  return wanted !== undefined && wanted <= cap ? heap : maxHeap;
}

function absolute(value: string | undefined, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (!path.isAbsolute(value) || value.includes('\0')) {
    throw new InputError(
      `${CONFIG_KEY}.${key} must be an absolute path, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return path.normalize(value);
}

function positiveInteger(value: number, key: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new InputError(
      `${CONFIG_KEY}.restart.${key} must be a positive integer of milliseconds, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

/** Applies defaults and checks every value; throws an InputError naming the key. */
export function resolveLocalOptions(
  options: LocalDeployTargetOptions = {},
): ResolvedLocalOptions {
  const workDir =
    absolute(options.workDir, 'workDir') ??
    path.join(os.tmpdir(), 'mirror-maker-local');
  const kafkaHome = absolute(options.kafkaHome, 'kafkaHome');
  const jmxExporterJar = absolute(options.jmxExporterJar, 'jmxExporterJar');
  // The jar path ends at "=" in a -javaagent option.
  if (jmxExporterJar?.includes('=')) {
    throw new InputError(
      `${CONFIG_KEY}.jmxExporterJar contains "=", which a -javaagent option cannot hold; rename the file`,
    );
  }
  const javaBin = options.javaBin ?? 'java';
  if (!/^[A-Za-z0-9._+-]+$/.test(javaBin)) absolute(javaBin, 'javaBin');
  const maxHeap = options.maxHeap ?? '256m';
  if (heapBytes(maxHeap) === undefined) {
    throw new InputError(
      `${CONFIG_KEY}.maxHeap ${JSON.stringify(
        maxHeap,
      )} is not a JVM heap size; use a number with an optional k, m or g suffix, e.g. 256m`,
    );
  }
  const restart = { ...DEFAULT_RESTART };
  for (const key of Object.keys(DEFAULT_RESTART) as (keyof RestartPolicy)[]) {
    const value = options.restart?.[key];
    if (value !== undefined) restart[key] = positiveInteger(value, key);
  }
  if (restart.maxDelayMs < restart.initialDelayMs) {
    throw new InputError(
      `${CONFIG_KEY}.restart.maxDelayMs (${restart.maxDelayMs}) is below restart.initialDelayMs (${restart.initialDelayMs}); the pause could never grow`,
    );
  }
  return { workDir, kafkaHome, javaBin, jmxExporterJar, maxHeap, restart };
}

/** Reads `mirrorMaker.deploy.local`; every key is optional. */
export function readLocalOptions(config: Config): LocalDeployTargetOptions {
  const local = config.getOptionalConfig(CONFIG_KEY);
  if (!local) return {};
  const restart = local.getOptionalConfig('restart');
  return {
    workDir: local.getOptionalString('workDir'),
    kafkaHome: local.getOptionalString('kafkaHome'),
    javaBin: local.getOptionalString('javaBin'),
    jmxExporterJar: local.getOptionalString('jmxExporterJar'),
    maxHeap: local.getOptionalString('maxHeap'),
    restart: restart
      ? {
          initialDelayMs: restart.getOptionalNumber('initialDelayMs'),
          maxDelayMs: restart.getOptionalNumber('maxDelayMs'),
          stableAfterMs: restart.getOptionalNumber('stableAfterMs'),
        }
      : undefined,
  };
}
