import { execFileSync } from 'child_process';
import { HOSTILE_VALUES, NUL_VALUES } from '../../testing/hostile';
import { shellQuote } from './shell';

/** The argument vector bash builds from `words`, NUL-separated so newlines survive. */
function argv(words: string): string[] {
  const out = execFileSync('bash', ['-c', `printf '%s\\0' ${words}`], {
    encoding: 'utf8',
  });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('gives bash exactly one word per value, unchanged', () => {
    const words = HOSTILE_VALUES.map(v => shellQuote(v)).join(' ');
    expect(argv(words)).toEqual(HOSTILE_VALUES);
  });

  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('/opt/kafka')).toBe('/opt/kafka');
    expect(shellQuote('-Xmx2G')).toBe('-Xmx2G');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$(id)')).toBe("'$(id)'");
    expect(shellQuote('~user')).toBe("'~user'");
  });

  it.each(NUL_VALUES.map(v => [v]))('rejects %j naming the field', value => {
    expect(() => shellQuote(value, 'spec.install.kafkaHome')).toThrow(
      /spec\.install\.kafkaHome contains a NUL/,
    );
  });

  it('rejects unpaired surrogates', () => {
    expect(() => shellQuote('a\ud800b', 'f')).toThrow(/f contains an unpaired/);
  });
});
