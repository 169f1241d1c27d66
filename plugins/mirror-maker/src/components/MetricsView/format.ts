// Fixed locale, so a figure reads the same on every screen and in tests.
const LOCALE = 'en-US';

const countFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const compactFormat = new Intl.NumberFormat(LOCALE, {
  notation: 'compact',
  maximumFractionDigits: 1,
});

/** A whole number with thousands separators: `12,345`. */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** A short number for chart axes: `1.2K`, `3M`. */
export function formatCompact(n: number): string {
  return compactFormat.format(n);
}

/** Records per second, one decimal below 100. */
export function formatRate(perSecond: number): string {
  if (Math.abs(perSecond) >= 100) return `${formatCount(perSecond)}/s`;
  return `${(Math.round(perSecond * 10) / 10).toString()}/s`;
}

/** Milliseconds below a second, seconds with one decimal above. */
export function formatLatency(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in binary units: `512 MiB`, `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 10 || unit === 0 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Hours and minutes of a time stamp, for chart ticks. */
export function formatClock(at: number | string): string {
  return new Date(at).toLocaleTimeString(LOCALE, {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** Date and time of a time stamp, for tooltips and "as of" lines. */
export function formatTime(at: number | string): string {
  return new Date(at).toLocaleString(LOCALE, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** The last value of a series that is not a gap. */
export function lastOf<T, K extends keyof T>(
  points: T[],
  key: K,
): NonNullable<T[K]> | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i][key];
    if (v !== null && v !== undefined) return v as NonNullable<T[K]>;
  }
  return undefined;
}
