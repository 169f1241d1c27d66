import { topicSuffix, validateTopicName } from './names';

describe('validateTopicName', () => {
  it.each(['orders.dc1', 'a', 'A-b_c.9', 'x'.repeat(249)])(
    'accepts %s',
    name => {
      expect(validateTopicName(name)).toBeUndefined();
    },
  );

  it.each([
    ['', /empty/],
    ['x'.repeat(250), /250 characters long; Kafka accepts at most 249/],
    ['.', /reserved/],
    ['..', /reserved/],
    ['orders dc1', /contains " "/],
    ['orders\n.dc1', /contains "\\n"/],
    ['orders$(id)', /contains "\$"/],
    ['ordérs', /contains "é"/],
  ])('rejects %j', (name, message) => {
    expect(validateTopicName(name)).toMatch(message);
  });
});

describe('topicSuffix', () => {
  it('returns the part after the last dot', () => {
    expect(topicSuffix('orders.dc1')).toBe('dc1');
    expect(topicSuffix('team.orders.dc2')).toBe('dc2');
  });

  it('returns undefined when there is no suffix', () => {
    expect(topicSuffix('orders')).toBeUndefined();
    expect(topicSuffix('orders.')).toBeUndefined();
    expect(topicSuffix('.hidden')).toBeUndefined();
  });
});
