/**
 * The mirror-maker backend plugin.
 *
 * @packageDocumentation
 */
export { mirrorMakerPlugin as default } from './plugin';
