import { assertSingleLine } from './chars';

/**
 * Quotes a value (a user name or password) for a `sasl.jaas.config` option:
 * returns it in double quotes with `\` and `"` backslash-escaped. Kafka reads
 * the JAAS text with `java.io.StreamTokenizer`, which ends a quoted string at
 * `"` or a line break and unescapes `\`. The result still needs
 * {@link escapeProperties} when it goes into a `.properties` file.
 *
 * @throws if `value` holds a control character or line break, which would
 *   end the quoted string.
 */
export function jaasQuote(value: string, field = 'value'): string {
  assertSingleLine(value, field, 'a quoted JAAS option value');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
