export { MirrorMakerStore } from './MirrorMakerStore';
export type {
  AuditEvent,
  AuditEventInput,
  AuditOutcome,
  ManagedDeployment,
} from './MirrorMakerStore';
export { applyDatabaseMigrations, migrationsDirectory } from './migrations';
