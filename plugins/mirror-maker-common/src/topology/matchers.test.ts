import { MirrorMakerTopics } from '../kind/types';
import { effectiveTopics } from '../topics/effective';
import {
  createMatcher,
  lastDotSuffix,
  MatchCache,
  suffixSetOfPattern,
} from './matchers';

describe('lastDotSuffix', () => {
  it('returns the text after the last dot, wherever the dot is', () => {
    expect(lastDotSuffix('orders.dc1')).toBe('dc1');
    expect(lastDotSuffix('.dc1')).toBe('dc1');
    expect(lastDotSuffix('orders.')).toBe('');
    expect(lastDotSuffix('orders')).toBeUndefined();
  });
});

describe('suffixSetOfPattern', () => {
  it.each([
    ['.*\\.dc1', ['dc1']],
    ['^.*\\.dc1$', ['dc1']],
    ['.*\\.dc1|.*\\.dc2', ['dc1', 'dc2']],
    ['.*\\.(dc1|dc2)', ['dc1', 'dc2']],
    ['.*\\.(?:dc-1|dc_2)', ['dc-1', 'dc_2']],
  ])('reads %s as suffixes %j', (pattern, suffixes) => {
    expect(suffixSetOfPattern(pattern)).toEqual(suffixes);
  });

  it.each([
    '.*dc1',
    '.+\\.dc1',
    '.*\\.dc.',
    'orders\\..*\\.dc1',
    '(.*\\.dc1)|.*\\.dc2',
    '.*\\.(dc1|dc2)|x',
    '.*',
  ])('leaves %s to RE2', pattern => {
    expect(suffixSetOfPattern(pattern)).toBeUndefined();
  });
});

describe('MatchCache', () => {
  const specs: [MirrorMakerTopics, string[]?][] = [
    [{ suffix: 'dc1' }],
    [{ suffix: 'dc1' }, ['audit', 'x.dc2']],
    [{ suffix: 'dc1', exclude: 'internal\\..*' }],
    [{ suffix: 'dc1', exclude: 'internal\\..*' }, ['internal.dc1']],
    [{ suffix: 'dc.1' }],
    [{ include: '.*\\.dc1|.*\\.dc2' }],
    [{ include: '.*\\.(dc1|dc2)' }, ['legacy']],
    [{ include: '.*' }],
    [{ include: 'orders\\..*' }],
    [{ include: '.*\\.dc2', exclude: 'a.*' }],
    [{ names: ['orders.dc1', 'payments.dc1'] }],
    [{ names: ['orders.dc1'] }, ['audit']],
    [{ names: ['orders.dc1', 'internal.dc1'], exclude: 'internal\\..*' }],
    [{ names: [] }],
  ];
  const names = [
    'orders.dc1',
    'payments.dc1',
    'internal.dc1',
    'internal.dc2',
    'a.dc2',
    'b.dc2',
    'x.dc2',
    'x.dcx1',
    '.dc1',
    'dc1',
    'orders.',
    'orders.dc1.bak',
    'orders.x',
    'audit',
    'legacy',
    '__probe__.dc1',
    '__probe__.dc2',
  ];

  it.each(
    specs.map(([topics, approved]) => [
      JSON.stringify(topics),
      topics,
      approved,
    ]),
  )('agrees with effectiveTopics for %s', (_, topics, approved) => {
    const matcher = createMatcher(topics, approved);
    const effective = effectiveTopics(topics, approved);
    const cache = new MatchCache();
    for (const name of names) {
      expect([name, cache.matches(matcher, name)]).toEqual([
        name,
        effective.matches(name),
      ]);
      // a second, cached answer is the same
      expect(cache.matches(matcher, name)).toBe(effective.matches(name));
    }
  });

  it('takes the fast path for suffix and names rules', () => {
    expect(createMatcher({ suffix: 'dc1' }, []).exact).toBe(true);
    expect(createMatcher({ names: ['a.dc1'] }, []).exact).toBe(true);
    expect(createMatcher({ include: '.*\\.(dc1|dc2)' }, []).exact).toBe(true);
    const excluded = createMatcher({ suffix: 'dc1', exclude: 'x.*' }, []);
    expect(excluded.exact).toBe(false);
    expect([...excluded.suffixes!]).toEqual(['dc1']);
    expect(createMatcher({ include: '.*' }, []).suffixes).toBeUndefined();
  });

  it('reports a pattern that cannot be compiled and matches nothing', () => {
    const matcher = createMatcher({ include: '(?=a).*' }, []);
    expect(matcher.error).toBeDefined();
    expect(new MatchCache().matches(matcher, 'a.dc1')).toBe(false);
  });
});
