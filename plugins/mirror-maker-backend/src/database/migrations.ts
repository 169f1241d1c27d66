import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Where the plugin's knex migrations live, both in the workspace and when installed. */
export function migrationsDirectory(): string {
  return resolvePackagePath(
    '@mirrormaker/plugin-mirror-maker-backend',
    'migrations',
  );
}

/** Brings the plugin's own database up to the newest schema. */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDirectory() });
}
