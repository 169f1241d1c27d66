/**
 * Extension points of the mirror-maker backend, for modules that add deploy
 * targets or metric sources.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './permissions';
export * from './deploy';
export * from './metrics';
