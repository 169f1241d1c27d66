import { InputError } from '@backstage/errors';
import { Knex } from 'knex';

/** One sample of a deployment's flow: offset sums on both sides and the lag. */
export interface FlowSample {
  deploymentRef: string;
  /** Milliseconds since the epoch. */
  sampledAt: number;
  /** Sum of log-end offsets of the flow's topics on the source; null when unread. */
  sourceEndOffsets: number | null;
  /** Same for the same-named topics on the target; null when unread. */
  targetEndOffsets: number | null;
  /** Total lag of the MirrorMaker group; null when unknown. */
  lag: number | null;
}

/** One heartbeat record that came through a deployment. */
export interface HeartbeatRecord {
  deploymentRef: string;
  /** Milliseconds since the epoch, by the producing backend's clock. */
  sentAt: number;
  /** Milliseconds since the epoch, by the consuming backend's clock. */
  receivedAt: number;
  latencyMs: number;
}

interface FlowSampleRow {
  deployment_ref: string;
  sampled_at: number | string;
  source_end_offsets: number | string | null;
  target_end_offsets: number | string | null;
  lag: number | string | null;
}

interface HeartbeatRow {
  deployment_ref: string;
  sent_at: number | string;
  received_at: number | string;
  latency_ms: number | string;
}

// Column widths of the migration, checked here because PostgreSQL rejects
// longer values while SQLite silently keeps them, and both should behave alike.
const MAX_REF_LENGTH = 255;
const MAX_INTEGER = 2_147_483_647;

// Rows per INSERT, well below SQLite's and PostgreSQL's bound-parameter limits.
const INSERT_CHUNK = 200;

/**
 * Time series of throughput samples and heartbeats, one row per deployment
 * and moment. Times are milliseconds from the backend's clock, stored as
 * bigints, so rates and ages need no time zone handling.
 */
export class MetricsStore {
  static fromKnex(knex: Knex): MetricsStore {
    return new MetricsStore(knex);
  }

  private constructor(private readonly db: Knex) {}

  async addFlowSamples(samples: FlowSample[]): Promise<void> {
    const rows = samples.map((s, i) => {
      const field = (name: string) => `samples[${i}].${name}`;
      return {
        deployment_ref: checkRef(field('deploymentRef'), s.deploymentRef),
        sampled_at: checkMillis(field('sampledAt'), s.sampledAt),
        source_end_offsets: checkOptionalCount(
          field('sourceEndOffsets'),
          s.sourceEndOffsets,
        ),
        target_end_offsets: checkOptionalCount(
          field('targetEndOffsets'),
          s.targetEndOffsets,
        ),
        lag: checkOptionalCount(field('lag'), s.lag),
      };
    });
    await this.insertChunked('flow_samples', rows);
  }

