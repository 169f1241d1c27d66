import { commentText } from './comment';

describe('commentText', () => {
  it('returns single-line text unchanged', () => {
    expect(commentText('deployment dc1-to-dc2 #1 $(id)')).toBe(
      'deployment dc1-to-dc2 #1 $(id)',
    );
  });

  it.each(['a\nb', 'a\rb', 'a\u2028b', 'a\u0085b', 'a\u0000b'])(
    'rejects %j naming the field',
    value => {
      expect(() => commentText(value, 'metadata.name')).toThrow(
        /metadata\.name contains the control character/,
      );
    },
  );
});
