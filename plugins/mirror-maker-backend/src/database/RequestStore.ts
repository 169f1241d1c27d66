import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  REPLICATION_REQUEST_STATUSES,
  ReplicationRequest,
  ReplicationRequestEvent,
  ReplicationRequestStatus,
  RequestProblem,
} from '@mirrormaker/plugin-mirror-maker-common';
import { Knex } from 'knex';
import { clampLimit, timeOrderedUuid, toIsoString } from './rows';

/** Everything of a new request but what the store fills in. */
export interface NewReplicationRequest {
  requester: string;
  team: string;
  service?: string;
  topics: string[];
  suffix?: string;
  sourceDataCentre: string;
  targetDataCentre: string;
  sourceCluster: string;
  targetCluster: string;
  deploymentRef?: string;
  newDeployment: boolean;
  reason: string;
  desiredDate?: string;
  warnings: RequestProblem[];
}

/** What a status change may set besides the status. */
export interface RequestChanges {
  decision?: { by: string; at: string; reason?: string };
  deploymentRef?: string;
  /** null clears it. */
  scheduledFor?: string | null;
  /** null clears it. */
  rolloutId?: string | null;
  revision?: number;
  failure?: string;
}

export interface RequestEventInput {
  type: string;
  actor: string;
  message: string;
}

export interface RequestFilter {
  statuses?: ReplicationRequestStatus[];
  /** A normalized entity ref matched against deploymentRef, service, team and requester. */
  entity?: string;
  deploymentRef?: string;
  limit?: number;
}

interface RequestRow {
  id: string;
  status: string;
  requester: string;
  team: string;
  service: string | null;
  topics: string;
  suffix: string | null;
  source_data_centre: string;
  target_data_centre: string;
  source_cluster: string;
  target_cluster: string;
  deployment_ref: string | null;
  new_deployment: boolean | number | string;
  reason: string;
  desired_date: string | null;
  warnings: string;
  decided_by: string | null;
  decided_at: Date | string | number | null;
  decision_reason: string | null;
  scheduled_for: Date | string | number | null;
  rollout_id: string | null;
  revision: number | string | null;
  failure: string | null;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}

interface EventRow {
  id: number | string;
  request_id: string;
  at: Date | string | number;
  type: string;
  actor: string;
  message: string;
}

const REQUESTS = 'replication_requests';
const EVENTS = 'replication_request_events';
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;
// Column widths of the migration, checked here because PostgreSQL rejects
// longer values while SQLite silently keeps them, and both should behave alike.
const MAX_STRING_LENGTH = 255;
const MAX_SHORT_LENGTH = 64;
const MAX_TEXT_LENGTH = 10_000;
/** Statuses whose topics are part of their deployment's effective set. */
const EFFECTIVE: ReplicationRequestStatus[] = ['approved', 'applied'];

/**
 * Replication requests and their events. The only code that writes the
 * request tables; every value goes through knex bindings.
 */
export class RequestStore {
  /** Uses an already migrated database; MirrorMakerStore.create migrates it. */
  static fromKnex(
    knex: Knex,
    now: () => Date = () => new Date(),
  ): RequestStore {
    return new RequestStore(knex, now);
  }

