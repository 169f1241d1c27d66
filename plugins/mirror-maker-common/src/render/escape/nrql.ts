import { assertSingleLine } from './chars';

/**
 * Quotes `value` as an NRQL string literal: single quotes, with `\` and `'`
 * backslash-escaped, so it can only ever compare as text.
 *
 * @throws if `value` holds a control character or line break.
 */
export function nrqlString(value: string, field = 'value'): string {
  assertSingleLine(value, field, 'an NRQL string literal');
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
