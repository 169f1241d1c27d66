import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from './migrations';
import { clampLimit, isUniqueViolation, toIsoString } from './rows';

/** A MirrorMaker deployment the plugin owns and publishes to the catalog. */
export interface ManagedDeployment {
  /** As given on create; not case-folded. */
  namespace: string;
  name: string;
  /** The whole catalog entity. */
  entity: JsonObject;
  /** Entity ref of the user or service that created it. */
  createdBy: string;
  /** ISO 8601. */
  createdAt: string;
  updatedBy: string;
  /** ISO 8601. */
  updatedAt: string;
  /** Starts at 1 and grows by one on every replace. */
  version: number;
}

export type AuditOutcome = 'succeeded' | 'failed' | 'denied';

export interface AuditEventInput {
  /** Entity ref of the user or service that acted. */
  actor: string;
  /** For example `managed-deployment.create`. */
  action: string;
  entityRef?: string;
  outcome: AuditOutcome;
  details?: JsonObject;
}

export interface AuditEvent extends AuditEventInput {
  id: number;
  /** ISO 8601. */
  at: string;
}

const DEFAULT_AUDIT_LIMIT = 100;
const MAX_AUDIT_LIMIT = 500;

// Matches the varchar(255) columns of the init migration. Checked here because
// PostgreSQL rejects longer values while SQLite silently keeps them, and both
// should behave alike.
const MAX_STRING_LENGTH = 255;

interface ManagedDeploymentRow {
  namespace: string;
  name: string;
  entity: string;
  created_by: string;
  created_at: Date | string | number;
  updated_by: string;
  updated_at: Date | string | number;
  version: number | string;
}

interface AuditRow {
  id: number | string;
  at: Date | string | number;
  actor: string;
  action: string;
  entity_ref: string | null;
  outcome: string;
  details: string | null;
}

/**
 * The plugin's only access to its database; everything else goes through
 * this class so that the SQL stays portable between SQLite and PostgreSQL.
 */
