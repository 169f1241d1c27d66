export { LocalDeployTarget } from './LocalDeployTarget';
export type { LocalDeployTargetOptions, RestartPolicy } from './options';
