export type { Bundle, BundleFile, BundleNode, RenderInput } from './types';
export { renderBundle } from './bundle';
export { redactBundle, SECRET_MARKER } from './redact';
export { DEFAULTS, resolveSpec } from './defaults';
export type { ResolvedMirrorMakerSpec } from './defaults';
export { CONSUMER_DEFAULTS, consumerForbiddenReason } from './kafka/consumer';
export { PRODUCER_DEFAULTS, producerForbiddenReason } from './kafka/producer';
export {
  escapeProperties,
  unescapeProperties,
  shellQuote,
  systemdQuote,
  systemdValue,
  systemdEnvironment,
  jaasQuote,
  yamlString,
  promLabelValue,
  nrqlString,
  javaReplacement,
  commentText,
  markdownCode,
  fileUrl,
} from './escape';
export type { PropertiesPart } from './escape';
