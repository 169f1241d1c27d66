/**
 * Test helpers for packages that build on the common package: valid
 * example inputs to vary, and the hostile-input corpus every entry point is
 * tested with.
 *
 * @packageDocumentation
 */
export {
  exampleEntity,
  dc1,
  dc2,
  kafkaClusterResource,
} from './testing/fixtures';
export {
  HOSTILE_VALUES,
  NUL_VALUES,
  EXTRA_HOSTILE_VALUES,
} from './testing/hostile';
