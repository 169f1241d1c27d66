import { assertSingleLine } from './chars';

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
