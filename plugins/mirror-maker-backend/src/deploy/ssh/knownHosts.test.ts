import { createHmac } from 'crypto';
import {
  checkHostKey,
  describeRefusal,
  entryMatches,
  fingerprint,
  hostKeyAlgorithms,
  keyTypeOf,
  knownHostsName,
  parseKnownHosts,
} from './knownHosts';

const KEY_A =
  'AAAAC3NzaC1lZDI1NTE5AAAAIMEm7Ux5lADfF7V4S3m9DvZr/Imkm0c42m7u2/V7gkd+';
const KEY_B =
  'AAAAC3NzaC1lZDI1NTE5AAAAIOgOkBtlNS0UH38w6gsqu8chhobEBV05dO1ppEPetizA';
/** A 1024-bit RSA public key (only its type matters here). */
const RSA =
  'AAAAB3NzaC1yc2EAAAADAQABAAAAgQDCteL1q2yINVkXE3NvbZ3oX9OwMZE0r/LttrO2e1qP/ht6/NlPXb20mMtn/7KXLstzbHV/Lp3e0uCfz5dWo3nx682fUDN2L1lJsm3ewp8N8tX+fdNRPi7X9CFDvkmVQ55p+XSs+Q0paynpdxnC/RbeXCSdMIGeqkjlTO4/K+OnDQ==';

const a = Buffer.from(KEY_A, 'base64');
const b = Buffer.from(KEY_B, 'base64');

