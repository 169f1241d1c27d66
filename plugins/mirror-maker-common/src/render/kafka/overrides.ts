import { assertWellFormed } from '../escape/chars';

/** A spec override value as a properties string. */
export function overrideValue(
  value: string | number | boolean,
  field: string,
): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new Error(`${field} must be a finite number, got ${String(value)}`);
    }
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new Error(`${field} must be a string, number or boolean`);
  }
  assertWellFormed(value, field);
  return value;
}

/** Tuned defaults not overridden, and the overrides as strings. */
export interface AppliedOverrides {
  defaults: Record<string, string>;
  overrides: Record<string, string>;
}

/**
 * Splits tuned defaults and spec overrides into the two sections of a client
 * properties file: the defaults not overridden, and the overrides as
 * strings. Throws for a key the plugin must own (`forbidden` says why).
 */
export function applyOverrides(
  defaults: Record<string, string>,
  overrides: Record<string, string | number | boolean>,
  forbidden: (key: string) => string | undefined,
  field: string,
): AppliedOverrides {
  const given: Record<string, string> = {};
  const overridden = new Set<string>();
  for (const [key, value] of Object.entries(overrides)) {
    const reason = forbidden(key);
    if (reason !== undefined) {
      throw new Error(`${field}.${key} cannot be overridden: ${reason}`);
    }
    if (key.length === 0) throw new Error(`${field} has an empty key`);
    assertWellFormed(key, `${field} key`);
    given[key] = overrideValue(value, `${field}.${key}`);
    overridden.add(key);
  }
  // Built without the overridden keys rather than copied and then deleted
  // from: a delete leaves V8 a slow dictionary-mode object.
  const kept: Record<string, string> = {};
  for (const key of Object.keys(defaults)) {
    if (!overridden.has(key)) kept[key] = defaults[key];
  }
  return { defaults: kept, overrides: given };
}

/**
 * Reasons shared by consumer and producer: security comes from the cluster
 * config in app-config (where secrets live), and config providers could make
 * Kafka read arbitrary files into the configuration.
 */
export function sharedForbiddenReason(key: string): string | undefined {
  if (/^(security|ssl|sasl)\./.test(key)) {
    return 'security settings come from the cluster configuration (mirrorMaker.clusters in app-config), not the spec';
  }
  if (key === 'config.providers' || key.startsWith('config.providers.')) {
    return 'config providers would let the configuration read files on the node';
  }
  if (key === 'bootstrap.servers') {
    return 'the brokers come from the cluster configuration';
  }
  if (key === 'client.id') {
    return 'MirrorMaker and the plugin assign client ids per process so metrics and quotas do not collide';
  }
  return undefined;
}
