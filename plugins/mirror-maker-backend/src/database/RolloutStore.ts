import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  clampLimit,
  isUniqueViolation,
  timeOrderedUuid,
  toIsoString,
} from './rows';

export type RolloutStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'stopped';

export type RolloutKind = 'deploy' | 'rollback';

/** One file as written to the hosts, secrets already redacted. */
export interface RevisionFile {
  path: string;
  mode: string;
  content: string;
}

export interface RevisionSummary {
  id: string;
  deploymentRef: string;
  /** 1, 2, 3... per deployment. */
  number: number;
  contentHash: string;
  createdBy: string;
  /** ISO 8601. */
  createdAt: string;
  reason: string;
}

export interface Revision extends RevisionSummary {
  /** The MirrorMaker entity as it was when the revision was made. */
  entity: JsonObject;
  files: RevisionFile[];
  /** Topics of approved replication requests it was rendered with. */
  approvedTopics: string[];
}

export interface Rollout {
  id: string;
  deploymentRef: string;
  revisionId: string;
  revisionNumber: number;
  previousRevisionId?: string;
  kind: RolloutKind;
  status: RolloutStatus;
  reason: string;
  actor: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  startedAt?: string;
  /** ISO 8601. */
  finishedAt?: string;
  /** Why it failed or was stopped. */
  message?: string;
  totalSteps: number;
  doneSteps: number;
  autoRollback: boolean;
}

export interface RolloutEventInput {
  rolloutId: string;
  step: number;
  total: number;
  host?: string;
  processIndex?: number;
  kind: string;
  message: string;
  /** Rounded to whole milliseconds. */
  durationMs?: number;
}

export interface RolloutEvent extends RolloutEventInput {
  id: number;
  /** ISO 8601. */
  at: string;
}

export interface DeploymentLock {
  deploymentRef: string;
  rolloutId: string;
  /** Backend instance that holds the lock. */
  owner: string;
  /** Milliseconds since the epoch, by the acquiring backend's clock. */
  acquiredAt: number;
  /** Milliseconds since the epoch, by the acquiring backend's clock. */
  expiresAt: number;
}

const ROLLOUT_STATUSES: readonly string[] = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'stopped',
];
const ROLLOUT_KINDS: readonly string[] = ['deploy', 'rollback'];

const DEFAULT_ROLLOUT_LIMIT = 50;
const MAX_ROLLOUT_LIMIT = 500;

// Concurrent writers of a deployment's next revision number all read the same
// maximum; each round lets at least one of them in, so this covers as many
// simultaneous writers, far more than one deployment ever sees.
const MAX_REVISION_ATTEMPTS = 10;

// A lock released between our failed insert and our update would otherwise
// be reported as held.
const MAX_LOCK_ATTEMPTS = 3;

// Column widths of the migration, checked here because PostgreSQL rejects
// longer values while SQLite silently keeps them, and both should behave alike.
const MAX_STRING_LENGTH = 255;
const MAX_ID_LENGTH = 36;
const MAX_CONTENT_HASH_LENGTH = 64;
const MAX_EVENT_KIND_LENGTH = 32;
const MAX_INTEGER = 2_147_483_647;

interface RevisionRow {
  id: string;
  deployment_ref: string;
  number: number | string;
  content_hash: string;
  entity?: string;
  files?: string;
  created_by: string | null;
  created_at: Date | string | number;
  reason: string;
}

interface RolloutRow {
  id: string;
  deployment_ref: string;
  revision_id: string;
  revision_number: number | string;
  previous_revision_id: string | null;
  kind: string;
  status: string;
  reason: string | null;
  actor: string | null;
  created_at: Date | string | number;
  started_at: Date | string | number | null;
  finished_at: Date | string | number | null;
  message: string | null;
  total_steps: number | string;
  done_steps: number | string;
  auto_rollback: boolean | number | string;
}

interface RolloutEventRow {
  id: number | string;
  rollout_id: string;
  at: Date | string | number;
  step: number | string;
  total: number | string;
  host: string | null;
  process_index: number | string | null;
  kind: string;
  message: string;
  duration_ms: number | string | null;
}

