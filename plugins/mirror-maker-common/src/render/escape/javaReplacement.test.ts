import { javaReplacement } from './javaReplacement';

describe('javaReplacement', () => {
  it('escapes $ and \\ so Matcher.replaceAll writes them literally', () => {
    expect(javaReplacement('a$1\\b')).toBe('a\\$1\\\\b');
    expect(javaReplacement('plain')).toBe('plain');
  });

  it('reads back as the original under replacement-string rules', () => {
    const unreplace = (s: string) => s.replace(/\\(.)/g, '$1');
    for (const value of ['$0', '${name}', '\\', 'x$y\\z', '%n']) {
      const escaped = javaReplacement(value);
      expect(escaped).not.toMatch(/(^|[^\\])(\\\\)*\$/);
      expect(unreplace(escaped)).toBe(value);
    }
  });
});
