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