interface DeploymentLockRow {
  deployment_ref: string;
  rollout_id: string;
  owner: string;
  acquired_at: number | string;
  expires_at: number | string;
}

const REVISION_SUMMARY_COLUMNS = [
  'revisions.id',
  'revisions.deployment_ref',
  'revisions.number',
  'revisions.content_hash',
  'revisions.created_by',
  'revisions.created_at',
  'revisions.reason',
];

// Rollouts made within one tick of the database clock (a whole second on
// SQLite) tie on created_at; their ids, ordered by creation time, break the
// tie. UUIDs are lowercase hex with dashes in fixed places, so every
// collation orders them as bytes.
const NEWEST_FIRST: { column: string; order: 'asc' | 'desc' }[] = [
  { column: 'rollouts.created_at', order: 'desc' },
  { column: 'rollouts.id', order: 'desc' },
];

/**
 * Revisions, rollouts, their events and the per-deployment locks that keep
 * rollouts of one deployment from overlapping, in the plugin's database.
 */
export class RolloutStore {
  /** Uses an already migrated database; MirrorMakerStore.create migrates it. */
  static fromKnex(knex: Knex): RolloutStore {
    return new RolloutStore(knex);
  }

  private constructor(private readonly db: Knex) {}

  /** Numbers the revision one above the deployment's newest. */
  async createRevision(args: {
    deploymentRef: string;
    contentHash: string;
    entity: JsonObject;
    files: RevisionFile[];
    actor: string;
    reason: string;
    approvedTopics?: string[];
  }): Promise<Revision> {
    const { deploymentRef, contentHash, actor, reason } = args;
    const approvedTopics = [...new Set(args.approvedTopics ?? [])].sort();
    for (const topic of approvedTopics) assertFits('approvedTopics', topic);
    assertFits('deploymentRef', deploymentRef);
    assertFits('contentHash', contentHash, MAX_CONTENT_HASH_LENGTH);
    assertFits('actor', actor);
    assertString('reason', reason);
    const entity = JSON.stringify(checkEntity(args.entity));
    const files = JSON.stringify(checkFiles(args.files));

    for (let attempt = 1; ; attempt++) {
      const newest = await this.db('revisions')
        .where({ deployment_ref: deploymentRef })
        .max({ number: 'number' })
        .first();
      const number = Number(newest?.number ?? 0) + 1;
      try {
        // The unique (deployment_ref, number) constraint, not the read above,
        // decides who gets the number.
        const id = randomUUID();
        const rows: RevisionRow[] = await this.db.transaction(async tx => {
          const inserted = await tx('revisions')
            .insert({
              id,
              deployment_ref: deploymentRef,
              number,
              content_hash: contentHash,
              entity,
              files,
              created_by: actor,
              reason,
            })
            .returning('*');
          if (approvedTopics.length > 0) {
            await tx('revision_approved_topics').insert({
              revision_id: id,
              topics: JSON.stringify(approvedTopics),
            });
          }
          return inserted;
        });
        return toRevision(rows[0], approvedTopics);
      } catch (error) {
        if (!isUniqueViolation(error)) {
          throw error;
        }
        if (attempt >= MAX_REVISION_ATTEMPTS) {
          throw new ConflictError(
            `Could not number a new revision of ${JSON.stringify(
              deploymentRef,
            )}: too many concurrent revisions; try again`,
          );
        }
      }
      // Spread the retries so that the same writers do not collide again.
      await sleep(Math.random() * 10 * attempt);
    }
  }

  async getRevision(id: string): Promise<Revision | undefined> {
    const row: RevisionRow | undefined = await this.db('revisions')
      .where({ id })
      .first();
    return row
      ? toRevision(row, await this.approvedTopicsOf(row.id))
      : undefined;
  }

  async latestRevision(deploymentRef: string): Promise<Revision | undefined> {
    const row: RevisionRow | undefined = await this.db('revisions')
      .where({ deployment_ref: deploymentRef })
      .orderBy('number', 'desc')
      .first();
    return row
      ? toRevision(row, await this.approvedTopicsOf(row.id))
      : undefined;
  }

