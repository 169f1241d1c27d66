import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject, JsonValue } from '@backstage/types';
import { logCreator, logLevel } from 'kafkajs';

const REDACTED = '[redacted]';
const SECRET_KEY = /password|secret|token|sasl|ssl|credential/i;

export function redactString(value: string, secrets: string[]): string {
  let out = value;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join(REDACTED);
  }
  return out;
}

function toJson(value: unknown, secrets: string[], depth = 0): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return redactString(value, secrets);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Error) return redactString(value.message, secrets);
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (depth >= 3) return '[...]';
  if (Array.isArray(value)) {
    return value.slice(0, 20).map(v => toJson(v, secrets, depth + 1));
  }
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) ? REDACTED : toJson(v, secrets, depth + 1);
    }
    return out;
  }
  return redactString(String(value), secrets);
}

/**
 * Routes kafkajs logs to the Backstage logger. Only warnings and errors
 * pass: kafkajs is chatty at info level. Secret values are cut out of every
 * string, and fields whose names look like credentials are dropped, because
 * kafkajs decides on its own what it puts into a log entry.
 */
export function kafkaLogCreator(
  logger: LoggerService,
  cluster: string,
  secrets: string[],
): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      if (level !== logLevel.ERROR && level !== logLevel.WARN) return;
      const { message, timestamp: _timestamp, logger: _name, ...extra } = log;
      const meta: JsonObject = {
        ...(toJson(extra, secrets) as JsonObject),
        cluster,
        kafkajs: namespace,
      };
      const text = `Kafka client of cluster "${cluster}": ${redactString(
        String(message),
        secrets,
      )}`;
      if (level === logLevel.ERROR) logger.error(text, meta);
      else logger.warn(text, meta);
    };
}
