import { parseJavaProperties } from '../__testUtils__/javaProperties';
import { HOSTILE_VALUES, NUL_VALUES } from '../../testing/hostile';
import { escapeProperties, unescapeProperties } from './properties';

describe('escapeProperties', () => {
  const all = [...HOSTILE_VALUES, ...NUL_VALUES];

  it.each(all.map(v => [v]))(
    'round-trips %j as a value and as a key',
    value => {
      const key = `k${value}`;
      const text = `# header\n${escapeProperties(
        key,
        'key',
      )}=${escapeProperties(value)}\nnext=1\n`;
      const parsed = parseJavaProperties(text);
      expect([...parsed.keys()]).toEqual([key, 'next']);
      expect(parsed.get(key)).toBe(value);
      expect(unescapeProperties(escapeProperties(value))).toBe(value);
    },
  );

  it('writes ASCII only, one line', () => {
    for (const value of all) {
      const escaped = escapeProperties(value);
      expect(escaped).toMatch(/^[\x20-\x7e]*$/);
    }
  });

  it('escapes like Properties.store', () => {
    expect(escapeProperties('a b=c:d#e!f\\g')).toBe('a b\\=c\\:d\\#e\\!f\\\\g');
    expect(escapeProperties('a b', 'key')).toBe('a\\ b');
    expect(escapeProperties(' x')).toBe('\\ x');
    expect(escapeProperties('é\n')).toBe('\\u00E9\\n');
    expect(escapeProperties('𝄞')).toBe('\\uD834\\uDD1E');
  });

  it('cannot add a key', () => {
    const parsed = parseJavaProperties(
      `a=${escapeProperties('x\nsecurity.protocol=PLAINTEXT')}\n`,
    );
    expect([...parsed.keys()]).toEqual(['a']);
  });
});