  private async approvedTopicsOf(revisionId: string): Promise<string[]> {
    const row: { topics: string } | undefined = await this.db(
      'revision_approved_topics',
    )
      .where({ revision_id: revisionId })
      .first('topics');
    return row ? JSON.parse(row.topics) : [];
  }

  /** Newest first; without entities and files, which can be large. */
  async listRevisions(deploymentRef: string): Promise<RevisionSummary[]> {
    const rows: RevisionRow[] = await this.db('revisions')
      .select(REVISION_SUMMARY_COLUMNS)
      .where({ deployment_ref: deploymentRef })
      .orderBy('number', 'desc');
    return rows.map(toRevisionSummary);
  }

  /**
   * Starts out pending. Both revisions must exist and belong to the deployment:
   * checked here, since SQLite may not enforce the foreign keys.
   */
  async createRollout(args: {
    deploymentRef: string;
    revisionId: string;
    previousRevisionId?: string;
    kind: RolloutKind;
    reason: string;
    actor: string;
    autoRollback: boolean;
  }): Promise<Rollout> {
    const { deploymentRef, revisionId, previousRevisionId, kind } = args;
    assertFits('deploymentRef', deploymentRef);
    assertFits('actor', args.actor);
    assertString('reason', args.reason);
    assertOneOf('kind', kind, ROLLOUT_KINDS);
    if (typeof args.autoRollback !== 'boolean') {
      throw new InputError('autoRollback must be true or false');
    }
    const revision = await this.revisionOf(deploymentRef, revisionId);
    if (previousRevisionId !== undefined) {
      await this.revisionOf(deploymentRef, previousRevisionId);
    }

    const rows: RolloutRow[] = await this.db('rollouts')
      .insert({
        id: timeOrderedUuid(),
        deployment_ref: deploymentRef,
        revision_id: revisionId,
        previous_revision_id: previousRevisionId ?? null,
        kind,
        status: 'pending',
        reason: args.reason,
        actor: args.actor,
        auto_rollback: args.autoRollback,
      })
      .returning('*');
    return toRollout({ ...rows[0], revision_number: revision.number });
  }

  async getRollout(id: string): Promise<Rollout | undefined> {
    const row: RolloutRow | undefined = await this.rollouts()
      .where('rollouts.id', id)
      .first();
    return row ? toRollout(row) : undefined;
  }

  /** Newest first; limit defaults to 50 and is clamped to 1..500. */
  async listRollouts(
    deploymentRef: string,
    options?: { limit?: number },
  ): Promise<Rollout[]> {
    const rows: RolloutRow[] = await this.rollouts()
      .where('rollouts.deployment_ref', deploymentRef)
      .orderBy(NEWEST_FIRST)
      .limit(
        clampLimit(options?.limit, DEFAULT_ROLLOUT_LIMIT, MAX_ROLLOUT_LIMIT),
      );
    return rows.map(toRollout);
  }

  /** Throws NotFoundError if there is no such rollout. */
  async updateRollout(
    id: string,
    patch: Partial<
      Pick<
        Rollout,
        | 'status'
        | 'startedAt'
        | 'finishedAt'
        | 'message'
        | 'totalSteps'
        | 'doneSteps'
      >
    >,
  ): Promise<Rollout> {
    const changes: Record<string, unknown> = {};
    if (patch.status !== undefined) {
      assertOneOf('status', patch.status, ROLLOUT_STATUSES);
      changes.status = patch.status;
    }
    if (patch.startedAt !== undefined) {
      changes.started_at = parseIsoString('startedAt', patch.startedAt);
    }
    if (patch.finishedAt !== undefined) {
      changes.finished_at = parseIsoString('finishedAt', patch.finishedAt);
    }
    if (patch.message !== undefined) {
      assertString('message', patch.message);
      changes.message = patch.message;
    }
    if (patch.totalSteps !== undefined) {
      changes.total_steps = checkCount('totalSteps', patch.totalSteps);
    }
    if (patch.doneSteps !== undefined) {
      changes.done_steps = checkCount('doneSteps', patch.doneSteps);
    }

    if (Object.keys(changes).length > 0) {
      const count = await this.db('rollouts').where({ id }).update(changes);
      if (count === 0) {
        throw rolloutNotFound(id);
      }
    }
    const rollout = await this.getRollout(id);
    if (!rollout) {
      throw rolloutNotFound(id);
    }
    return rollout;
  }

