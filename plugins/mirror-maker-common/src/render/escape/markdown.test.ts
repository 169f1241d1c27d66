import { markdownCode } from './markdown';

describe('markdownCode', () => {
  it('uses a fence longer than any backtick run', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode('<script>')).toBe('`<script>`');
  });

  it('escapes | in table cells only', () => {
    expect(markdownCode('a|b', 'f', true)).toBe('`a\\|b`');
    expect(markdownCode('a|b')).toBe('`a|b`');
  });

  it('rejects line breaks naming the field', () => {
    expect(() => markdownCode('a\nb', 'spec.groupId')).toThrow(/spec\.groupId/);
  });
});
