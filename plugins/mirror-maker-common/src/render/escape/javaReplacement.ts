/**
 * Escapes a constant for a place where Java evaluates it as a regex
 * replacement (`Matcher.replaceAll`), as the Prometheus JMX exporter does
 * with every label value of a rule: `$1` there means "first group", so a
 * literal `$` or `\` must be backslash-escaped (what
 * `Matcher.quoteReplacement` does).
 */
export function javaReplacement(value: string): string {
  return value.replace(/[\\$]/g, c => `\\${c}`);
}
