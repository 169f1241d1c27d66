import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'fs';
import { Knex } from 'knex';
import path from 'path';
import { applyDatabaseMigrations, migrationsDirectory } from './migrations';

jest.setTimeout(60_000);

const REVISION = {
  id: 'r-1',
  deployment_ref: 'mirrormakerdeployment:default/orders',
  number: 1,
  content_hash: 'a'.repeat(64),
  entity: '{}',
  files: '[]',
  created_by: 'user:default/alice',
  reason: 'first',
};

const LOCK = {
  deployment_ref: 'mirrormakerdeployment:default/orders',
  rollout_id: 'o-1',
  owner: 'backend-1',
  acquired_at: 1_799_999_000_000,
  expires_at: 1_800_000_000_000,
};

async function insertDeploymentRows(knex: Knex) {
  await knex('revisions').insert(REVISION);
  await knex('rollouts').insert({
    id: 'o-1',
    deployment_ref: REVISION.deployment_ref,
    revision_id: 'r-1',
    kind: 'deploy',
    status: 'pending',
    reason: 'first',
    actor: 'user:default/alice',
  });
  await knex('rollout_events').insert({
    rollout_id: 'o-1',
    step: 0,
    total: 3,
    kind: 'plan',
    message: 'planned',
  });
  await knex('deployment_locks').insert(LOCK);
}

// Beyond 2^32, where a 32-bit column would overflow.
const BIG_OFFSET_SUM = 2 ** 40 + 7;

async function insertMetricsRows(knex: Knex) {
  await knex('flow_samples').insert([
    {
      deployment_ref: REVISION.deployment_ref,
      sampled_at: 1_800_000_000_000,
      source_end_offsets: BIG_OFFSET_SUM,
      target_end_offsets: BIG_OFFSET_SUM - 5,
      lag: 5,
    },
    {
      deployment_ref: REVISION.deployment_ref,
      sampled_at: 1_800_000_010_000,
      source_end_offsets: null,
      target_end_offsets: null,
      lag: null,
    },
  ]);
  await knex('heartbeats').insert({
    deployment_ref: REVISION.deployment_ref,
    sent_at: 1_800_000_000_000,
    received_at: 1_800_000_000_250,
    latency_ms: 250,
  });
}

async function insertRequestRows(knex: Knex) {
  await knex('replication_requests').insert({
    id: 'q-1',
    status: 'pending',
    requester: 'user:default/alice',
    team: 'group:default/team-dc2',
    topics: '["orders.dc1"]',
    source_data_centre: 'dc1',
    target_data_centre: 'dc2',
    source_cluster: 'dc1',
    target_cluster: 'dc2',
    reason: 'why',
    warnings: '[]',
  });
  await knex('replication_request_events').insert({
    request_id: 'q-1',
    type: 'submitted',
    actor: 'user:default/alice',
    message: 'filed',
  });
  await knex('revision_approved_topics').insert({
    revision_id: REVISION.id,
    topics: '["orders.dc1"]',
  });
}