function hashed(name: string, key: string): string {
  const salt = Buffer.from('0123456789abcdefghij');
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString(
    'base64',
  )} ssh-ed25519 ${key}`;
}

describe('parseKnownHosts', () => {
  it('reads lines, skipping blanks and comments', () => {
    const { entries, problems } = parseKnownHosts(
      [
        '# our nodes',
        '',
        `mm1.example.com,10.0.0.5 ssh-ed25519 ${KEY_A} root@mm1`,
        `@revoked * ssh-ed25519 ${KEY_B}`,
        `@cert-authority *.example.com ssh-ed25519 ${KEY_B}`,
        hashed('mm2.example.com', KEY_A),
        `[mm3.example.com]:2222 ssh-rsa ${RSA}`,
      ].join('\r\n'),
    );
    expect(problems).toEqual([]);
    expect(
      entries.map(e => [e.line, e.marker, e.patterns, e.keyType, !!e.hashed]),
    ).toEqual([
      [3, undefined, ['mm1.example.com', '10.0.0.5'], 'ssh-ed25519', false],
      [4, 'revoked', ['*'], 'ssh-ed25519', false],
      [5, 'cert-authority', ['*.example.com'], 'ssh-ed25519', false],
      [6, undefined, [], 'ssh-ed25519', true],
      [7, undefined, ['[mm3.example.com]:2222'], 'ssh-rsa', false],
    ]);
  });

  it.each([
    [
      'mm1 ssh-ed25519',
      'line 1: expected "hosts keytype base64-key", got 2 fields',
    ],
    ['mm1 ssh-ed25519 ***', 'line 1: the key is not base64'],
    [
      `mm1 ssh-rsa ${KEY_A}`,
      'line 1: the key blob is not of type ssh-rsa (it says ssh-ed25519)',
    ],
    [
      `@trusted mm1 ssh-ed25519 ${KEY_A}`,
      'line 1: unknown marker @trusted (known: @revoked, @cert-authority)',
    ],
    [
      `|1|abc ssh-ed25519 ${KEY_A}`,
      'line 1: a hashed host must be |1|salt|hash (base64)',
    ],
  ])('reports %j', (line, problem) => {
    expect(parseKnownHosts(line).problems).toEqual([problem]);
  });
});

describe('matching', () => {
  it('names hosts the way OpenSSH does', () => {
    expect(knownHostsName('MM1.example.com', 22)).toBe('mm1.example.com');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('matches globs, negations, ports and hashes', () => {
    const [glob, port, hash] = parseKnownHosts(
      [
        `*.dc2.example.com,!bad.dc2.example.com ssh-ed25519 ${KEY_A}`,
        `[10.0.0.?]:2222 ssh-ed25519 ${KEY_A}`,
        hashed('[mm9.example.com]:2222', KEY_A),
      ].join('\n'),
    ).entries;
    expect(entryMatches(glob, 'mm1.dc2.example.com')).toBe(true);
    expect(entryMatches(glob, 'bad.dc2.example.com')).toBe(false);
    expect(entryMatches(glob, 'mm1.dc2.example.com.evil.org')).toBe(false);
    expect(entryMatches(glob, 'mm1xdc2.example.com')).toBe(false);
    expect(entryMatches(port, '[10.0.0.7]:2222')).toBe(true);
    expect(entryMatches(port, '10.0.0.7')).toBe(false);
    expect(entryMatches(port, '[10.0.0.7]:22')).toBe(false);
    expect(entryMatches(hash, '[mm9.example.com]:2222')).toBe(true);
    expect(entryMatches(hash, 'mm9.example.com')).toBe(false);
  });
});

describe('checkHostKey', () => {
  const { entries } = parseKnownHosts(
    [
      `mm1.example.com ssh-ed25519 ${KEY_A}`,
      `[127.0.0.1]:2222 ssh-ed25519 ${KEY_B}`,
    ].join('\n'),
  );

  it('accepts the listed key under any of the names', () => {
    expect(checkHostKey(entries, ['mm1.example.com'], a)).toEqual({
      ok: true,
      line: 1,
    });
    expect(
      checkHostKey(entries, ['mm2.example.com', '[127.0.0.1]:2222'], b),
    ).toEqual({ ok: true, line: 2 });
  });

  it('refuses another key for a listed host', () => {
    expect(checkHostKey(entries, ['mm1.example.com'], b)).toEqual({
      ok: false,
      reason: 'mismatch',
      expected: [`ssh-ed25519 ${fingerprint(a)}`],
    });
  });

  it('refuses a host nobody listed, even with a key listed elsewhere', () => {
    expect(checkHostKey(entries, ['mm2.example.com'], a)).toEqual({
      ok: false,
      reason: 'unknown',
      expected: [],
    });
  });

  it('refuses a revoked key even when listed', () => {
    const withRevoked = parseKnownHosts(
      [
        `mm1.example.com ssh-ed25519 ${KEY_A}`,
        `@revoked * ssh-ed25519 ${KEY_A}`,
      ].join('\n'),
    ).entries;
    expect(checkHostKey(withRevoked, ['mm1.example.com'], a)).toMatchObject({
      ok: false,
      reason: 'revoked',
    });
  });

  it('does not take a certificate authority line as a host key', () => {
    const ca = parseKnownHosts(
      `@cert-authority * ssh-ed25519 ${KEY_A}`,
    ).entries;
    expect(checkHostKey(ca, ['mm1.example.com'], a)).toMatchObject({
      ok: false,
      reason: 'unknown',
    });
  });
});

describe('keys', () => {
  it('reads the type and fingerprints like ssh-keygen -l', () => {
    expect(keyTypeOf(a)).toBe('ssh-ed25519');
    expect(keyTypeOf(Buffer.from([0, 0, 0, 200, 1]))).toBeUndefined();
    expect(fingerprint(a)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('offers the listed key types, RSA with its SHA-2 signatures', () => {
    const { entries } = parseKnownHosts(
      [
        `[mm3.example.com]:2222 ssh-rsa ${RSA}`,
        `[mm3.example.com]:2222 ssh-ed25519 ${KEY_A}`,
        `@revoked [mm3.example.com]:2222 ssh-ed25519 ${KEY_B}`,
      ].join('\n'),
    );
    expect(hostKeyAlgorithms(entries, ['[mm3.example.com]:2222'])).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
    ]);
    expect(hostKeyAlgorithms(entries, ['other'])).toEqual([]);
  });
});

describe('describeRefusal', () => {
  it('gives the line to add for an unknown host', () => {
    expect(
      describeRefusal({
        host: 'mm1.dc2.example.com',
        address: '127.0.0.1',
        port: 2222,
        presented: a,
        check: { ok: false, reason: 'unknown', expected: [] },
      }),
    ).toBe(
      `host mm1.dc2.example.com (127.0.0.1:2222) is not listed in mirrorMaker.deploy.ssh.knownHosts; it presented ssh-ed25519 ${fingerprint(
        a,
      )}. After checking that fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), add: [127.0.0.1]:2222 ssh-ed25519 ${KEY_A}`,
    );
  });

  it('names both keys on a mismatch', () => {
    const message = describeRefusal({
      host: 'mm1.example.com',
      address: 'mm1.example.com',
      port: 22,
      presented: b,
      check: {
        ok: false,
        reason: 'mismatch',
        expected: [`ssh-ed25519 ${fingerprint(a)}`],
      },
    });
    expect(message).toContain('host key of mm1.example.com:22 does not match');
    expect(message).toContain(`it presented ssh-ed25519 ${fingerprint(b)}`);
    expect(message).toContain(`knownHosts lists ssh-ed25519 ${fingerprint(a)}`);
  });
});