  /** Oldest first, the order in which they were asked for. */
  async listRolloutsByStatus(statuses: RolloutStatus[]): Promise<Rollout[]> {
    for (const status of statuses) {
      assertOneOf('status', status, ROLLOUT_STATUSES);
    }
    if (statuses.length === 0) {
      return [];
    }
    const rows: RolloutRow[] = await this.rollouts()
      .whereIn('rollouts.status', statuses)
      .orderBy([
        { column: 'rollouts.created_at', order: 'asc' },
        { column: 'rollouts.id', order: 'asc' },
      ]);
    return rows.map(toRollout);
  }

  /** The revision of the deployment's newest succeeded rollout. */
  async lastSucceededRevision(
    deploymentRef: string,
  ): Promise<RevisionSummary | undefined> {
    const row: RevisionRow | undefined = await this.db('rollouts')
      .join('revisions', 'revisions.id', 'rollouts.revision_id')
      .select(REVISION_SUMMARY_COLUMNS)
      .where('rollouts.deployment_ref', deploymentRef)
      .where('rollouts.status', 'succeeded')
      .orderBy(NEWEST_FIRST)
      .first();
    return row ? toRevisionSummary(row) : undefined;
  }

  /** Throws NotFoundError if there is no such rollout. */
  async appendEvent(event: RolloutEventInput): Promise<RolloutEvent> {
    const step = checkInteger('step', event.step);
    const total = checkInteger('total', event.total);
    const processIndex =
      event.processIndex === undefined
        ? null
        : checkInteger('processIndex', event.processIndex);
    const durationMs =
      event.durationMs === undefined
        ? null
        : checkCount('durationMs', Math.round(event.durationMs));
    if (event.host !== undefined) {
      assertFits('host', event.host);
    }
    assertFits('kind', event.kind, MAX_EVENT_KIND_LENGTH);
    assertString('message', event.message);

    // Checked rather than left to the foreign key, which SQLite may not enforce.
    const rollout = await this.db('rollouts')
      .where({ id: event.rolloutId })
      .first('id');
    if (!rollout) {
      throw rolloutNotFound(event.rolloutId);
    }
    const rows: RolloutEventRow[] = await this.db('rollout_events')
      .insert({
        rollout_id: event.rolloutId,
        step,
        total,
        host: event.host ?? null,
        process_index: processIndex,
        kind: event.kind,
        message: event.message,
        duration_ms: durationMs,
      })
      .returning('*');
    return toRolloutEvent(rows[0]);
  }

  /** Oldest first. */
  async listEvents(rolloutId: string): Promise<RolloutEvent[]> {
    const rows: RolloutEventRow[] = await this.db('rollout_events')
      .where({ rollout_id: rolloutId })
      .orderBy('id', 'asc');
    return rows.map(toRolloutEvent);
  }

  /**
   * Takes the deployment's lock for the rollout: true if it was free or
   * expired (now >= expiresAt), or already held by this rollout and owner (it
   * is then extended); false if someone else holds a live one.
   *
   * Race-safe across backend instances: the primary key lets only one insert
   * in, and taking over an expired lock is one conditional update, which the
   * database applies to the row as it is when the update runs.
   */
  async acquireLock(
    deploymentRef: string,
    args: { rolloutId: string; owner: string; ttlMs: number; now?: number },
  ): Promise<boolean> {
    const { rolloutId, owner } = args;
    assertFits('deploymentRef', deploymentRef);
    assertFits('rolloutId', rolloutId, MAX_ID_LENGTH);
    assertFits('owner', owner);
    const now = checkMillis('now', args.now ?? Date.now());
    const expiresAt = checkMillis('expiresAt', now + checkTtl(args.ttlMs));
    const lock = {
      deployment_ref: deploymentRef,
      rollout_id: rolloutId,
      owner,
      acquired_at: now,
      expires_at: expiresAt,
    };

    for (let attempt = 1; attempt <= MAX_LOCK_ATTEMPTS; attempt++) {
      try {
        await this.db('deployment_locks').insert(lock);
        return true;
      } catch (error) {
        if (!isUniqueViolation(error)) {
          throw error;
        }
      }
      const taken = await this.db('deployment_locks')
        .where({ deployment_ref: deploymentRef })
        .where(holder =>
          holder
            .where('expires_at', '<=', now)
            .orWhere({ rollout_id: rolloutId, owner }),
        )
        .update(lock);
      if (taken > 0) {
        return true;
      }
      const held = await this.db('deployment_locks')
        .where({ deployment_ref: deploymentRef })
        .first('deployment_ref');
      if (held) {
        return false;
      }
    }
    return false;
  }

