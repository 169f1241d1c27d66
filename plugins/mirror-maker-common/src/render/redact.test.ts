import { placedFiles } from './__testUtils__/bundleFiles';
import { hostileInput, twoDcInput } from './__testUtils__/inputs';
import { parseJavaProperties } from './__testUtils__/javaProperties';
import { renderBundle } from './bundle';
import { jaasQuote } from './escape/jaas';
import { redactBundle, SECRET_MARKER } from './redact';
import { RenderInput } from './types';

function secretsOf(input: RenderInput): string[] {
  return [input.source, input.target].flatMap(cluster => {
    const { tls, sasl } = cluster.security ?? {};
    return [
      tls?.truststorePassword,
      tls?.keystorePassword,
      tls?.keyPassword,
      sasl?.password,
    ].filter((s): s is string => s !== undefined);
  });
}

describe.each([
  ['two-dc', twoDcInput],
  ['hostile', hostileInput],
])('redactBundle (%s)', (_, input) => {
  const bundle = renderBundle(input);
  const redacted = redactBundle(bundle);

  it('removes every secret value from every file', () => {
    for (const file of placedFiles(redacted)) {
      for (const secret of secretsOf(input)) {
        expect([file.relative, file.content.includes(secret)]).toEqual([
          file.relative,
          false,
        ]);
        for (const value of parseJavaProperties(
          file.path.endsWith('.properties') ? file.content : '',
        ).values()) {
          expect(value.includes(secret)).toBe(false);
        }
      }
    }
  });

  it('keeps the keys, the user name and everything that is not secret', () => {
    const before = placedFiles(bundle);
    const after = placedFiles(redacted);
    expect(after.map(f => [f.relative, f.mode, f.secret])).toEqual(
      before.map(f => [f.relative, f.mode, f.secret]),
    );
    const expectedShown = (key: string, value: string) => {
      if (/password$/.test(key)) return SECRET_MARKER;
      if (key === 'sasl.jaas.config') {
        return value.replace(
          /password="(?:[^"\\]|\\.)*"/,
          `password="${SECRET_MARKER}"`,
        );
      }
      return value;
    };
    for (let k = 0; k < before.length; k++) {
      const original = parseJavaProperties(
        before[k].path.endsWith('.properties') ? before[k].content : '',
      );
      const expected = before[k].secret
        ? [...original].map(([key, value]) => [key, expectedShown(key, value)])
        : [...original];
      const shown = parseJavaProperties(
        after[k].path.endsWith('.properties') ? after[k].content : '',
      );
      expect([after[k].relative, [...shown]]).toEqual([
        after[k].relative,
        expected,
      ]);
    }
    const nonSecret = (b: typeof before) =>
      b.filter(f => !f.secret).map(f => f.content);
    expect(nonSecret(after)).toEqual(nonSecret(before));
  });

  it('replaces the SASL password and keeps the rest of the JAAS text', () => {
    const sasl = input.source.security!.sasl!;
    const loginModule =
      sasl.mechanism === 'PLAIN'
        ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
        : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    const consumer = redacted.nodes[0].files[0];
    expect(parseJavaProperties(consumer.content).get('sasl.jaas.config')).toBe(
      `${loginModule} required username=${jaasQuote(
        sasl.username,
      )} password="${SECRET_MARKER}";`,
    );
  });

  it('does not change the bundle it was given', () => {
    expect(renderBundle(input)).toEqual(bundle);
  });
});
