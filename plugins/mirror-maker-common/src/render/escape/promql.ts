import { assertWellFormed } from './chars';

/**
 * Escapes a label value for a PromQL string literal in double quotes
 * (`{deployment="..."}`): `\`, `"` and line breaks are backslash-escaped and
 * every other control character becomes `\u00XX`. The caller adds the quotes.
 *
 * @throws if `value` holds an unpaired surrogate (it cannot be written as UTF-8).
 */
export function promLabelValue(value: string, field = 'value'): string {
  assertWellFormed(value, field);
  return value.replace(
    // eslint-disable-next-line no-control-regex
    /[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    c => {
      switch (c) {
        case '\\':
          return '\\\\';
        case '"':
          return '\\"';
        case '\n':
          return '\\n';
        case '\r':
          return '\\r';
        case '\t':
          return '\\t';
        default:
          return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      }
    },
  );
}
