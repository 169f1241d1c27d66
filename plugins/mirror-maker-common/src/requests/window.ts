import { quoteValue } from './input';

/**
 * Maintenance windows of a MirrorMaker deployment (annotation
 * `mirrormaker.io/maintenance-window`): when approved replication requests
 * may roll out. The format is `<days> HH:MM-HH:MM`, in UTC:
 *
 * - days: `*` or `daily`, or a comma-separated list of three-letter day
 *   names and ranges, e.g. `Mon-Fri`, `Sat,Sun`, `Mon,Wed-Fri`;
 * - the times are the start and end of the window on each of those days;
 *   the end may pass midnight (`Fri 22:00-02:00` runs into Saturday), and
 *   `24:00` is accepted as an end.
 */

/** A parsed window: the days it starts on and its start and end in minutes after midnight UTC. */
export interface MaintenanceWindow {
  /** Days the window starts on, 0 = Sunday ... 6 = Saturday, sorted. */
  days: number[];
  /** Minutes after 00:00 UTC, 0-1439. */
  start: number;
  /** Minutes after 00:00 UTC, 1-1440; not after `start` means the window ends the next day. */
  end: number;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const ACCEPTED =
  'use "<days> HH:MM-HH:MM" in UTC, days as *, daily, or names and ranges like Mon-Fri or Sat,Sun; e.g. "Sat,Sun 02:00-04:00"';
const MAX_LENGTH = 100;
const DAY_MS = 86_400_000;

function parseTime(text: string, allow24: boolean): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (minutes > 59) return undefined;
  if (hours === 24 && minutes === 0 && allow24) return 24 * 60;
  if (hours > 23) return undefined;
  return hours * 60 + minutes;
}

function parseDays(text: string): number[] | string {
  const lower = text.toLowerCase();
  if (lower === '*' || lower === 'daily') return [0, 1, 2, 3, 4, 5, 6];
  const days = new Set<number>();
  for (const item of lower.split(',')) {
    const bounds = item.split('-');
    const indexes = bounds.map(b => DAY_NAMES.indexOf(b));
    if (bounds.length > 2 || indexes.some(i => i < 0)) {
      return `${quoteValue(
        item,
        20,
      )} is not a day or a range of days (${DAY_NAMES.map(
        d => d[0].toUpperCase() + d.slice(1),
      ).join(', ')})`;
    }
    const [from, to = from] = indexes;
    // A range may wrap around the week (Fri-Mon).
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * Parses a maintenance window.
 *
 * @returns the window, or an error saying what is wrong and what is accepted
 */
export function parseMaintenanceWindow(
  value: unknown,
): { window: MaintenanceWindow } | { error: string } {
  if (typeof value !== 'string') {
    return { error: `is not text; ${ACCEPTED}` };
  }
  if (value.length > MAX_LENGTH) {
    return {
      error: `is ${value.length} characters long, more than ${MAX_LENGTH}; ${ACCEPTED}`,
    };
  }
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 2) {
    return {
      error: `${quoteValue(
        value,
      )} is not of the form <days> HH:MM-HH:MM; ${ACCEPTED}`,
    };
  }
  const days = parseDays(parts[0]);
  if (typeof days === 'string') {
    return { error: `${days}; ${ACCEPTED}` };
  }
  const times = parts[1].split('-');
  const start = times.length === 2 ? parseTime(times[0], false) : undefined;
  const end = times.length === 2 ? parseTime(times[1], true) : undefined;
  if (start === undefined || end === undefined) {
    return {
      error: `${quoteValue(
        parts[1],
        20,
      )} is not a time range HH:MM-HH:MM (00:00 to 24:00); ${ACCEPTED}`,
    };
  }
  if (start === end) {
    return {
      error: `starts and ends at ${
        parts[1].split('-')[0]
      }, an empty window; ${ACCEPTED}`,
    };
  }
  return { window: { days, start, end } };
}

/** Length of the window in minutes. */
function lengthOf(window: MaintenanceWindow): number {
  return window.end > window.start
    ? window.end - window.start
    : window.end + 1440 - window.start;
}

/** Start of the window that opens on the UTC day of `dayStartMs`. */
function openingOn(window: MaintenanceWindow, dayStartMs: number) {
  return dayStartMs + window.start * 60_000;
}

/** Whether `at` falls inside the window (start inclusive, end exclusive). */
export function isInMaintenanceWindow(
  window: MaintenanceWindow,
  at: Date,
): boolean {
  const t = at.getTime();
  const today = Math.floor(t / DAY_MS) * DAY_MS;
  // A window that opened yesterday may still run today.
  for (const dayStart of [today, today - DAY_MS]) {
    const weekday = new Date(dayStart).getUTCDay();
    if (!window.days.includes(weekday)) continue;
    const open = openingOn(window, dayStart);
    if (t >= open && t < open + lengthOf(window) * 60_000) return true;
  }
  return false;
}

/** The next time the window opens strictly after `after`. */
export function nextMaintenanceWindowStart(
  window: MaintenanceWindow,
  after: Date,
): Date {
  const t = after.getTime();
  const today = Math.floor(t / DAY_MS) * DAY_MS;
  for (let i = 0; i <= 7; i++) {
    const dayStart = today + i * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    if (!window.days.includes(weekday)) continue;
    const open = openingOn(window, dayStart);
    if (open > t) return new Date(open);
  }
  // Unreachable for a parsed window (it has at least one day).
  throw new Error('maintenance window has no days');
}
