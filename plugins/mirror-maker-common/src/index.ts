/**
 * Pure, isomorphic core of the mirror-maker plugin: kind constants, topic
 * rules and permissions. No I/O happens in this package.
 *
 * @packageDocumentation
 */
export * from './constants';
export * from './topics';
export * from './permissions';
export * from './kind';