  /**
   * Extends the lock if this rollout still holds it, even past its expiry as
   * long as nobody took it over; false otherwise.
   */
  async renewLock(
    deploymentRef: string,
    rolloutId: string,
    ttlMs: number,
    now?: number,
  ): Promise<boolean> {
    const from = checkMillis('now', now ?? Date.now());
    const expiresAt = checkMillis('expiresAt', from + checkTtl(ttlMs));
    const count = await this.db('deployment_locks')
      .where({ deployment_ref: deploymentRef, rollout_id: rolloutId })
      .update({ expires_at: expiresAt });
    return count > 0;
  }

  /** Does nothing unless this rollout holds the lock. */
  async releaseLock(deploymentRef: string, rolloutId: string): Promise<void> {
    await this.db('deployment_locks')
      .where({ deployment_ref: deploymentRef, rollout_id: rolloutId })
      .delete();
  }

  /** The lock row as it is, expired or not. */
  async getLock(deploymentRef: string): Promise<DeploymentLock | undefined> {
    const row: DeploymentLockRow | undefined = await this.db('deployment_locks')
      .where({ deployment_ref: deploymentRef })
      .first();
    return row ? toDeploymentLock(row) : undefined;
  }

  private rollouts(): Knex.QueryBuilder {
    return this.db('rollouts')
      .join('revisions', 'revisions.id', 'rollouts.revision_id')
      .select('rollouts.*', 'revisions.number as revision_number');
  }

  private async revisionOf(
    deploymentRef: string,
    revisionId: string,
  ): Promise<{ number: number }> {
    const row: Pick<RevisionRow, 'deployment_ref' | 'number'> | undefined =
      await this.db('revisions')
        .where({ id: revisionId })
        .first('deployment_ref', 'number');
    if (!row) {
      throw new NotFoundError(
        `Revision ${JSON.stringify(revisionId)} does not exist`,
      );
    }
    if (row.deployment_ref !== deploymentRef) {
      throw new InputError(
        `Revision ${JSON.stringify(revisionId)} belongs to ${JSON.stringify(
          row.deployment_ref,
        )}, not to ${JSON.stringify(deploymentRef)}`,
      );
    }
    return { number: Number(row.number) };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function rolloutNotFound(id: string): NotFoundError {
  return new NotFoundError(`Rollout ${JSON.stringify(id)} does not exist`);
}

function assertString(field: string, value: unknown): void {
  if (typeof value !== 'string') {
    throw new InputError(`${field} must be a string`);
  }
}

function assertFits(
  field: string,
  value: unknown,
  maxLength: number = MAX_STRING_LENGTH,
): void {
  assertString(field, value);
  // PostgreSQL's varchar counts code points, not UTF-16 units.
  const length = Array.from(value as string).length;
  if (length > maxLength) {
    throw new InputError(
      `${field} is ${length} characters long; at most ${maxLength} are accepted`,
    );
  }
}

function assertOneOf(
  field: string,
  value: unknown,
  allowed: readonly string[],
): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new InputError(
      `${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(
        value,
      )}`,
    );
  }
}

function checkInteger(field: string, value: number): number {
  if (
    !Number.isInteger(value) ||
    value < -MAX_INTEGER - 1 ||
    value > MAX_INTEGER
  ) {
    throw new InputError(`${field} must be a 32-bit integer; got ${value}`);
  }
  return value;
}

