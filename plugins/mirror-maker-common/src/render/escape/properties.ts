/** Which side of a `.properties` line a text goes on: keys also need their spaces escaped. */
export type PropertiesPart = 'key' | 'value';

const NAMED_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\f': '\\f',
  '=': '\\=',
  ':': '\\:',
  '#': '\\#',
  '!': '\\!',
};

/** A character escapeProperties changes wherever it is (a space only sometimes). */
const NEEDS_ESCAPE = /[^\u0020-\u007e]|[\\=:#!]/;

/**
 * Escapes a key or value for a Java `.properties` file the way
 * `java.util.Properties.store` does, so that `Properties.load` reads back
 * exactly `text` and nothing in it can end the line, start a comment or
 * split key from value. Every character outside printable ASCII becomes a
 * `\uXXXX` escape (UTF-16 code units, as Java expects), so the file is
 * ASCII whatever its readers assume. Any string can be carried: nothing throws.
 */
export function escapeProperties(
  text: string,
  part: PropertiesPart = 'value',
): string {
  if (
    typeof text === 'string' &&
    !NEEDS_ESCAPE.test(text) &&
    (part === 'key' ? !text.includes(' ') : text.charCodeAt(0) !== 0x20)
  ) {
    return text;
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const named = NAMED_ESCAPES[c];
    if (named !== undefined) {
      out += named;
    } else if (c === ' ') {
      // Properties.load skips whitespace before a value and ends a key at a
      // space; an escaped space is kept.
      out += part === 'key' || i === 0 ? '\\ ' : ' ';
    } else {
      const code = text.charCodeAt(i);
      out +=
        code < 0x20 || code > 0x7e
          ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
          : c;
    }
  }
  return out;
}

const UNESCAPES: Record<string, string> = {
  t: '\t',
  n: '\n',
  r: '\r',
  f: '\f',
};

/**
 * Reverses {@link escapeProperties} for one key or value as
 * `Properties.load` reads it (`\uXXXX`, `\t`, `\n`, `\r`, `\f`; any other
 * escaped character stands for itself).
 */
export function unescapeProperties(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i === text.length - 1) {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex))
        throw new Error(`malformed \\uXXXX escape: \\u${hex}`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += UNESCAPES[next] ?? next;
    }
  }
  return out;
}
