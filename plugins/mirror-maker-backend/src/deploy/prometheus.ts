/** One sample of a Prometheus text exposition. */
export interface PrometheusSample {
  name: string;
  /** Label values, unescaped. Has no prototype, so any label name is safe. */
  labels: Record<string, string>;
  /** May be NaN or infinite: the exposition allows both. */
  value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  timestampMs?: number;
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;
const TIMESTAMP = /^-?\d{1,16}$/;

/** Go's `strconv.ParseFloat` spellings, which the format defers to. */
function parseValue(text: string): number | undefined {
  if (FLOAT.test(text)) return Number(text);
  if (!SPECIAL.test(text)) return undefined;
  const lower = text.toLowerCase();
  if (lower.endsWith('nan')) return NaN;
  return lower.startsWith('-') ? -Infinity : Infinity;
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** One sample line, or undefined when it does not follow the format. */
function parseLine(line: string): PrometheusSample | undefined {
  let i = 0;
  const n = line.length;
  while (isBlank(line[i])) i++;
  const nameStart = i;
  if (i >= n || !NAME_START.test(line[i])) return undefined;
  while (i < n && NAME_CHAR.test(line[i])) i++;
  const name = line.slice(nameStart, i);
  const labels: Record<string, string> = Object.create(null);
  while (isBlank(line[i])) i++;
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (isBlank(line[i])) i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const labelStart = i;
      if (i >= n || !LABEL_START.test(line[i])) return undefined;
      while (i < n && LABEL_CHAR.test(line[i])) i++;
      const label = line.slice(labelStart, i);
      while (isBlank(line[i])) i++;
      if (line[i] !== '=') return undefined;
      i++;
      while (isBlank(line[i])) i++;
      if (line[i] !== '"') return undefined;
      i++;
      let value = '';
      let closed = false;
      while (i < n) {
        const c = line[i++];
        if (c === '"') {
          closed = true;
          break;
        }
        if (c === '\\') {
          const next = line[i++];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else if (next === undefined) return undefined;
          // The format defines no other escape; keep it as written.
          else value += `\\${next}`;
        } else {
          value += c;
        }
      }
      if (!closed || label in labels) return undefined;
      labels[label] = value;
      while (isBlank(line[i])) i++;
      if (line[i] === ',') {
        i++;
        continue;
      }
      if (line[i] === '}') {
        i++;
        break;
      }
      return undefined;
    }
  }
  const rest = line
    .slice(i)
    .trim()
    .split(/[ \t]+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') return undefined;
  const value = parseValue(rest[0]);
  if (value === undefined) return undefined;
  if (rest.length === 2 && !TIMESTAMP.test(rest[1])) return undefined;
  return {
    name,
    labels,
    value,
    ...(rest.length === 2 ? { timestampMs: Number(rest[1]) } : {}),
  };
}

/**
 * Parses a Prometheus text exposition (format 0.0.4, as the JMX exporter
 * agent serves it). Comment lines (`# HELP`, `# TYPE`) carry nothing the
 * callers use and are skipped; so are malformed lines, because one odd line
 * of an exporter must not hide every other figure of the process.
 */
export function parseExposition(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const sample = parseLine(line);
    if (sample) samples.push(sample);
  }
  return samples;
}

/**
 * Sums of the samples of each metric in a Prometheus text exposition,
 * optionally only those whose labels include `match`. Enough for the health
 * gate, which reads a handful of gauges from one process's JMX exporter.
 * NaN and infinite samples are left out (Kafka reports NaN before its first
 * measurement).
 */
export function sumMetrics(
  text: string,
  names: string[],
  match: Record<string, string> = {},
): Record<string, number | undefined> {
  const wanted = new Set(names);
  const sums: Record<string, number | undefined> = {};
  for (const sample of parseExposition(text)) {
    if (!wanted.has(sample.name)) continue;
    const ok = Object.entries(match).every(([k, v]) => sample.labels[k] === v);
    if (!ok || !Number.isFinite(sample.value)) continue;
    sums[sample.name] = (sums[sample.name] ?? 0) + sample.value;
  }
  return sums;
}

/** Default cap of an exporter page: a JMX exporter serves tens of kilobytes. */
export const MAX_EXPOSITION_BYTES = 8 * 1024 * 1024;

/**
 * Fetches a metrics page with a deadline over the whole body and a cap on
 * its size, so an exporter that stalls or streams without end cannot hold a
 * request or the backend's memory. Throws with the reason.
 */
export async function fetchExposition(
  url: string,
  options: { timeoutMs?: number; maxBytes?: number; fetch?: typeof fetch } = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxBytes = options.maxBytes ?? MAX_EXPOSITION_BYTES;
  const signal = AbortSignal.timeout(timeoutMs);
  const doFetch = options.fetch ?? fetch;
  try {
    const res = await doFetch(url, { signal, redirect: 'error' });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    }
    const declared = Number(res.headers.get('content-length'));
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(
        `the page is ${declared} bytes, more than the ${maxBytes} bytes accepted`,
      );
    }
    if (!res.body) return '';
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new Error(
          `the page is larger than the ${maxBytes} bytes accepted`,
        );
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (signal.aborted) {
      throw new Error(`no complete answer within ${timeoutMs} ms`);
    }
    throw describeFetchError(error);
  }
}

/**
 * Node's fetch says only "fetch failed"; its cause has the useful part.
 * Errors are recognised by shape: fetch's come from another realm under
 * some runners, where `instanceof Error` is false.
 */
function describeFetchError(error: unknown): Error {
  const message = messageOf(error);
  const cause = messageOf((error as { cause?: unknown } | undefined)?.cause);
  if (message === 'fetch failed' && cause !== undefined) {
    const code = (error as { cause: { code?: unknown } }).cause.code;
    return new Error(
      typeof code === 'string' && !cause.includes(code)
        ? `${code}: ${cause}`
        : cause,
    );
  }
  return error instanceof Error ? error : new Error(message ?? String(error));
}

function messageOf(error: unknown): string | undefined {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

/** Fetches a metrics page with a deadline; undefined when it cannot be read. */
export async function scrape(
  url: string,
  timeoutMs = 3000,
): Promise<string | undefined> {
  try {
    return await fetchExposition(url, { timeoutMs });
  } catch {
    return undefined;
  }
}
