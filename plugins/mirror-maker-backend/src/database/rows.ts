import { randomBytes } from 'crypto';

/** Helpers every store uses to read rows the same way on SQLite and PostgreSQL. */

/** Whether a database error is a unique or primary-key violation (PostgreSQL or SQLite). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    (typeof message === 'string' &&
      message.includes('UNIQUE constraint failed'))
  );
}

// SQLite's CURRENT_TIMESTAMP is UTC but carries no zone, so Date would read it
// as local time.
const SQLITE_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;

/** A timestamp column as ISO 8601 in UTC. */
export function toIsoString(value: Date | string | number): string {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'string') {
    const match = SQLITE_TIMESTAMP.exec(value);
    if (match) {
      return new Date(`${match[1]}T${match[2]}Z`).toISOString();
    }
  }
  return new Date(value).toISOString();
}

/** A list limit as a whole number within 1..max; `fallback` when absent or not finite. */
export function clampLimit(
  limit: number | undefined,
  fallback: number,
  max: number,
): number {
  if (limit === undefined || !Number.isFinite(limit)) {
    return fallback;
  }
  return Math.min(max, Math.max(1, Math.floor(limit)));
}

let lastUuidMillis = 0;
let uuidSequence = 0;

/**
 * A version 7 UUID (RFC 9562): milliseconds first, then a counter so that ids
 * made in the same millisecond, or while the clock steps back, still increase.
 */
export function timeOrderedUuid(): string {
  const now = Date.now();
  if (now > lastUuidMillis) {
    lastUuidMillis = now;
    uuidSequence = 0;
  } else if (uuidSequence < 0xfff) {
    uuidSequence += 1;
  } else {
    lastUuidMillis += 1;
    uuidSequence = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastUuidMillis, 0, 6);
  bytes[6] = 0x70 | (uuidSequence >> 8);
  bytes[7] = uuidSequence & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(
    12,
    16,
  )}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
