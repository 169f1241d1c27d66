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
  EntityReplicationRequestsCard,
  MirrorMakerTopicsPickerFieldExtension,
  MirrorMakerDataCentrePickerFieldExtension,
} from './plugin';
export {
  RequestsView,
  RequestsContent,
  RequestContent,
} from './components/RequestsView';
export type {
  RequestsViewProps,
  RequestsContentProps,
  RequestContentProps,
} from './components/RequestsView';
export type { MirrorMakerPageProps } from './components/MirrorMakerPage';
export type {
  TopicsPickerUiOptions,
  DataCentrePickerUiOptions,
} from './components/scaffolder';
export {
  isMirrorMakerAvailable,
  isKafkaClusterAvailable,
  isServiceReplicationAvailable,
} from './predicates';
export * from './api';
