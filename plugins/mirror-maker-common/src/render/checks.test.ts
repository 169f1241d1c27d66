import {
  requireAbsolutePath,
  requireBroker,
  requireHost,
  sanitizeIdPart,
} from './checks';

describe('checks', () => {
  it.each([
    'mm1',
    'mm1.dc2.example.com',
    '10.0.0.1',
    '2001:db8::1',
    'localhost',
  ])('accepts host %s', host => {
    expect(requireHost(host, 'f')).toBe(host);
  });

  it.each(['', 'a b', 'mm[1:3]', 'x;y', '-flag', 'a..b', 'é.example'])(
    'rejects host %j',
    host => {
      expect(() => requireHost(host, 'spec.placement.nodes[0]')).toThrow(
        /spec\.placement\.nodes\[0\]/,
      );
    },
  );

  it.each(['kafka:9092', '[2001:db8::1]:9093', '10.0.0.1:1'])(
    'accepts broker %s',
    broker => {
      expect(requireBroker(broker, 'f')).toBe(broker);
    },
  );

  it.each(['kafka', 'kafka:0', 'kafka:65536', 'a:1,b:2', 'a b:1'])(
    'rejects broker %j',
    broker => {
      expect(() => requireBroker(broker, 'brokers[0]')).toThrow(/brokers\[0\]/);
    },
  );

  it.each(['/', '/a//b', '/a/./b', '/a/../b', '/a/', 'a'])(
    'rejects path %j',
    path => {
      expect(() => requireAbsolutePath(path, 'spec.install.configDir')).toThrow(
        /spec\.install\.configDir/,
      );
    },
  );

  it('sanitizes id parts', () => {
    expect(sanitizeIdPart('2001:db8::1')).toBe('2001_db8__1');
    expect(sanitizeIdPart('mm1.dc2-x_y')).toBe('mm1.dc2-x_y');
  });
});
