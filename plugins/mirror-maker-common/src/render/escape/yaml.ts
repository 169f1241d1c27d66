import { assertWellFormed } from './chars';

/**
 * Characters JSON.stringify leaves raw but YAML does not accept raw inside a
 * double-quoted scalar (non-printable) or reads as a line break (NEL and the
 * Unicode separators in YAML 1.1, which PyYAML, and so Ansible, implement).
 */
// eslint-disable-next-line no-control-regex
const YAML_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
// eslint-disable-next-line no-control-regex
const YAML_UNSAFE_ANY = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

/**
 * Renders `value` as a double-quoted YAML scalar that is also a valid JSON
 * string: JSON escaping, plus `\uXXXX` for the characters YAML parsers treat
 * differently from JSON. Tags, anchors, comments and `{{ }}` inside stay text.
 *
 * @throws if `value` holds an unpaired surrogate (it cannot be written as UTF-8).
 */
export function yamlString(value: string, field = 'value'): string {
  assertWellFormed(value, field);
  const json = JSON.stringify(value);
  if (typeof json === 'string' && !YAML_UNSAFE_ANY.test(json)) return json;
  return json.replace(
    YAML_UNSAFE,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
