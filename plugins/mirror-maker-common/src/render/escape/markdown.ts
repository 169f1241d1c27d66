import { assertSingleLine } from './chars';

/**
 * What makes a code span more than the text between single backticks: a
 * backtick, a `|`, or what assertSingleLine rejects (control characters,
 * line separators, surrogates, checked there in full).
 */
// eslint-disable-next-line no-control-regex
const SPECIAL = /[`|\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/;

/**
 * Renders `text` as a Markdown code span: the fence is one backtick longer
 * than the longest run of backticks inside, padded with spaces when the text
 * starts or ends with a backtick, so nothing in it is read as Markdown or
 * HTML. In a table cell (`inTable`), `|` is written `\|`: GitHub-flavoured
 * tables split cells at `|` even inside code spans.
 *
 * @throws if `text` holds a control character or line break.
 */
export function markdownCode(
  text: string,
  field = 'value',
  inTable = false,
): string {
  if (!SPECIAL.test(text)) return `\`${text}\``;
  assertSingleLine(text, field, 'a Markdown code span');
  const longest = Math.max(
    0,
    ...(text.match(/`+/g) ?? []).map(run => run.length),
  );
  const fence = '`'.repeat(longest + 1);
  const body = inTable ? text.replace(/\|/g, '\\|') : text;
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}
