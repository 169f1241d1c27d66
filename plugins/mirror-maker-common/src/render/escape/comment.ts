import { assertSingleLine } from './chars';

/**
 * Checks a value that goes into a comment line (`# ...`) of any generated
 * file and returns it unchanged: a comment ends at the line break, so the
 * value must not contain one (nor any other control character).
 */
export function commentText(value: string, field = 'value'): string {
  assertSingleLine(value, field, 'a comment line');
  return value;
}
