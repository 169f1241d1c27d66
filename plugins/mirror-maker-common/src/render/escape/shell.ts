import { assertWellFormed } from './chars';

/** Characters a POSIX shell never treats specially inside a word (as in Python's shlex.quote). */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes `word` as one POSIX shell word: a plain word is left as it is,
 * anything else is single-quoted with each `'` written as `'\''`. Inside
 * single quotes nothing is special (`$`, backticks, `\`, newlines, globs),
 * so the shell passes exactly `word` as one argument.
 *
 * @throws if `word` holds a NUL character (no shell argument can) or an
 *   unpaired surrogate (it cannot be written as UTF-8).
 */
export function shellQuote(word: string, field = 'value'): string {
  // A plain word is ASCII without NUL: nothing below could reject it.
  if (SAFE_WORD.test(word)) return word;
  if (word.includes('\u0000')) {
    throw new Error(
      `${field} contains a NUL character ("\\u0000"), which no shell argument can hold; remove it`,
    );
  }
  assertWellFormed(word, field);
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
