import {
  HOSTILE_VALUES,
  isSingleLine,
  NUL_VALUES,
} from '../../testing/hostile';
import { promLabelValue } from './promql';

/** Reads a PromQL double-quoted string literal (Go escapes) back. */
function unquote(literal: string): string {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"' || c === '\n') throw new Error('string ends early');
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++i];
    if (next === 'u') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      out += (
        { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' } as Record<
          string,
          string
        >
      )[next];
    }
  }
  return out;
}

describe('promLabelValue', () => {
  it.each([...HOSTILE_VALUES, ...NUL_VALUES].map(v => [v]))(
    'round-trips %j',
    value => {
      const escaped = promLabelValue(value);
      expect(isSingleLine(escaped)).toBe(true);
      expect(unquote(`"${escaped}"`)).toBe(value);
    },
  );

  it('escapes backslash, quote and newline', () => {
    expect(promLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});
