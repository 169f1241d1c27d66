/**
 * Catalog module that adds the `MirrorMaker` kind.
 *
 * @packageDocumentation
 */
export { catalogModuleMirrorMaker as default } from './module';
export * from './MirrorMakerEntityProcessor';