  private constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  /** Stores a new pending request with its first events. */
  async create(
    request: NewReplicationRequest,
    events: RequestEventInput[],
  ): Promise<ReplicationRequest> {
    fits('requester', request.requester);
    fits('team', request.team);
    if (request.service !== undefined) fits('service', request.service);
    if (request.deploymentRef !== undefined) {
      fits('deploymentRef', request.deploymentRef);
    }
    if (request.suffix !== undefined) {
      fits('suffix', request.suffix, MAX_SHORT_LENGTH);
    }
    for (const field of [
      'sourceDataCentre',
      'targetDataCentre',
      'sourceCluster',
      'targetCluster',
    ] as const) {
      fits(field, request[field], MAX_SHORT_LENGTH);
    }
    request.topics.forEach((t, i) => fits(`topics[${i}]`, t));
    fits('reason', request.reason, MAX_TEXT_LENGTH);
    const id = timeOrderedUuid();
    const at = this.now();
    await this.db.transaction(async tx => {
      await tx(REQUESTS).insert({
        id,
        status: 'pending',
        requester: request.requester,
        team: request.team,
        service: request.service ?? null,
        topics: JSON.stringify(request.topics),
        suffix: request.suffix ?? null,
        source_data_centre: request.sourceDataCentre,
        target_data_centre: request.targetDataCentre,
        source_cluster: request.sourceCluster,
        target_cluster: request.targetCluster,
        deployment_ref: request.deploymentRef ?? null,
        new_deployment: request.newDeployment,
        reason: request.reason,
        desired_date: request.desiredDate ?? null,
        warnings: JSON.stringify(request.warnings),
        created_at: at,
        updated_at: at,
      });
      for (const event of events) {
        await tx(EVENTS).insert(eventRow(id, event, at));
      }
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<ReplicationRequest | undefined> {
    if (typeof id !== 'string' || id.length > 36) return undefined;
    const row: RequestRow | undefined = await this.db(REQUESTS)
      .where({ id })
      .first();
    if (!row) return undefined;
    const events: EventRow[] = await this.db(EVENTS)
      .where({ request_id: id })
      .orderBy('id', 'asc');
    return toRequest(row, events);
  }

  /** Newest first. */
  async list(filter: RequestFilter = {}): Promise<ReplicationRequest[]> {
    let query = this.db<RequestRow>(REQUESTS);
    if (filter.statuses && filter.statuses.length > 0) {
      filter.statuses.forEach(s => oneOf('status', s));
      query = query.whereIn('status', filter.statuses);
    }
    if (filter.entity !== undefined) {
      const ref = filter.entity;
      fits('entity', ref);
      query = query.where(q =>
        q
          .where('deployment_ref', ref)
          .orWhere('service', ref)
          .orWhere('team', ref)
          .orWhere('requester', ref),
      );
    }
    if (filter.deploymentRef !== undefined) {
      fits('deploymentRef', filter.deploymentRef);
      query = query.where('deployment_ref', filter.deploymentRef);
    }
    // Ids are time-ordered (UUID v7): the newest sorts last.
    const rows: RequestRow[] = await query
      .orderBy('id', 'desc')
      .limit(clampLimit(filter.limit, DEFAULT_LIMIT, MAX_LIMIT));
    if (rows.length === 0) return [];
    const events: EventRow[] = await this.db(EVENTS)
      .whereIn(
        'request_id',
        rows.map(r => r.id),
      )
      .orderBy('id', 'asc');
    const byRequest = new Map<string, EventRow[]>();
    for (const e of events) {
      byRequest.set(e.request_id, [...(byRequest.get(e.request_id) ?? []), e]);
    }
    return rows.map(r => toRequest(r, byRequest.get(r.id) ?? []));
  }

  /**
   * Topics of approved and applied requests, by deployment ref: what the
   * plugin adds to each deployment's own topic rule.
   */
  async approvedTopics(): Promise<Map<string, string[]>> {
    const rows: Pick<RequestRow, 'deployment_ref' | 'topics'>[] = await this.db(
      REQUESTS,
    )
      .whereIn('status', EFFECTIVE)
      .whereNotNull('deployment_ref')
      .select('deployment_ref', 'topics');
    const sets = new Map<string, Set<string>>();
    for (const row of rows) {
      const set = sets.get(row.deployment_ref!) ?? new Set<string>();
      for (const topic of JSON.parse(row.topics) as string[]) set.add(topic);
      sets.set(row.deployment_ref!, set);
    }
    return new Map(
      [...sets].map(([ref, set]) => [ref, [...set].sort()] as const),
    );
  }

  /**
   * Moves a request to a new status, only from one of `from`: the check and
   * the change are one statement, so two approvers cannot both succeed.
   * Throws ConflictError naming the current status otherwise.
   */
  async transition(
    id: string,
    from: ReplicationRequestStatus[],
    to: ReplicationRequestStatus,
    changes: RequestChanges,
    event: RequestEventInput,
  ): Promise<ReplicationRequest> {
    oneOf('status', to);
    from.forEach(s => oneOf('status', s));
    const at = this.now();
    const update: Record<string, unknown> = {
      status: to,
      updated_at: at,
      ...columnsOf(changes),
    };
    const count = await this.db.transaction(async tx => {
      const n = await tx(REQUESTS)
        .where({ id })
        .whereIn('status', from)
        .update(update);
      if (n > 0) await tx(EVENTS).insert(eventRow(id, event, at));
      return n;
    });
    if (count === 0) {
      const current = await this.get(id);
      if (!current) throw notFound(id);
      throw new ConflictError(
        `Request ${id} is ${current.status}; only a request that is ${from.join(
          ' or ',
        )} can become ${to}`,
      );
    }
    return (await this.get(id))!;
  }

  /** Changes fields without a status change, only while the status is one of `from`. */
  async update(
    id: string,
    from: ReplicationRequestStatus[],
    changes: RequestChanges,
    event?: RequestEventInput,
  ): Promise<ReplicationRequest | undefined> {
    const at = this.now();
    const count = await this.db.transaction(async tx => {
      const n = await tx(REQUESTS)
        .where({ id })
        .whereIn('status', from)
        .update({ updated_at: at, ...columnsOf(changes) });
      if (n > 0 && event) await tx(EVENTS).insert(eventRow(id, event, at));
      return n;
    });
    return count === 0 ? undefined : this.get(id);
  }

  async appendEvent(id: string, event: RequestEventInput): Promise<void> {
    const exists = await this.db(REQUESTS).where({ id }).first('id');
    if (!exists) throw notFound(id);
    await this.db(EVENTS).insert(eventRow(id, event, this.now()));
  }
}

function columnsOf(changes: RequestChanges): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  if (changes.decision) {
    fits('decision.by', changes.decision.by);
    if (changes.decision.reason !== undefined) {
      fits('decision.reason', changes.decision.reason, MAX_TEXT_LENGTH);
    }
    columns.decided_by = changes.decision.by;
    columns.decided_at = isoDate('decision.at', changes.decision.at);
    columns.decision_reason = changes.decision.reason ?? null;
  }
  if (changes.deploymentRef !== undefined) {
    fits('deploymentRef', changes.deploymentRef);
    columns.deployment_ref = changes.deploymentRef;
  }
  if (changes.scheduledFor !== undefined) {
    columns.scheduled_for =
      changes.scheduledFor === null
        ? null
        : isoDate('scheduledFor', changes.scheduledFor);
  }
  if (changes.rolloutId !== undefined) {
    if (changes.rolloutId !== null) fits('rolloutId', changes.rolloutId, 36);
    columns.rollout_id = changes.rolloutId;
  }
  if (changes.revision !== undefined) {
    if (!Number.isInteger(changes.revision) || changes.revision < 0) {
      throw new InputError('revision must be a whole number');
    }
    columns.revision = changes.revision;
  }
  if (changes.failure !== undefined) {
    columns.failure = changes.failure.slice(0, MAX_TEXT_LENGTH);
  }
  return columns;
}

function eventRow(id: string, event: RequestEventInput, at: Date) {
  fits('event.type', event.type, 32);
  fits('event.actor', event.actor);
  return {
    request_id: id,
    at,
    type: event.type,
    actor: event.actor,
    message: event.message.slice(0, MAX_TEXT_LENGTH),
  };
}

function toRequest(row: RequestRow, events: EventRow[]): ReplicationRequest {
  const request: ReplicationRequest = {
    id: row.id,
    status: row.status as ReplicationRequestStatus,
    requester: row.requester,
    team: row.team,
    topics: JSON.parse(row.topics),
    sourceDataCentre: row.source_data_centre,
    targetDataCentre: row.target_data_centre,
    sourceCluster: row.source_cluster,
    targetCluster: row.target_cluster,
    newDeployment:
      row.new_deployment === true ||
      row.new_deployment === 1 ||
      row.new_deployment === '1',
    reason: row.reason,
    warnings: JSON.parse(row.warnings),
    createdAt: toIsoString(row.created_at),
    updatedAt: toIsoString(row.updated_at),
    events: events.map(
      (e): ReplicationRequestEvent => ({
        at: toIsoString(e.at),
        type: e.type,
        actor: e.actor,
        message: e.message,
      }),
    ),
  };
  if (row.service !== null) request.service = row.service;
  if (row.suffix !== null) request.suffix = row.suffix;
  if (row.deployment_ref !== null) request.deploymentRef = row.deployment_ref;
  if (row.desired_date !== null) request.desiredDate = row.desired_date;
  if (row.decided_by !== null && row.decided_at !== null) {
    request.decision = {
      by: row.decided_by,
      at: toIsoString(row.decided_at),
      ...(row.decision_reason !== null ? { reason: row.decision_reason } : {}),
    };
  }
  if (row.scheduled_for !== null) {
    request.scheduledFor = toIsoString(row.scheduled_for);
  }
  if (row.rollout_id !== null) request.rolloutId = row.rollout_id;
  if (row.revision !== null) request.revision = Number(row.revision);
  if (row.failure !== null) request.failure = row.failure;
  return request;
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`No replication request ${JSON.stringify(id)}`);
}

function fits(field: string, value: unknown, max = MAX_STRING_LENGTH): void {
  if (typeof value !== 'string') {
    throw new InputError(`${field} must be a string`);
  }
  if (value.includes('\u0000')) {
    throw new InputError(`${field} contains a NUL character`);
  }
  // PostgreSQL's varchar counts code points, not UTF-16 units.
  const length = Array.from(value).length;
  if (length > max) {
    throw new InputError(
      `${field} is ${length} characters long; at most ${max} are accepted`,
    );
  }
}

function oneOf(field: string, value: string): void {
  if (!(REPLICATION_REQUEST_STATUSES as string[]).includes(value)) {
    throw new InputError(
      `${field}: ${JSON.stringify(
        value,
      )} is not a request status; use one of ${REPLICATION_REQUEST_STATUSES.join(
        ', ',
      )}`,
    );
  }
}

function isoDate(field: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(`${field} must be an ISO 8601 time`);
  }
  return date;
}