function checkCount(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INTEGER) {
    throw new InputError(
      `${field} must be a whole number from 0 to ${MAX_INTEGER}; got ${value}`,
    );
  }
  return value;
}

function checkMillis(field: string, value: number): number {
  // Rounded because bigint columns refuse fractions on PostgreSQL.
  const millis = Math.round(value);
  if (!Number.isSafeInteger(millis)) {
    throw new InputError(
      `${field} must be milliseconds since the epoch; got ${value}`,
    );
  }
  return millis;
}

function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new InputError(`ttlMs must be a positive duration; got ${ttlMs}`);
  }
  return ttlMs;
}

function checkEntity(entity: JsonObject): JsonObject {
  if (typeof entity !== 'object' || entity === null || Array.isArray(entity)) {
    throw new InputError('entity must be a JSON object');
  }
  return entity;
}

function checkFiles(files: RevisionFile[]): RevisionFile[] {
  if (!Array.isArray(files)) {
    throw new InputError('files must be an array');
  }
  // Only the three known fields are kept, so that nothing else a caller
  // happens to carry along (such as unredacted values) ends up stored.
  return files.map((file, index) => {
    if (
      typeof file !== 'object' ||
      file === null ||
      typeof file.path !== 'string' ||
      typeof file.mode !== 'string' ||
      typeof file.content !== 'string'
    ) {
      throw new InputError(
        `files[${index}] must have string path, mode and content`,
      );
    }
    return { path: file.path, mode: file.mode, content: file.content };
  });
}

function parseIsoString(field: string, value: string): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new InputError(
      `${field} must be an ISO 8601 time; got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

// SQLite hands booleans back as 0 and 1.
function toBoolean(value: boolean | number | string): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

function toRevisionSummary(row: RevisionRow): RevisionSummary {
  return {
    id: row.id,
    deploymentRef: row.deployment_ref,
    number: Number(row.number),
    contentHash: row.content_hash,
    createdBy: row.created_by ?? '',
    createdAt: toIsoString(row.created_at),
    reason: row.reason,
  };
}

function toRevision(row: RevisionRow, approvedTopics: string[]): Revision {
  return {
    ...toRevisionSummary(row),
    entity: JSON.parse(row.entity ?? '{}'),
    files: JSON.parse(row.files ?? '[]'),
    approvedTopics,
  };
}

function toRollout(row: RolloutRow): Rollout {
  const rollout: Rollout = {
    id: row.id,
    deploymentRef: row.deployment_ref,
    revisionId: row.revision_id,
    revisionNumber: Number(row.revision_number),
    kind: row.kind as RolloutKind,
    status: row.status as RolloutStatus,
    reason: row.reason ?? '',
    actor: row.actor ?? '',
    createdAt: toIsoString(row.created_at),
    totalSteps: Number(row.total_steps),
    doneSteps: Number(row.done_steps),
    autoRollback: toBoolean(row.auto_rollback),
  };
  if (row.previous_revision_id !== null) {
    rollout.previousRevisionId = row.previous_revision_id;
  }
  if (row.started_at !== null) {
    rollout.startedAt = toIsoString(row.started_at);
  }
  if (row.finished_at !== null) {
    rollout.finishedAt = toIsoString(row.finished_at);
  }
  if (row.message !== null) {
    rollout.message = row.message;
  }
  return rollout;
}

function toRolloutEvent(row: RolloutEventRow): RolloutEvent {
  const event: RolloutEvent = {
    id: Number(row.id),
    rolloutId: row.rollout_id,
    at: toIsoString(row.at),
    step: Number(row.step),
    total: Number(row.total),
    kind: row.kind,
    message: row.message,
  };
  if (row.host !== null) {
    event.host = row.host;
  }
  if (row.process_index !== null) {
    event.processIndex = Number(row.process_index);
  }
  if (row.duration_ms !== null) {
    event.durationMs = Number(row.duration_ms);
  }
  return event;
}

function toDeploymentLock(row: DeploymentLockRow): DeploymentLock {
  return {
    deploymentRef: row.deployment_ref,
    rolloutId: row.rollout_id,
    owner: row.owner,
    acquiredAt: Number(row.acquired_at),
    expiresAt: Number(row.expires_at),
  };
}
