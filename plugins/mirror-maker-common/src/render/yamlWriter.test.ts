import { parseYaml } from './__testUtils__/yaml';
import { renderYaml, YamlValue } from './yamlWriter';

describe('renderYaml', () => {
  it('writes nested maps and lists that parse back', () => {
    const value: YamlValue = {
      a: 'text',
      'weird key: x': 1,
      yes: true,
      list: ['x', { k: 'v', n: [1, 2] }, [], {}],
      nested: { deeper: { leaf: null } },
    };
    const text = renderYaml(value, ['header'], true);
    expect(text.startsWith('---\n# header\n')).toBe(true);
    expect(parseYaml(text)).toEqual(value);
  });

  it('tags unsafe strings for Ansible', () => {
    const text = renderYaml({ v: { unsafe: '{{ lookup("pipe", "id") }}' } });
    expect(text).toBe('v: !unsafe "{{ lookup(\\"pipe\\", \\"id\\") }}"\n');
    expect(parseYaml(text)).toEqual({ v: '{{ lookup("pipe", "id") }}' });
  });

  it('cannot be given a header that breaks the line', () => {
    expect(() => renderYaml({}, ['a\nb: c'])).toThrow(
      /header contains the control character/,
    );
  });
});
