/**
 * Scaffolder actions of the mirror-maker plugin.
 *
 * @packageDocumentation
 */
export { scaffolderModuleMirrorMaker as default } from './module';
export { createValidateTopicsAction } from './actions/validateTopics';
export { createCreateRequestAction } from './actions/createRequest';
export type { CreateRequestActionOptions } from './actions/createRequest';
export { createRenderEntityAction } from './actions/renderEntity';
export type { RenderEntityInput } from './actions/renderEntity';
export { createRenderBundleAction } from './actions/renderBundle';
export type {
  BundleFileResponse,
  BundleResponse,
} from './actions/renderBundle';
export type { MirrorMakerBackendOptions } from './lib/backend';
