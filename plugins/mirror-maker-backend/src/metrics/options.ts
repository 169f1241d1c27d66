import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** `mirrorMaker.metrics` with defaults applied; see config.d.ts. */
export interface MetricsOptions {
  sampleMs: number;
  retentionMs: number;
  lagCacheMs: number;
  heartbeat: { enabled: boolean; intervalMs: number; groupId: string };
}

function number(
  config: Config | undefined,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new InputError(
      `mirrorMaker.metrics.${key} is ${value}; use a number from ${min} to ${max}`,
    );
  }
  return value;
}

const GROUP_ID = /^[A-Za-z0-9._-]{1,249}$/;

/** Reads `mirrorMaker.metrics`; throws an InputError naming the bad key. */
export function readMetricsOptions(root: Config): MetricsOptions {
  const config = root.getOptionalConfig('mirrorMaker.metrics');
  const groupId =
    config?.getOptionalString('heartbeat.groupId') ??
    'backstage-mirror-maker-heartbeat';
  if (!GROUP_ID.test(groupId)) {
    throw new InputError(
      `mirrorMaker.metrics.heartbeat.groupId ${JSON.stringify(
        groupId,
      )} is not accepted; use 1 to 249 of [A-Za-z0-9._-]`,
    );
  }
  return {
    sampleMs: number(config, 'sampleSeconds', 10, 5, 3600) * 1000,
    retentionMs: number(config, 'retentionHours', 24, 1, 720) * 3_600_000,
    lagCacheMs: number(config, 'lagCacheSeconds', 2, 0, 60) * 1000,
    heartbeat: {
      enabled: config?.getOptionalBoolean('heartbeat.enabled') ?? true,
      intervalMs: number(config, 'heartbeat.intervalSeconds', 5, 1, 300) * 1000,
      groupId,
    },
  };
}
