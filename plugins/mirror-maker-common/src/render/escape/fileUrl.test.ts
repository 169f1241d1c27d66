import { fileUrl } from './fileUrl';

describe('fileUrl', () => {
  it('keeps plain paths readable', () => {
    expect(fileUrl('/etc/kafka-mirror-maker/x/log4j-1.properties')).toBe(
      'file:/etc/kafka-mirror-maker/x/log4j-1.properties',
    );
  });

  it('percent-encodes what a URL would read differently', () => {
    expect(fileUrl('/a b/%/#/?/é')).toBe('file:/a%20b/%25/%23/%3F/%C3%A9');
    expect(decodeURIComponent(fileUrl('/x y$(id)').slice(5))).toBe('/x y$(id)');
  });

  it('rejects relative paths naming the field', () => {
    expect(() => fileUrl('etc/x', 'spec.install.configDir')).toThrow(
      /spec\.install\.configDir/,
    );
  });
});
