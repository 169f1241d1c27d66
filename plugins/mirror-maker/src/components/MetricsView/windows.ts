/** The windows the metrics view offers, as the backend's `window` parameter. */
export const METRICS_WINDOWS = ['15m', '1h', '6h', '24h'] as const;

export type MetricsWindow = (typeof METRICS_WINDOWS)[number];

export const DEFAULT_METRICS_WINDOW: MetricsWindow = '1h';

/** How often the metrics content reads the figures again. */
export const METRICS_REFRESH_MS = 10_000;
