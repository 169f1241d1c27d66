import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'fs';
import path from 'path';
import { applyDatabaseMigrations, migrationsDirectory } from './migrations';

jest.setTimeout(60_000);

const TABLES = ['managed_deployments', 'audit_log'];

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it('resolves to the package migrations directory', () => {
    const directory = migrationsDirectory();

    expect(directory).toBe(path.resolve(__dirname, '..', '..', 'migrations'));
    expect(fs.readdirSync(directory)).toContain('20261124000000_init.js');
  });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('creates the tables, removes them on rollback and creates them again', async () => {
      const knex = await databases.init(databaseId);
      const hasTables = () =>
        Promise.all(TABLES.map(table => knex.schema.hasTable(table)));

      await expect(hasTables()).resolves.toEqual([false, false]);

      await applyDatabaseMigrations(knex);
      await expect(hasTables()).resolves.toEqual([true, true]);

      // Applying again must be a no-op, as it happens on every start.
      await applyDatabaseMigrations(knex);
      await expect(hasTables()).resolves.toEqual([true, true]);

      await knex.migrate.rollback({ directory: migrationsDirectory() }, true);
      await expect(hasTables()).resolves.toEqual([false, false]);

      await applyDatabaseMigrations(knex);
      await expect(hasTables()).resolves.toEqual([true, true]);
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

      await knex.migrate.rollback({ directory: migrationsDirectory() }, true);

      await expect(knex.schema.hasTable('managed_deployments')).resolves.toBe(
        false,
      );
      await expect(knex.schema.hasTable('audit_log')).resolves.toBe(false);
      await applyDatabaseMigrations(knex);
      await expect(knex('managed_deployments')).resolves.toEqual([]);
    });
  });
});