export class MirrorMakerStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<MirrorMakerStore> {
    const knex = await options.database.getClient();
    if (options.database.migrations?.skip !== true) {
      await applyDatabaseMigrations(knex);
    }
    return new MirrorMakerStore(knex);
  }

  /** Uses an already migrated database as it is. */
  static fromKnex(knex: Knex): MirrorMakerStore {
    return new MirrorMakerStore(knex);
  }

  private constructor(private readonly db: Knex) {}

  async listManagedDeployments(): Promise<ManagedDeployment[]> {
    const rows = await this.db<ManagedDeploymentRow>(
      'managed_deployments',
    ).select('*');
    // Sorted here rather than by ORDER BY because PostgreSQL orders by the
    // database's locale collation and SQLite by bytes; callers get one order.
    return rows
      .map(toManagedDeployment)
      .sort(
        (a, b) =>
          compareStrings(a.namespace, b.namespace) ||
          compareStrings(a.name, b.name),
      );
  }

  async getManagedDeployment(
    namespace: string,
    name: string,
  ): Promise<ManagedDeployment | undefined> {
    const row = await this.db<ManagedDeploymentRow>('managed_deployments')
      .where({ namespace, name })
      .first();
    return row ? toManagedDeployment(row) : undefined;
  }

  /** Inserts; throws ConflictError naming the ref when (namespace, name) exists. */
  async createManagedDeployment(args: {
    namespace: string;
    name: string;
    entity: JsonObject;
    actor: string;
  }): Promise<ManagedDeployment> {
    const { namespace, name, entity, actor } = args;
    assertFits('namespace', namespace);
    assertFits('name', name);
    assertFits('actor', actor);
    let rows: ManagedDeploymentRow[];
    try {
      // No existence check first: the primary key decides, so two concurrent
      // creates of the same deployment cannot both succeed.
      rows = await this.db<ManagedDeploymentRow>('managed_deployments')
        .insert({
          namespace,
          name,
          entity: JSON.stringify(entity),
          created_by: actor,
          updated_by: actor,
        })
        .returning('*');
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `Managed deployment ${describeRef(
            namespace,
            name,
          )} already exists; replace it instead, or choose another namespace or name`,
        );
      }
      throw error;
    }
    return toManagedDeployment(rows[0]);
  }

  /** Replaces entity, bumps version, sets updated_*; throws NotFoundError naming the ref if absent. */
  async replaceManagedDeployment(args: {
    namespace: string;
    name: string;
    entity: JsonObject;
    actor: string;
  }): Promise<ManagedDeployment> {
    const { namespace, name, entity, actor } = args;
    assertFits('actor', actor);
    // One statement, so the version bump cannot interleave with another replace.
    const rows = await this.db<ManagedDeploymentRow>('managed_deployments')
      .where({ namespace, name })
      .update({
        entity: JSON.stringify(entity),
        updated_by: actor,
        updated_at: this.db.fn.now(),
        version: this.db.raw('?? + 1', ['version']),
      })
      .returning('*');
    if (rows.length === 0) {
      throw new NotFoundError(
        `Managed deployment ${describeRef(
          namespace,
          name,
        )} does not exist; create it first`,
      );
    }
    return toManagedDeployment(rows[0]);
  }

  /** Returns false if absent. */
  async deleteManagedDeployment(
    namespace: string,
    name: string,
  ): Promise<boolean> {
    const count = await this.db('managed_deployments')
      .where({ namespace, name })
      .delete();
    return count > 0;
  }

  async appendAudit(event: AuditEventInput): Promise<AuditEvent> {
    assertFits('actor', event.actor);
    assertFits('action', event.action);
    if (event.entityRef !== undefined) {
      assertFits('entityRef', event.entityRef);
    }
    const rows = await this.db<AuditRow>('audit_log')
      .insert({
        actor: event.actor,
        action: event.action,
        entity_ref: event.entityRef ?? null,
        outcome: event.outcome,
        details:
          event.details === undefined ? null : JSON.stringify(event.details),
      })
      .returning('*');
    return toAuditEvent(rows[0]);
  }

  /** Newest first (by id desc); entityRef filter exact match; limit default 100, clamped to 1..500. */
  async listAudit(options?: {
    entityRef?: string;
    limit?: number;
  }): Promise<AuditEvent[]> {
    const query = this.db<AuditRow>('audit_log')
      .select('*')
      .orderBy('id', 'desc')
      .limit(clampLimit(options?.limit, DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT));
    if (options?.entityRef !== undefined) {
      query.where('entity_ref', options.entityRef);
    }
    const rows = await query;
    return rows.map(toAuditEvent);
  }

  /** `select 1`; throws if the database is unreachable. */
  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }
}

function compareStrings(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

function describeRef(namespace: string, name: string): string {
  return JSON.stringify(`${namespace}/${name}`);
}

function assertFits(field: string, value: string): void {
  // PostgreSQL's varchar counts code points, not UTF-16 units.
  const length = Array.from(value).length;
  if (length > MAX_STRING_LENGTH) {
    throw new InputError(
      `${field} is ${length} characters long; at most ${MAX_STRING_LENGTH} are accepted`,
    );
  }
}

function toManagedDeployment(row: ManagedDeploymentRow): ManagedDeployment {
  return {
    namespace: row.namespace,
    name: row.name,
    entity: JSON.parse(row.entity),
    createdBy: row.created_by,
    createdAt: toIsoString(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: toIsoString(row.updated_at),
    version: Number(row.version),
  };
}

function toAuditEvent(row: AuditRow): AuditEvent {
  const event: AuditEvent = {
    id: Number(row.id),
    at: toIsoString(row.at),
    actor: row.actor,
    action: row.action,
    outcome: row.outcome as AuditOutcome,
  };
  if (row.entity_ref !== null) {
    event.entityRef = row.entity_ref;
  }
  if (row.details !== null) {
    event.details = JSON.parse(row.details);
  }
  return event;
}
