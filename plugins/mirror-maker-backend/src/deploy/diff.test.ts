import { diffRevisions, unifiedDiff } from './diff';

describe('unifiedDiff', () => {
  it('gives nothing for equal texts', () => {
    expect(unifiedDiff('a', 'x\ny', 'x\ny')).toBe('');
  });

  it('shows a changed line with context and correct hunk ranges', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join(
      '\n',
    );
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10'].join(
      '\n',
    );
    expect(unifiedDiff('f.properties', before, after)).toBe(
      [
        '--- a/f.properties',
        '+++ b/f.properties',
        '@@ -2,7 +2,7 @@',
        ' 2',
        ' 3',
        ' 4',
        '-5',
        '+five',
        ' 6',
        ' 7',
        ' 8',
        '',
      ].join('\n'),
    );
  });

  it('splits distant changes into two hunks', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `l${i}`);
    const changed = [...lines];
    changed[2] = 'x';
    changed[25] = 'y';
    const patch = unifiedDiff('f', lines.join('\n'), changed.join('\n'));
    expect(patch.match(/^@@/gm)).toHaveLength(2);
    expect(patch).toContain('-l2\n+x');
    expect(patch).toContain('-l25\n+y');
  });
});

describe('diffRevisions', () => {
  it('lists added, removed, changed and same files, and mode changes', () => {
    const diff = diffRevisions(
      [
        { path: 'a', mode: '0644', content: 'one' },
        { path: 'b', mode: '0644', content: 'same' },
        { path: 'c', mode: '0644', content: 'gone' },
        { path: 'd', mode: '0644', content: 'x' },
      ],
      [
        { path: 'a', mode: '0644', content: 'two' },
        { path: 'b', mode: '0644', content: 'same' },
        { path: 'd', mode: '0755', content: 'x' },
        { path: 'e', mode: '0644', content: 'new' },
      ],
    );
    expect(diff.map(d => [d.path, d.status, d.mode])).toEqual([
      ['a', 'changed', undefined],
      ['b', 'same', undefined],
      ['c', 'removed', undefined],
      ['d', 'changed', '0644 -> 0755'],
      ['e', 'added', undefined],
    ]);
    expect(diff[0].patch).toContain('-one\n+two');
  });
});
