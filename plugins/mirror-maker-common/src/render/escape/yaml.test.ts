import { parse, parseDocument } from 'yaml';
import { HOSTILE_VALUES, NUL_VALUES } from '../../testing/hostile';
import { yamlString } from './yaml';

describe('yamlString', () => {
  const all = [
    ...HOSTILE_VALUES,
    ...NUL_VALUES,
    '- item',
    'key: value',
    '&anchor *alias !tag',
    'null',
    'true',
    '0x10',
  ];

  it.each(all.map(v => [v]))('round-trips %j through YAML and JSON', value => {
    const quoted = yamlString(value);
    expect(JSON.parse(quoted)).toBe(value);
    const doc = parseDocument(`a: ${quoted}\nb: 1\n`);
    expect(doc.errors).toEqual([]);
    expect(doc.toJS()).toEqual({ a: value, b: 1 });
    expect(
      parse(`- !unsafe ${quoted}\n`, {
        customTags: [{ tag: '!unsafe', resolve: (s: string) => s }],
      }),
    ).toEqual([value]);
  });

  it('escapes what YAML reads as a line break or cannot hold raw', () => {
    expect(yamlString('\u2028\u0085\u007f\ufeff')).toBe(
      '"\\u2028\\u0085\\u007f\\ufeff"',
    );
    expect(yamlString('{{ x }}')).toBe('"{{ x }}"');
  });

  it('writes a single line', () => {
    for (const value of all)
      expect(yamlString(value)).not.toMatch(/[\n\r\u2028\u2029\u0085]/);
  });

  it('rejects unpaired surrogates naming the field', () => {
    expect(() => yamlString('\udc00', 'spec.monitoring.labels.env')).toThrow(
      /spec\.monitoring\.labels\.env contains an unpaired/,
    );
  });
});
