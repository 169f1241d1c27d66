/**
 * Pure, isomorphic core of the mirror-maker plugin: the MirrorMaker kind,
 * cluster model, topic rules and permissions. No I/O happens in this package.
 *
 * @packageDocumentation
 */
export * from './constants';
export * from './topics';
export * from './permissions';
export * from './kind';
export * from './validation';
export {
  CONSUMER_CONFIG_KEYS,
  PRODUCER_CONFIG_KEYS,
  KAFKA_CLIENTS_VERSION,
} from './kafka/configKeys.generated';
export type { KafkaConfigType } from './kafka/configKeys.generated';
export * from './catalog';
export * from './render';
export * from './topology';
export * from './metrics';
export * from './requests';
