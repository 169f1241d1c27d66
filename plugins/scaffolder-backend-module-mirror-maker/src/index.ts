/**
 * Scaffolder actions of the mirror-maker plugin.
 *
 * @packageDocumentation
 */
export { scaffolderModuleMirrorMaker as default } from './module';
export { createValidateTopicsAction } from './actions/validateTopics';
