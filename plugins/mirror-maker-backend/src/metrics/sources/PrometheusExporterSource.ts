import {
  MetricProcess,
  MetricSource,
  ProcessMetrics,
  ProcessMetricsRequest,
} from '@mirrormaker/plugin-mirror-maker-node';

import {
  fetchExposition,
  MAX_EXPOSITION_BYTES,
  parseExposition,
  PrometheusSample,
} from '../../deploy/prometheus';

export interface PrometheusExporterSourceOptions {
  /** Deadline of one exporter page, headers and body. Default 3 s. */
  timeoutMs?: number;
  /** Largest page accepted. Default 8 MiB. */
  maxBytes?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** The names our rendered exporter rules and the agent's JVM collectors give. */
const M = {
  dropped: 'kafka_mirrormaker_dropped_messages',
  consumed: 'kafka_consumer_records_consumed_rate',
  lagMax: 'kafka_consumer_records_lag_max',
  assigned: 'kafka_consumer_assigned_partitions',
  sent: 'kafka_producer_record_send_rate',
  errors: 'kafka_producer_record_error_rate',
  latency: 'kafka_producer_request_latency_avg',
  memUsed: 'jvm_memory_used_bytes',
  memMax: 'jvm_memory_max_bytes',
  gc: 'jvm_gc_collection_seconds_sum',
} as const;

function finiteValues(
  samples: PrometheusSample[],
  name: string,
  accept: (labels: Record<string, string>) => boolean = () => true,
): number[] {
  return samples
    .filter(
      s => s.name === name && Number.isFinite(s.value) && accept(s.labels),
    )
    .map(s => s.value);
}

function sum(values: number[]): number | undefined {
  return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
}

function mean(values: number[]): number | undefined {
  return values.length ? sum(values)! / values.length : undefined;
}

function max(values: number[]): number | undefined {
  return values.length ? Math.max(...values) : undefined;
}

/**
 * Kafka also reports per-topic series of the same attribute (the fetch
 * manager's per-topic `records-consumed-rate`, the producer's per-topic
 * send rate); they break down the client-level figure, so adding them in
 * would count every record twice.
 */
const clientLevel = (labels: Record<string, string>) => !('topic' in labels);

/** The figures of one process from its exporter page. */
export function figuresFromExposition(
  text: string,
): Omit<ProcessMetrics, 'host' | 'index' | 'source' | 'up' | 'observedAt'> {
  const samples = parseExposition(text);
  const heap = (labels: Record<string, string>) => labels.area === 'heap';
  // The JVM reports -1 for a maximum it does not know.
  const heapMax = finiteValues(samples, M.memMax, heap).filter(v => v >= 0);
  const figures = {
    droppedMessages: sum(finiteValues(samples, M.dropped)),
    recordsConsumedRate: sum(finiteValues(samples, M.consumed, clientLevel)),
    recordsSentRate: sum(finiteValues(samples, M.sent, clientLevel)),
    recordErrorRate: sum(finiteValues(samples, M.errors, clientLevel)),
    requestLatencyAvgMs: mean(finiteValues(samples, M.latency, clientLevel)),
    recordsLagMax: max(finiteValues(samples, M.lagMax)),
    assignedPartitions: sum(finiteValues(samples, M.assigned)),
    heapUsedBytes: sum(finiteValues(samples, M.memUsed, heap)),
    heapMaxBytes: sum(heapMax),
    gcSecondsTotal: sum(finiteValues(samples, M.gc)),
  };
  return Object.fromEntries(
    Object.entries(figures).filter(([, v]) => v !== undefined),
  );
}

function reason(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * Reads every process's Prometheus JMX exporter page, all at once, each
 * with its own deadline: the embedded metric source, which needs nothing
 * but the exporters the rendered start scripts already run.
 */
export class PrometheusExporterSource implements MetricSource {
  readonly name = 'prometheus';
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #fetch: typeof fetch | undefined;
  readonly #now: () => Date;

  constructor(options: PrometheusExporterSourceOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#maxBytes = options.maxBytes ?? MAX_EXPOSITION_BYTES;
    this.#fetch = options.fetch;
    this.#now = options.now ?? (() => new Date());
  }

  async processMetrics(
    request: ProcessMetricsRequest,
  ): Promise<ProcessMetrics[]> {
    return Promise.all(request.processes.map(p => this.#one(request, p)));
  }

  async #one(
    request: ProcessMetricsRequest,
    process: MetricProcess,
  ): Promise<ProcessMetrics> {
    const base = {
      host: process.host,
      index: process.index,
      source: this.name,
    };
    const where =
      process.metricsUrl ?? `process ${process.index} on ${process.host}`;
    let text: string | undefined;
    try {
      text = await this.#read(request, process);
    } catch (error) {
      return {
        ...base,
        up: false,
        error: `exporter at ${where} cannot be read: ${reason(error)}`,
        observedAt: this.#now().toISOString(),
      };
    }
    const observedAt = this.#now().toISOString();
    if (text === undefined) {
      return {
        ...base,
        up: false,
        error: `exporter at ${where} cannot be read: its deploy target has no page for the process (not running?)`,
        observedAt,
      };
    }
    if (text.length > this.#maxBytes) {
      return {
        ...base,
        up: false,
        error: `exporter at ${where} cannot be read: the page is larger than the ${
          this.#maxBytes
        } bytes accepted`,
        observedAt,
      };
    }
    return { ...base, up: true, ...figuresFromExposition(text), observedAt };
  }

  async #read(
    request: ProcessMetricsRequest,
    process: MetricProcess,
  ): Promise<string | undefined> {
    if (request.readExporter) {
      return withDeadline(
        request.readExporter({ host: process.host, index: process.index }),
        this.#timeoutMs,
      );
    }
    if (!process.metricsUrl) {
      throw new Error('the process has no exporter URL');
    }
    return fetchExposition(process.metricsUrl, {
      timeoutMs: this.#timeoutMs,
      maxBytes: this.#maxBytes,
      fetch: this.#fetch,
    });
  }
}

/**
 * A target's own reader may wait on an ssh channel; the deadline keeps one
 * slow node from holding the answer for every process.
 */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
