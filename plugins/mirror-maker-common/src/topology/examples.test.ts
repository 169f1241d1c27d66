import { exampleCandidates, shortestMatches } from './examples';

describe('shortestMatches', () => {
  it.each([
    ['orders\\..*', ['orders.']],
    ['orders\\..*|payments', ['orders.', 'payments']],
    ['(?:orders|pay)\\.dc[12]', ['pay.dc1']],
    ['team-[a-z]+\\.\\d{2}\\.dc1', ['team-a.00.dc1']],
    ['^[^.]+\\.dc1$', ['x.dc1']],
    ['\\Qa.b\\E.*', ['a.b']],
    ['(?i)orders.+', ['ordersx']],
    ['.*', ['']],
  ])('reads %s', (pattern, expected) => {
    expect(shortestMatches(pattern)).toEqual(expected);
  });

  it.each(['(unclosed', '[a-', 'a{x}', '\\p{L}'])('gives up on %s', pattern => {
    expect(shortestMatches(pattern)).toEqual([]);
  });
});

describe('exampleCandidates', () => {
  it('appends each suffix to the shortest match', () => {
    expect(exampleCandidates('orders\\..*', ['dc1', 'dc2'])).toEqual([
      'orders.',
      'orders.dc1',
      'orders..dc1',
      'orders.dc2',
      'orders..dc2',
    ]);
    expect(exampleCandidates('.*orders', ['dc1'])).toEqual([
      'orders',
      'ordersdc1',
      'orders.dc1',
    ]);
  });
});
