import { checkTopicRegex, quoteTopicName } from './regex';

describe('checkTopicRegex', () => {
  it.each([
    '.*\\.dc1',
    'orders\\.dc1|payments\\.dc1',
    '(?i)ORDERS\\..*',
    '[a-z]+\\.dc[12]',
  ])('accepts %s', regex => expect(checkTopicRegex(regex)).toEqual([]));

  it.each([
    ['', /is empty/],
    ['a{1,3}', /MirrorMaker replaces commas/],
    ['orders .*', /whitespace/],
    ["'.*'", /quote/],
    ['(?!internal).*', /not accepted by RE2/],
    ['(a)\\1', /not accepted by RE2/],
    ['a*+', /not accepted by RE2/],
    ['(?>a)', /not accepted by RE2/],
    ['(?U).*', /ungreedy/],
    ['\\v', /vertical/],
    ['[a-z&&[^b]]', /intersection/],
    ['[[a]]', /nested class/],
    ['.*\n', /control character/],
    ['.*\u0000', /control character/],
    ['orders\u2028', /control character/],
    ['оrders', /non-ASCII/], // Cyrillic o
    ['x'.repeat(5000), /at most 4096/],
    ['(', /not accepted by RE2/],
  ])('rejects %j', (regex, message) => {
    expect(checkTopicRegex(regex).join('; ')).toMatch(message);
  });

  it('matches catastrophic patterns in linear time (RE2)', () => {
    // (a+)+$ is the classic backtracking bomb for java.util.regex and JS.
    expect(checkTopicRegex('(a+)+b')).toEqual([]);
  });
});

describe('quoteTopicName', () => {
  it('escapes dots only', () => {
    expect(quoteTopicName('team_a.orders-v2.dc1')).toBe(
      'team_a\\.orders-v2\\.dc1',
    );
  });
});
