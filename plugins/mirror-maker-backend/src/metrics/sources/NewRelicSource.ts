import { Config } from '@backstage/config';
import {
  MetricProcess,
  MetricSource,
  ProcessMetrics,
  ProcessMetricsRequest,
} from '@mirrormaker/plugin-mirror-maker-node';

/** NerdGraph of accounts in New Relic's US data centre. */
export const NERDGRAPH_US = 'https://api.newrelic.com/graphql';
/** NerdGraph of accounts in New Relic's EU data centre. */
export const NERDGRAPH_EU = 'https://api.eu.newrelic.com/graphql';

/** The event type our rendered nri-jmx collection files write. */
export const EVENT_TYPE = 'kafkaMirrorMakerMonitoring';

export interface NewRelicSourceOptions {
  /** A New Relic user key (`NRAK-...`), sent as the `API-Key` header. */
  apiKey: string;
  /** Account whose events the queries read. */
  accountId: number;
  /** NerdGraph URL. Default {@link NERDGRAPH_US}. */
  endpoint?: string;
  fetch?: typeof fetch;
  /** How far back the queries look for the latest values. Default 5. */
  sinceMinutes?: number;
  /** Deadline of one NerdGraph call. Default 10 s. */
  timeoutMs?: number;
  /**
   * A process whose newest event is older than this is reported down.
   * Default 2 minutes: nri-jmx samples every 30 s as rendered.
   */
  staleAfterMs?: number;
  now?: () => Date;
}

/** A value inside an NRQL single-quoted string literal. */
export function nrqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const NODE = 'label.mirrorMakerNode';
const PROCESS = 'label.mirrorMakerProcessName';
const FETCH_BEAN = "bean LIKE '%consumer-fetch-manager-metrics%'";
// Per-topic and per-partition beans of the fetch manager repeat the
// client-level figures broken down; only the client-level one is summed.
const CLIENT_LEVEL = `${FETCH_BEAN} AND \`key:topic\` IS NULL`;
const COORDINATOR_BEAN = "bean LIKE '%consumer-coordinator-metrics%'";
const PRODUCER_BEAN = "bean LIKE '%producer-metrics%'";

/**
 * The three NRQL queries of one deployment: per process, per Kafka client
 * of a process, and per garbage collector of a process. Only the
 * deployment's name comes from outside and it is escaped; every other part
 * is fixed here.
 */
export function buildQueries(
  deploymentName: string,
  sinceMinutes: number,
): { processes: string; clients: string; gc: string } {
  const from = `FROM ${EVENT_TYPE} WHERE \`label.deployment\` = ${nrqlString(
    deploymentName,
  )}`;
  const facet = `FACET \`${NODE}\`, \`${PROCESS}\``;
  const tail = `SINCE ${sinceMinutes} minutes ago LIMIT MAX`;
  const latest = (attribute: string, where: string, as: string) =>
    `filter(latest(\`${attribute}\`), WHERE ${where}) AS '${as}'`;
  return {
    processes: [
      "SELECT max(timestamp) AS 'lastSeen',",
      `${latest(
        'Value',
        "bean LIKE '%MirrorMaker-numDroppedMessages%'",
        'droppedMessages',
      )},`,
      `${latest(
        'HeapMemoryUsage.Used',
        "bean LIKE 'type=Memory'",
        'heapUsedBytes',
      )},`,
      `${latest(
        'HeapMemoryUsage.Max',
        "bean LIKE 'type=Memory'",
        'heapMaxBytes',
      )}`,
      from,
      facet,
      tail,
    ].join(' '),
    clients: [
      `SELECT ${latest(
        'records-consumed-rate',
        CLIENT_LEVEL,
        'recordsConsumedRate',
      )},`,
      `${latest('records-lag-max', CLIENT_LEVEL, 'recordsLagMax')},`,
      `${latest(
        'assigned-partitions',
        COORDINATOR_BEAN,
        'assignedPartitions',
      )},`,
      `${latest('record-send-rate', PRODUCER_BEAN, 'recordsSentRate')},`,
      `${latest('record-error-rate', PRODUCER_BEAN, 'recordErrorRate')},`,
      `${latest('request-latency-avg', PRODUCER_BEAN, 'requestLatencyAvgMs')}`,
      from,
      'AND `key:client-id` IS NOT NULL AND `key:partition` IS NULL',
      `${facet}, \`key:client-id\``,
      tail,
    ].join(' '),
    gc: [
      "SELECT latest(`CollectionTime`) AS 'collectionTimeMs'",
      from,
      "AND bean LIKE 'type=GarbageCollector,%'",
      `${facet}, \`key:name\``,
      tail,
    ].join(' '),
  };
}

