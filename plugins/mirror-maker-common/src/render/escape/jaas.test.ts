import { MULTI_LINE_VALUES, SINGLE_LINE_VALUES } from '../../testing/hostile';
import { jaasQuote } from './jaas';

/**
 * Reads `name="value"` options the way java.io.StreamTokenizer (used by
 * Kafka's JaasConfig) reads a quoted string: up to the closing quote or a
 * line end, with backslash escapes.
 */
function parseOptions(text: string): Record<string, string> {
  const options: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const name = text.slice(i, eq).trim();
    if (text[eq + 1] !== '"') throw new Error('expected a quote');
    let value = '';
    let j = eq + 2;
    for (; text[j] !== '"'; j++) {
      if (j >= text.length || text[j] === '\n' || text[j] === '\r') {
        throw new Error('unterminated string');
      }
      if (text[j] === '\\') j++;
      value += text[j];
    }
    options[name] = value;
    i = j + 1;
  }
  return options;
}

describe('jaasQuote', () => {
  it.each(SINGLE_LINE_VALUES.map(v => [v]))(
    'keeps %j inside its option',
    value => {
      const text = `username=${jaasQuote('mm')} password=${jaasQuote(value)}`;
      expect(parseOptions(text)).toEqual({ username: 'mm', password: value });
    },
  );

  it('escapes backslashes and quotes', () => {
    expect(jaasQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it.each(MULTI_LINE_VALUES.map(v => [v]))(
    'rejects %j naming the field',
    value => {
      expect(() =>
        jaasQuote(value, 'mirrorMaker.clusters.dc1.security.sasl.password'),
      ).toThrow(
        /mirrorMaker\.clusters\.dc1\.security\.sasl\.password contains the control character/,
      );
    },
  );
});
