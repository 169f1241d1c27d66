/**
 * Catalog module that adds the `MirrorMaker` kind and publishes the
 * deployments the mirror-maker backend plugin manages itself.
 *
 * @packageDocumentation
 */
export { catalogModuleMirrorMaker as default } from './module';
export * from './MirrorMakerEntityProcessor';
export * from './ManagedDeploymentProvider';
