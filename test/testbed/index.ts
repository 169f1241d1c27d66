/**
 * Local Kafka test bed: single-node KRaft clusters and MirrorMaker 1
 * processes run from the Kafka runtime in test/kafka-runtime (fetched with
 * `npm run fetch:kafka`), for integration tests, benchmarks and demos.
 */
export * from './kafkaHome';
export * from './processRegistry';
export * from './ports';
export * from './javaProcess';
export * from './kafkaClient';
export * from './kafkaCluster';
export * from './mirrorMaker';
export * from './testbed';
export * from './scriptProcess';
export * from './lz4Codec';