  /** Samples taken at or after `sinceMs`, oldest first. */
  async flowSamples(
    deploymentRef: string,
    sinceMs: number,
  ): Promise<FlowSample[]> {
    const rows: FlowSampleRow[] = await this.db('flow_samples')
      .where('deployment_ref', checkRef('deploymentRef', deploymentRef))
      .andWhere('sampled_at', '>=', checkMillis('sinceMs', sinceMs))
      .orderBy([
        { column: 'sampled_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .select(
        'deployment_ref',
        'sampled_at',
        'source_end_offsets',
        'target_end_offsets',
        'lag',
      );
    return rows.map(row => ({
      deploymentRef: row.deployment_ref,
      sampledAt: Number(row.sampled_at),
      sourceEndOffsets: optionalNumber(row.source_end_offsets),
      targetEndOffsets: optionalNumber(row.target_end_offsets),
      lag: optionalNumber(row.lag),
    }));
  }

  async addHeartbeats(records: HeartbeatRecord[]): Promise<void> {
    const rows = records.map((r, i) => {
      const field = (name: string) => `records[${i}].${name}`;
      return {
        deployment_ref: checkRef(field('deploymentRef'), r.deploymentRef),
        sent_at: checkMillis(field('sentAt'), r.sentAt),
        received_at: checkMillis(field('receivedAt'), r.receivedAt),
        latency_ms: checkLatency(field('latencyMs'), r.latencyMs),
      };
    });
    await this.insertChunked('heartbeats', rows);
  }

  /** Heartbeats received at or after `sinceMs`, oldest first. */
  async heartbeats(
    deploymentRef: string,
    sinceMs: number,
  ): Promise<HeartbeatRecord[]> {
    const rows: HeartbeatRow[] = await this.db('heartbeats')
      .where('deployment_ref', checkRef('deploymentRef', deploymentRef))
      .andWhere('received_at', '>=', checkMillis('sinceMs', sinceMs))
      .orderBy([
        { column: 'received_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .select('deployment_ref', 'sent_at', 'received_at', 'latency_ms');
    return rows.map(heartbeatOf);
  }

  /** The most recently received heartbeat of a deployment, however old. */
  async latestHeartbeat(
    deploymentRef: string,
  ): Promise<HeartbeatRecord | undefined> {
    const row: HeartbeatRow | undefined = await this.db('heartbeats')
      .where('deployment_ref', checkRef('deploymentRef', deploymentRef))
      .orderBy([
        { column: 'received_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first('deployment_ref', 'sent_at', 'received_at', 'latency_ms');
    return row ? heartbeatOf(row) : undefined;
  }

  /** Deletes samples and heartbeats older than `beforeMs`; says how many. */
  async prune(
    beforeMs: number,
  ): Promise<{ flowSamples: number; heartbeats: number }> {
    const before = checkMillis('beforeMs', beforeMs);
    const flowSamples = await this.db('flow_samples')
      .where('sampled_at', '<', before)
      .delete();
    const heartbeats = await this.db('heartbeats')
      .where('received_at', '<', before)
      .delete();
    return { flowSamples, heartbeats };
  }

  private async insertChunked(table: string, rows: object[]): Promise<void> {
    if (rows.length === 0) return;
    if (rows.length <= INSERT_CHUNK) {
      await this.db(table).insert(rows);
      return;
    }
    // All or nothing, so a retry does not store the first chunks twice.
    await this.db.transaction(async tx => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx(table).insert(rows.slice(i, i + INSERT_CHUNK));
      }
    });
  }
}

function heartbeatOf(row: HeartbeatRow): HeartbeatRecord {
  return {
    deploymentRef: row.deployment_ref,
    sentAt: Number(row.sent_at),
    receivedAt: Number(row.received_at),
    latencyMs: Number(row.latency_ms),
  };
}

// PostgreSQL hands bigints back as strings.
function optionalNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function checkRef(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InputError(`${field} must be a non-empty entity ref string`);
  }
  // PostgreSQL's varchar counts code points, not UTF-16 units.
  const length = Array.from(value).length;
  if (length > MAX_REF_LENGTH) {
    throw new InputError(
      `${field} is ${length} characters long; at most ${MAX_REF_LENGTH} are accepted`,
    );
  }
  return value;
}

function checkMillis(field: string, value: unknown): number {
  // Rounded because bigint columns refuse fractions on PostgreSQL.
  const millis = typeof value === 'number' ? Math.round(value) : NaN;
  if (!Number.isSafeInteger(millis)) {
    throw new InputError(
      `${field} must be milliseconds since the epoch; got ${String(value)}`,
    );
  }
  return millis;
}

function checkOptionalCount(field: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InputError(
      `${field} must be a whole number from 0 to ${
        Number.MAX_SAFE_INTEGER
      }, or null when unknown; got ${String(value)}`,
    );
  }
  return value;
}

function checkLatency(field: string, value: unknown): number {
  const ms = typeof value === 'number' ? Math.round(value) : NaN;
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_INTEGER) {
    throw new InputError(
      `${field} must be a whole number of milliseconds from 0 to ${MAX_INTEGER}; got ${String(
        value,
      )}`,
    );
  }
  return ms;
}
