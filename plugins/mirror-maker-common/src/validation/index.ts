export * from './problems';
export * from './values';
export { validateClientOverrides } from './clientConfig';
export { validateMirrorMakerEntity, LIMITS } from './entity';
export { validateKafkaClusterConfig, parseKafkaClusters } from './cluster';
export { validateDeploymentClusters } from './deployment';
export { checkDeployment } from './checkDeployment';
export type { CheckedDeployment } from './checkDeployment';
