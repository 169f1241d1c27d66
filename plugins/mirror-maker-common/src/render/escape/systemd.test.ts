import { MULTI_LINE_VALUES, SINGLE_LINE_VALUES } from '../../testing/hostile';
import { systemdEnvironment, systemdQuote, systemdValue } from './systemd';

const C_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/**
 * Reads a command line as systemd's ExecStart does for our output: words,
 * double quotes with C escapes, then `%%` -> `%` and `$$` -> `$`; a lone `%`
 * or `$` would be a specifier or variable, which must never happen.
 */
function parseExecStart(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    let word = '';
    if (line[i] === '"') {
      i++;
      while (line[i] !== '"') {
        if (i >= line.length) throw new Error('unbalanced quoting');
        if (line[i] === '\\') {
          const next = line[i + 1];
          if (!(next in C_ESCAPES))
            throw new Error(`unexpected escape \\${next}`);
          word += C_ESCAPES[next];
          i += 2;
        } else {
          word += line[i++];
        }
      }
      i++;
    } else {
      while (i < line.length && line[i] !== ' ') word += line[i++];
    }
    if (/%[^%]|%$/.test(word.replace(/%%/g, '')))
      throw new Error(`specifier in ${word}`);
    if (/\$[^$]|\$$/.test(word.replace(/\$\$/g, '')))
      throw new Error(`variable in ${word}`);
    words.push(word.replace(/%%/g, '%').replace(/\$\$/g, '$'));
  }
  return words;
}

describe('systemdQuote', () => {
  it('gives systemd exactly one argument per value, unchanged', () => {
    const line = SINGLE_LINE_VALUES.map(v => systemdQuote(v)).join(' ');
    expect(parseExecStart(`/bin/bash ${line}`)).toEqual([
      '/bin/bash',
      ...SINGLE_LINE_VALUES,
    ]);
  });

  it('escapes quotes, backslashes, $ and %', () => {
    expect(systemdQuote('a"b\\c$d%e')).toBe('"a\\"b\\\\c$$d%%e"');
  });

  it.each(MULTI_LINE_VALUES.map(v => [v]))(
    'rejects %j naming the field',
    value => {
      expect(() => systemdQuote(value, 'spec.install.binDir')).toThrow(
        /spec\.install\.binDir contains the control character/,
      );
    },
  );
});

describe('systemdValue', () => {
  it('doubles % and keeps everything else', () => {
    expect(systemdValue('Mirror 100% %n')).toBe('Mirror 100%% %%n');
    expect(systemdValue('kafka')).toBe('kafka');
  });

  it.each([
    ['line\nbreak', /control character/],
    ['nul\u0000', /control character/],
    [' padded', /whitespace/],
    ['continued\\', /line continuation/],
  ])('rejects %j naming the field', (value, message) => {
    expect(() => systemdValue(value, 'spec.install.user')).toThrow(
      /spec\.install\.user/,
    );
    expect(() => systemdValue(value, 'spec.install.user')).toThrow(message);
  });
});

describe('systemdEnvironment', () => {
  it('quotes one assignment without touching $', () => {
    expect(systemdEnvironment('KAFKA_HOME', '/opt/kafka $HOME "x" 5%')).toBe(
      '"KAFKA_HOME=/opt/kafka $HOME \\"x\\" 5%%"',
    );
  });

  it('rejects bad names and line breaks', () => {
    expect(() => systemdEnvironment('A B', 'x')).toThrow(
      /environment variable name/,
    );
    expect(() =>
      systemdEnvironment('A', 'x\ny', 'spec.install.kafkaHome'),
    ).toThrow(/spec\.install\.kafkaHome/);
  });
});