/**
 * NRQL travels as GraphQL variables, so no NRQL text is ever spliced into
 * the GraphQL document; the three queries share one round trip.
 */
const GRAPHQL = `query ($accountId: Int!, $processes: Nrql!, $clients: Nrql!, $gc: Nrql!) {
  actor {
    account(id: $accountId) {
      processes: nrql(query: $processes) { results }
      clients: nrql(query: $clients) { results }
      gc: nrql(query: $gc) { results }
    }
  }
}`;

type Row = Record<string, unknown> & { facet?: unknown };

interface NerdGraphResponse {
  data?: {
    actor?: {
      account?: Record<string, { results?: Row[] } | null | undefined> | null;
    } | null;
  } | null;
  errors?: { message?: string }[];
}

function messageOf(error: unknown): string | undefined {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

function sum(values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? present.reduce((a, b) => a + b, 0) : undefined;
}

/** The facet values of a row, by position, else by attribute name. */
function facets(row: Row, names: string[]): (string | undefined)[] {
  const list = Array.isArray(row.facet) ? row.facet : [row.facet];
  return names.map((name, i) => {
    const value = list[i] ?? row[name];
    return typeof value === 'string' ? value : undefined;
  });
}

function processKey(host: string, name: string): string {
  return JSON.stringify([host, name]);
}

/** `kafka-mirror-maker-<index>`: the `mirrorMakerProcessName` label the renderer writes. */
export function processName(index: number): string {
  return `kafka-mirror-maker-${index}`;
}

/**
 * Per-process figures from New Relic, for deployments whose processes
 * report through the infrastructure agent's nri-jmx (the files the renderer
 * writes under `etc/newrelic-infra/integrations.d`) instead of a scraped
 * Prometheus exporter.
 */
export class NewRelicSource implements MetricSource {
  readonly name = 'newrelic';
  readonly #apiKey: string;
  readonly #accountId: number;
  readonly #endpoint: string;
  readonly #fetch: typeof fetch;
  readonly #sinceMinutes: number;
  readonly #timeoutMs: number;
  readonly #staleAfterMs: number;
  readonly #now: () => Date;

  constructor(options: NewRelicSourceOptions) {
    if (!options.apiKey) {
      throw new Error('New Relic source: apiKey is empty; give a user key');
    }
    if (!Number.isSafeInteger(options.accountId) || options.accountId <= 0) {
      throw new Error(
        `New Relic source: accountId ${options.accountId} is not an account id; give a positive whole number`,
      );
    }
    const since = options.sinceMinutes ?? 5;
    if (!Number.isInteger(since) || since < 1 || since > 60) {
      throw new Error(
        `New Relic source: sinceMinutes ${since} is out of range; give a whole number from 1 to 60`,
      );
    }
    this.#apiKey = options.apiKey;
    this.#accountId = options.accountId;
    this.#endpoint = options.endpoint ?? NERDGRAPH_US;
    this.#fetch = options.fetch ?? fetch;
    this.#sinceMinutes = since;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#staleAfterMs = options.staleAfterMs ?? 120_000;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Reads `mirrorMaker.metrics.newRelic`; undefined when the section is
   * absent, so a backend without New Relic simply has no such source.
   */
  static fromConfig(
    config: Config,
    options: Pick<NewRelicSourceOptions, 'fetch' | 'now'> = {},
  ): NewRelicSource | undefined {
    const key = 'mirrorMaker.metrics.newRelic';
    const section = config.getOptionalConfig(key);
    if (!section) return undefined;
    const apiKey = section.getOptional('apiKey');
    if (typeof apiKey !== 'string' || apiKey.trim() === '') {
      throw new Error(
        `${key}.apiKey is missing or not a string; give a New Relic user key (NRAK-...), e.g. \${NEW_RELIC_API_KEY}`,
      );
    }
    const rawAccount = section.getOptional('accountId');
    // A number, or digits: `${NEW_RELIC_ACCOUNT_ID}` substitutes a string.
    let accountId = NaN;
    if (typeof rawAccount === 'number') accountId = rawAccount;
    else if (typeof rawAccount === 'string' && /^\d{1,15}$/.test(rawAccount)) {
      accountId = Number(rawAccount);
    }
    if (!Number.isSafeInteger(accountId) || accountId <= 0) {
      throw new Error(
        `${key}.accountId ${JSON.stringify(
          rawAccount,
        )} is not a New Relic account id; give a positive whole number`,
      );
    }
    const region = section.getOptional('region') ?? 'us';
    if (region !== 'us' && region !== 'eu') {
      throw new Error(
        `${key}.region ${JSON.stringify(
          region,
        )} is not a region; use 'us' or 'eu'`,
      );
    }
    const rawEndpoint = section.getOptional('endpoint');
    let endpoint = region === 'eu' ? NERDGRAPH_EU : NERDGRAPH_US;
    if (rawEndpoint !== undefined) {
      let url: URL | undefined;
      try {
        url =
          typeof rawEndpoint === 'string' ? new URL(rawEndpoint) : undefined;
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        throw new Error(
          `${key}.endpoint ${JSON.stringify(
            rawEndpoint,
          )} is not an http(s) URL; give the NerdGraph URL, e.g. ${NERDGRAPH_US}`,
        );
      }
      endpoint = url.toString();
    }
    return new NewRelicSource({ apiKey, accountId, endpoint, ...options });
  }

  async processMetrics(
    request: ProcessMetricsRequest,
  ): Promise<ProcessMetrics[]> {
    let accountData: Record<string, { results?: Row[] } | null | undefined>;
    try {
      accountData = await this.#query(request.deploymentName);
    } catch (error) {
      const why = messageOf(error) ?? String(error);
      const observedAt = this.#now().toISOString();
      // Nothing is known of the processes; `up` is false because the
      // interface has no "unknown", and the error says whose failure it is.
      return request.processes.map(p => ({
        host: p.host,
        index: p.index,
        source: this.name,
        up: false,
        error: `the ${this.name} metric source failed, not the process: ${why}`,
        observedAt,
      }));
    }
    return this.#map(request, accountData);
  }

  async #query(
    deploymentName: string,
  ): Promise<Record<string, { results?: Row[] } | null | undefined>> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let res: Response;
    let body: NerdGraphResponse;
    try {
      res = await this.#fetch(this.#endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'API-Key': this.#apiKey,
        },
        body: JSON.stringify({
          query: GRAPHQL,
          variables: {
            accountId: this.#accountId,
            ...buildQueries(deploymentName, this.#sinceMinutes),
          },
        }),
        signal,
        redirect: 'error',
      });
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(
          `NerdGraph at ${this.#endpoint} refused the API key (HTTP ${
            res.status
          }); check mirrorMaker.metrics.newRelic.apiKey and that its user can query account ${
            this.#accountId
          }`,
        );
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(
          `NerdGraph at ${this.#endpoint} answered HTTP ${res.status}`,
        );
      }
      body = (await res.json()) as NerdGraphResponse;
    } catch (error) {
      if (signal.aborted) {
        throw new Error(
          `NerdGraph at ${this.#endpoint} did not answer within ${
            this.#timeoutMs
          } ms`,
        );
      }
      // By name and shape: fetch's errors may come from another realm.
      const name = (error as { name?: unknown })?.name;
      if (name === 'SyntaxError') {
        throw new Error(
          `NerdGraph at ${
            this.#endpoint
          } answered with something other than JSON`,
        );
      }
      const cause = messageOf((error as { cause?: unknown })?.cause);
      if (cause !== undefined) {
        throw new Error(
          `NerdGraph at ${this.#endpoint} cannot be reached: ${cause}`,
        );
      }
      throw error;
    }
    if (Array.isArray(body?.errors) && body.errors.length > 0) {
      const messages = body.errors
        .map(e => (typeof e?.message === 'string' ? e.message : '?'))
        .slice(0, 3)
        .join('; ');
      throw new Error(`NerdGraph answered with errors: ${messages}`);
    }
    const account = body?.data?.actor?.account;
    if (!account || typeof account !== 'object') {
      throw new Error(
        `NerdGraph answered without data.actor.account for account ${
          this.#accountId
        }`,
      );
    }
    return account;
  }

  #map(
    request: ProcessMetricsRequest,
    account: Record<string, { results?: Row[] } | null | undefined>,
  ): ProcessMetrics[] {
    const rows = (name: string): Row[] => {
      const results = account[name]?.results;
      return Array.isArray(results)
        ? results.filter(r => r && typeof r === 'object')
        : [];
    };
    const byProcess = new Map<string, Row>();
    for (const row of rows('processes')) {
      const [host, proc] = facets(row, [NODE, PROCESS]);
      if (host !== undefined && proc !== undefined) {
        byProcess.set(processKey(host, proc), row);
      }
    }
    const clients = new Map<string, Row[]>();
    for (const row of rows('clients')) {
      const [host, proc] = facets(row, [NODE, PROCESS]);
      if (host === undefined || proc === undefined) continue;
      const key = processKey(host, proc);
      clients.set(key, [...(clients.get(key) ?? []), row]);
    }
    const gc = new Map<string, number[]>();
    for (const row of rows('gc')) {
      const [host, proc] = facets(row, [NODE, PROCESS]);
      const ms = num(row.collectionTimeMs);
      if (host === undefined || proc === undefined || ms === undefined) {
        continue;
      }
      const key = processKey(host, proc);
      gc.set(key, [...(gc.get(key) ?? []), ms]);
    }

    const now = this.#now();
    return request.processes.map(p =>
      this.#one(request, p, now, {
        row: byProcess.get(processKey(p.host, processName(p.index))),
        clients: clients.get(processKey(p.host, processName(p.index))) ?? [],
        gcMs: gc.get(processKey(p.host, processName(p.index))) ?? [],
      }),
    );
  }

  #one(
    request: ProcessMetricsRequest,
    p: MetricProcess,
    now: Date,
    found: { row?: Row; clients: Row[]; gcMs: number[] },
  ): ProcessMetrics {
    const base = { host: p.host, index: p.index, source: this.name };
    const labels = `${PROCESS} ${JSON.stringify(
      processName(p.index),
    )} on ${NODE} ${JSON.stringify(
      p.host,
    )} of label.deployment ${JSON.stringify(request.deploymentName)}`;
    const lastSeen = num(found.row?.lastSeen);
    if (!found.row || lastSeen === undefined) {
      return {
        ...base,
        up: false,
        error: `New Relic has no ${EVENT_TYPE} event of ${labels} in the last ${
          this.#sinceMinutes
        } minutes (is the infrastructure agent running nri-jmx on the node?)`,
        observedAt: now.toISOString(),
      };
    }
    const clientFigure = (name: string) =>
      found.clients.map(row => num(row[name]));
    const latencies = clientFigure('requestLatencyAvgMs').filter(
      (v): v is number => v !== undefined,
    );
    const lags = clientFigure('recordsLagMax').filter(
      (v): v is number => v !== undefined,
    );
    const heapMax = num(found.row.heapMaxBytes);
    const figures = {
      droppedMessages: num(found.row.droppedMessages),
      recordsConsumedRate: sum(clientFigure('recordsConsumedRate')),
      recordsSentRate: sum(clientFigure('recordsSentRate')),
      recordErrorRate: sum(clientFigure('recordErrorRate')),
      requestLatencyAvgMs: latencies.length
        ? latencies.reduce((a, b) => a + b, 0) / latencies.length
        : undefined,
      recordsLagMax: lags.length ? Math.max(...lags) : undefined,
      assignedPartitions: sum(clientFigure('assignedPartitions')),
      heapUsedBytes: num(found.row.heapUsedBytes),
      // The JVM reports -1 for a maximum it does not know.
      heapMaxBytes: heapMax !== undefined && heapMax >= 0 ? heapMax : undefined,
      gcSecondsTotal:
        found.gcMs.length > 0 ? sum(found.gcMs)! / 1000 : undefined,
    };
    const defined = Object.fromEntries(
      Object.entries(figures).filter(([, v]) => v !== undefined),
    );
    const ageMs = now.getTime() - lastSeen;
    const observedAt = new Date(lastSeen).toISOString();
    if (ageMs > this.#staleAfterMs) {
      return {
        ...base,
        up: false,
        error: `New Relic's newest ${EVENT_TYPE} event of ${labels} is ${Math.round(
          ageMs / 1000,
        )} s old (at ${observedAt}); the process or its infrastructure agent stopped reporting`,
        ...defined,
        observedAt,
      };
    }
    return { ...base, up: true, ...defined, observedAt };
  }
}
