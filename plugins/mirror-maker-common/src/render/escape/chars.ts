/**
 * Character checks shared by the escaping functions. Each one names the
 * field it was given in its error, so a user can tell which value to fix.
 */

/** Describes a character for an error message: `"\n" (U+000A)`. */
export function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return `${JSON.stringify(c)} (U+${hex})`;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Index of the first unpaired UTF-16 surrogate, or -1 (such a string cannot be written as UTF-8). */
export function findLoneSurrogate(text: string): number {
  // Most text holds no surrogate at all: a regex scan is much faster.
  if (!SURROGATE.test(text)) return -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return i;
  }
  return -1;
}

/**
 * C0 and C1 control characters, DEL, and the Unicode line and paragraph
 * separators: characters that end a line (or may, for some parser) or that
 * no configuration value has any business holding.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * {@link CONTROL} or any surrogate: one scan that clears almost every value,
 * so only a value it matches is scanned again for what exactly is wrong.
 */
const CONTROL_OR_SURROGATE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/;

/**
 * Throws unless `value` can be written on one line of a UTF-8 text file:
 * no control character, no line separator, no unpaired surrogate.
 */
export function assertSingleLine(
  value: string,
  field: string,
  target: string,
): void {
  if (!CONTROL_OR_SURROGATE.test(value)) return;
  const match = CONTROL.exec(value);
  if (match) {
    throw new Error(
      `${field} contains the control character ${describeChar(
        match[0],
      )}, which ${target} cannot carry; remove it`,
    );
  }
  assertWellFormed(value, field);
}

/** Throws if `value` holds an unpaired surrogate (it cannot be encoded as UTF-8). */
export function assertWellFormed(value: string, field: string): void {
  const at = findLoneSurrogate(value);
  if (at >= 0) {
    const hex = value.charCodeAt(at).toString(16).toUpperCase();
    throw new Error(
      `${field} contains an unpaired UTF-16 surrogate (U+${hex}) at index ${at}, which cannot be written as UTF-8`,
    );
  }
}
