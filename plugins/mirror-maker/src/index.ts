/**
 * Frontend of the mirror-maker plugin.
 *
 * @packageDocumentation
 */
export { mirrorMakerPlugin, MirrorMakerPage } from './plugin';
export * from './api';