const INIT_TABLES = ['managed_deployments', 'audit_log'];
const DEPLOYMENT_TABLES = [
  'revisions',
  'rollouts',
  'rollout_events',
  'deployment_locks',
];
const METRICS_TABLES = ['flow_samples', 'heartbeats'];
const REQUEST_TABLES = [
  'replication_requests',
  'replication_request_events',
  'revision_approved_topics',
];
const TABLES = [
  ...INIT_TABLES,
  ...DEPLOYMENT_TABLES,
  ...METRICS_TABLES,
  ...REQUEST_TABLES,
];
const NONE = TABLES.map(() => false);
const ALL = TABLES.map(() => true);

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it('resolves to the package migrations directory', () => {
    const directory = migrationsDirectory();

    expect(directory).toBe(path.resolve(__dirname, '..', '..', 'migrations'));
    expect(fs.readdirSync(directory)).toEqual(
      expect.arrayContaining([
        '20261124000000_init.js',
        '20261124010000_deployments.js',
        '20261124020000_metrics.js',
        '20261124030000_requests.js',
      ]),
    );
  });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('creates the tables, removes them on rollback and creates them again', async () => {
      const knex = await databases.init(databaseId);
      const hasTables = () =>
        Promise.all(TABLES.map(table => knex.schema.hasTable(table)));

      await expect(hasTables()).resolves.toEqual(NONE);

      await applyDatabaseMigrations(knex);
      await expect(hasTables()).resolves.toEqual(ALL);

      // Applying again must be a no-op, as it happens on every start.
      await applyDatabaseMigrations(knex);
      await expect(hasTables()).resolves.toEqual(ALL);

      await knex.migrate.rollback({ directory: migrationsDirectory() }, true);
      await expect(hasTables()).resolves.toEqual(NONE);

      await applyDatabaseMigrations(knex);
      await expect(hasTables()).resolves.toEqual(ALL);
    });

    it('undoes the metrics and deployment tables two steps back, keeping the first tables', async () => {
      const knex = await databases.init(databaseId);
      const config = { directory: migrationsDirectory() };
      await applyDatabaseMigrations(knex);
      await knex('managed_deployments').insert({
        namespace: 'default',
        name: 'orders',
        entity: '{}',
        created_by: 'user:default/alice',
        updated_by: 'user:default/alice',
      });
      await insertDeploymentRows(knex);

      // down, not rollback: latest applies every file as one batch, which a
      // rollback would undo as a whole.
      await knex.migrate.down(config);
      await knex.migrate.down(config);
      await knex.migrate.down(config);

      for (const table of INIT_TABLES) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(true);
      }
      for (const table of DEPLOYMENT_TABLES) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(false);
      }
      await expect(knex('managed_deployments')).resolves.toHaveLength(1);
      const [, pending] = await knex.migrate.list(config);
      expect(pending.map((m: { file: string }) => m.file)).toEqual([
        '20261124010000_deployments.js',
        '20261124020000_metrics.js',
        '20261124030000_requests.js',
      ]);

      await knex.migrate.up(config);
      await knex.migrate.up(config);
      await knex.migrate.up(config);
      await expect(
        Promise.all(TABLES.map(table => knex.schema.hasTable(table))),
      ).resolves.toEqual(ALL);
      await expect(knex('revisions')).resolves.toEqual([]);
      await insertDeploymentRows(knex);
    });

    it('undoes only the request tables one step back, with rows in them', async () => {
      const knex = await databases.init(databaseId);
      const config = { directory: migrationsDirectory() };
      await applyDatabaseMigrations(knex);
      await insertDeploymentRows(knex);
      await insertMetricsRows(knex);
      await insertRequestRows(knex);

      await knex.migrate.down(config);

      for (const table of [
        ...INIT_TABLES,
        ...DEPLOYMENT_TABLES,
        ...METRICS_TABLES,
      ]) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(true);
      }
      for (const table of REQUEST_TABLES) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(false);
      }
      await expect(knex('revisions')).resolves.toHaveLength(1);
      await expect(knex('heartbeats')).resolves.toHaveLength(1);

      await knex.migrate.up(config);
      await expect(knex('replication_requests')).resolves.toEqual([]);
      await insertRequestRows(knex);
      const [request] = await knex('replication_requests');
      expect(Boolean(request.new_deployment)).toBe(false);
      expect(request.deployment_ref).toBeNull();
      expect(request.created_at).toBeTruthy();
    });

    it('undoes only the metrics tables two steps back, with rows in them', async () => {
      const knex = await databases.init(databaseId);
      const config = { directory: migrationsDirectory() };
      await applyDatabaseMigrations(knex);
      await insertDeploymentRows(knex);
      await insertMetricsRows(knex);

      await knex.migrate.down(config);
      await knex.migrate.down(config);

      for (const table of [...INIT_TABLES, ...DEPLOYMENT_TABLES]) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(true);
      }
      for (const table of METRICS_TABLES) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(false);
      }
      await expect(knex('revisions')).resolves.toHaveLength(1);
      const [, pending] = await knex.migrate.list(config);
      expect(pending.map((m: { file: string }) => m.file)).toEqual([
        '20261124020000_metrics.js',
        '20261124030000_requests.js',
      ]);

      await knex.migrate.up(config);
      await knex.migrate.up(config);
      await expect(
        Promise.all(TABLES.map(table => knex.schema.hasTable(table))),
      ).resolves.toEqual(ALL);
      await expect(knex('flow_samples')).resolves.toEqual([]);
      await expect(knex('heartbeats')).resolves.toEqual([]);
      await insertMetricsRows(knex);
    });

    it('keeps offset sums beyond 32 bits and nulls in the metrics tables', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);

      await insertMetricsRows(knex);

      const samples = await knex('flow_samples').orderBy('id');
      // PostgreSQL hands bigints back as strings.
      expect(Number(samples[0].source_end_offsets)).toBe(BIG_OFFSET_SUM);
      expect(Number(samples[0].sampled_at)).toBe(1_800_000_000_000);
      expect(samples[1].source_end_offsets).toBeNull();
      expect(samples[1].target_end_offsets).toBeNull();
      expect(samples[1].lag).toBeNull();
      const [heartbeat] = await knex('heartbeats');
      expect(Number(heartbeat.received_at)).toBe(1_800_000_000_250);
      expect(heartbeat.latency_ms).toBe(250);
    });

    it('fills in the deployment tables column defaults', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);

      await insertDeploymentRows(knex);

      const revision = await knex('revisions').first();
      expect(revision.created_at).toBeTruthy();
      const rollout = await knex('rollouts').first();
      expect(rollout.created_at).toBeTruthy();
      expect(rollout.started_at).toBeNull();
      expect(rollout.finished_at).toBeNull();
      expect(rollout.previous_revision_id).toBeNull();
      expect(rollout.message).toBeNull();
      expect(rollout.total_steps).toBe(0);
      expect(rollout.done_steps).toBe(0);
      // SQLite has no boolean type and hands back 0.
      expect(Boolean(rollout.auto_rollback)).toBe(false);
      const event = await knex('rollout_events').first();
      expect(event.id).toBe(1);
      expect(event.at).toBeTruthy();
      expect(event.host).toBeNull();
      expect(event.process_index).toBeNull();
      expect(event.duration_ms).toBeNull();
      const lock = await knex('deployment_locks').first();
      // PostgreSQL hands bigints back as strings.
      expect(Number(lock.expires_at)).toBe(1_800_000_000_000);
    });

    it('keeps revision numbers and lock holders unique per deployment', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await insertDeploymentRows(knex);
      const duplicate = {
        message: expect.stringMatching(
          /UNIQUE constraint failed|duplicate key/,
        ),
      };

      await expect(
        knex('revisions').insert({ ...REVISION, id: 'r-2' }),
      ).rejects.toMatchObject(duplicate);
      await knex('revisions').insert({
        ...REVISION,
        id: 'r-3',
        deployment_ref: 'mirrormakerdeployment:default/payments',
      });
      await expect(
        knex('deployment_locks').insert({ ...LOCK, rollout_id: 'o-2' }),
      ).rejects.toMatchObject(duplicate);
    });

    it('fills in column defaults', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);

      await knex('managed_deployments').insert({
        namespace: 'default',
        name: 'orders',
        entity: '{}',
        created_by: 'user:default/alice',
        updated_by: 'user:default/alice',
      });
      await knex('audit_log').insert({
        actor: 'user:default/alice',
        action: 'managed-deployment.create',
        outcome: 'succeeded',
      });

      const deployment = await knex('managed_deployments').first();
      expect(deployment.version).toBe(1);
      expect(deployment.created_at).toBeTruthy();
      expect(deployment.updated_at).toBeTruthy();
      const audit = await knex('audit_log').first();
      expect(audit.id).toBe(1);
      expect(audit.at).toBeTruthy();
      expect(audit.entity_ref).toBeNull();
      expect(audit.details).toBeNull();
    });

    it('rejects a second row with the same namespace and name', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const row = {
        namespace: 'default',
        name: 'orders',
        entity: '{}',
        created_by: 'user:default/alice',
        updated_by: 'user:default/alice',
      };

      await knex('managed_deployments').insert(row);
      // Matched by message: the SQLite driver's errors may come from another jest
      // realm, where toThrow() does not recognise them as errors.
      await expect(
        knex('managed_deployments').insert(row),
      ).rejects.toMatchObject({
        message: expect.stringMatching(
          /UNIQUE constraint failed|duplicate key/,
        ),
      });
      await knex('managed_deployments').insert({ ...row, namespace: 'other' });
    });

    it('rolls back with rows in the tables', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await knex('managed_deployments').insert({
        namespace: 'default',
        name: 'orders',
        entity: JSON.stringify({ kind: 'MirrorMakerDeployment' }),
        created_by: 'user:default/alice',
        updated_by: 'user:default/alice',
      });
      await knex('audit_log').insert({
        actor: 'user:default/alice',
        action: 'managed-deployment.create',
        entity_ref: 'mirrormakerdeployment:default/orders',
        outcome: 'succeeded',
        details: '{}',
      });
      await insertDeploymentRows(knex);
      await insertMetricsRows(knex);

      await knex.migrate.rollback({ directory: migrationsDirectory() }, true);

      await expect(knex.schema.hasTable('flow_samples')).resolves.toBe(false);
      await expect(knex.schema.hasTable('managed_deployments')).resolves.toBe(
        false,
      );
      await expect(knex.schema.hasTable('audit_log')).resolves.toBe(false);
      await expect(knex.schema.hasTable('revisions')).resolves.toBe(false);
      await applyDatabaseMigrations(knex);
      await expect(knex('managed_deployments')).resolves.toEqual([]);
      await expect(knex('rollouts')).resolves.toEqual([]);
    });
  });
});
