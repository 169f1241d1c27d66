/** Values an attacker (or an accident) might put in a spec, for the escaping tests. */
export const HOSTILE_VALUES: string[] = [
  'plain',
  '',
  ' leading and trailing ',
  'line\nbreak',
  'carriage\rreturn',
  'tab\there',
  'form\ffeed',
  '$(touch /tmp/pwned)',
  '`id`',
  'a; rm -rf /',
  "it's",
  '"double"',
  '\\back\\slash\\',
  '100%',
  '%n %i %%',
  '$HOME ${HOME} $$',
  '{{ lookup("pipe", "id") }}',
  '{% raw %}',
  '#not a comment',
  '!bang',
  'key=value:other',
  'ｓｅｃｕｒｉｔｙ．ｐｒｏｔｏｃｏｌ',
  'café ☕ 𝄞',
  '\u2028line\u2029separators\u0085nel',
  '\u00a0nbsp',
  '*?[glob]',
  '~user',
  '-flag',
  '\\n literal',
];

/** Hostile values that also hold a NUL character. */
export const NUL_VALUES = ['nul\u0000byte', '\u0000'];

/** More hostile values: regex bombs, YAML tricks, look-alikes, paths, lookups, a huge string. */
export const EXTRA_HOSTILE_VALUES: string[] = [
  '(a+)+$', // catastrophic backtracking in Java and JS
  '(x+x+)+y',
  '&anchor *anchor',
  '<<: *merge',
  'key: value\nother: 1',
  '- item',
  '? complex',
  'x'.repeat(100_000), // huge
  'о', // Cyrillic look-alike of "o"
  'ⅾc1', // small roman numeral look-alike of "d"
  '\u202eevil', // right-to-left override
  '..',
  '/etc/passwd',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '%00',
];

/** Whether a value fits on one line of any generated file (no control character or line separator). */
export function isSingleLine(value: string): boolean {
  return [...value].every(c => {
    const code = c.codePointAt(0)!;
    return (
      code >= 0x20 &&
      !(code >= 0x7f && code <= 0x9f) &&
      code !== 0x2028 &&
      code !== 0x2029
    );
  });
}

/** The hostile values that fit on one line. */
export const SINGLE_LINE_VALUES = HOSTILE_VALUES.filter(isSingleLine);

/** The hostile values no single-line syntax can carry. */
export const MULTI_LINE_VALUES = [
  ...HOSTILE_VALUES.filter(v => !isSingleLine(v)),
  ...NUL_VALUES,
];
