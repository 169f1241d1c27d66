import { MULTI_LINE_VALUES, SINGLE_LINE_VALUES } from '../../testing/hostile';
import { nrqlString } from './nrql';

function unquote(literal: string): string {
  expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "'") throw new Error('string ends early');
    if (body[i] === '\\') i++;
    out += body[i];
  }
  return out;
}

describe('nrqlString', () => {
  it.each(SINGLE_LINE_VALUES.map(v => [v]))(
    'keeps %j one string literal',
    value => {
      expect(unquote(nrqlString(value))).toBe(value);
    },
  );

  it("escapes ' and \\", () => {
    expect(nrqlString("it's \\ here")).toBe("'it\\'s \\\\ here'");
  });

  it.each(MULTI_LINE_VALUES.map(v => [v]))(
    'rejects %j naming the field',
    value => {
      expect(() => nrqlString(value, 'metadata.name')).toThrow(
        /metadata\.name contains the control character/,
      );
    },
  );
});
