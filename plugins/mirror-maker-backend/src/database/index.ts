export { MirrorMakerStore } from './MirrorMakerStore';
export type {
  AuditEvent,
  AuditEventInput,
  AuditOutcome,
  ManagedDeployment,
} from './MirrorMakerStore';
export { RolloutStore } from './RolloutStore';
export type {
  DeploymentLock,
  Revision,
  RevisionFile,
  RevisionSummary,
  Rollout,
  RolloutEvent,
  RolloutEventInput,
  RolloutKind,
  RolloutStatus,
} from './RolloutStore';
export { applyDatabaseMigrations, migrationsDirectory } from './migrations';
export { RequestStore } from './RequestStore';
export type {
  NewReplicationRequest,
  RequestChanges,
  RequestEventInput,
  RequestFilter,
} from './RequestStore';
