import { InputError } from '@backstage/errors';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Shortest window: below two samples no rate can be derived. */
export const MIN_WINDOW_MS = 60_000;

/**
 * Reads the `window` query parameter of the metrics routes: a whole number
 * and a unit (`30m`, `1h`, `24h`, `7d`), at least a minute and at most the
 * retention of the samples, so a window never promises data that is gone.
 */
export function parseWindow(
  value: string | undefined,
  options: { defaultMs: number; maxMs: number },
): number {
  if (value === undefined || value === '') return options.defaultMs;
  const match = /^([1-9][0-9]{0,5})([smhd])$/.exec(value);
  if (!match) {
    throw new InputError(
      `window ${JSON.stringify(
        value.slice(0, 40),
      )} is not a duration; use a whole number followed by s, m, h or d, e.g. 15m, 1h, 24h`,
    );
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms < MIN_WINDOW_MS || ms > options.maxMs) {
    throw new InputError(
      `window ${value} is out of range; use 1m to ${formatDuration(
        options.maxMs,
      )} (samples are kept for ${formatDuration(options.maxMs)})`,
    );
  }
  return ms;
}

/** `86400000` -> `24h`, `90000` -> `90s`: the largest unit that divides evenly. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
