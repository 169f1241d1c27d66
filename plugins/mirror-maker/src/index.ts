/**
 * Frontend of the mirror-maker plugin: the replication tab of MirrorMaker
 * entities, cards for Kafka clusters and services, and the replication page.
 *
 * @packageDocumentation
 */
export {
  mirrorMakerPlugin,
  MirrorMakerPage,
  EntityMirrorMakerContent,
  EntityKafkaClusterCard,
  EntityServiceReplicationCard,
} from './plugin';
export {
  isMirrorMakerAvailable,
  isKafkaClusterAvailable,
  isServiceReplicationAvailable,
} from './predicates';
export * from './api';
