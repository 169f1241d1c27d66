import { createHash, createHmac, timingSafeEqual } from 'crypto';

/** One host key line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  /** 1-based line number, for messages. */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** Comma-separated host patterns as written (`!`, `*`, `?`, `[host]:port`). */
  patterns: string[];
  /** A hashed host name (`|1|salt|hash`), matched by HMAC-SHA1. */
  hashed?: { salt: Buffer; hash: Buffer };
  keyType: string;
  /** The public key blob in SSH wire format. */
  key: Buffer;
}

/** Reads the leading SSH string of a key blob: its key type. */
export function keyTypeOf(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) {
    return undefined;
  }
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** OpenSSH's fingerprint of a key blob: `SHA256:` and unpadded base64. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256')
    .update(blob)
    .digest('base64')
    .replace(/=+$/, '')}`;
}

/**
 * Parses known_hosts text. Blank lines and `#` comments are skipped; every
 * other line must be `[@marker] patterns keytype base64 [comment]` with a
 * key blob of the named type, or it is reported as a problem.
 */
export function parseKnownHosts(text: string): {
  entries: KnownHostEntry[];
  problems: string[];
} {
  const entries: KnownHostEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1);
      if (name !== 'revoked' && name !== 'cert-authority') {
        problems.push(
          `line ${line}: unknown marker @${name} (known: @revoked, @cert-authority)`,
        );
        return;
      }
      marker = name;
    }
    if (fields.length < 3) {
      problems.push(
        `line ${line}: expected "hosts keytype base64-key", got ${fields.length} fields`,
      );
      return;
    }
    const [hosts, keyType, base64] = fields;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
      problems.push(`line ${line}: the key is not base64`);
      return;
    }
    const key = Buffer.from(base64, 'base64');
    if (keyTypeOf(key) !== keyType) {
      problems.push(
        `line ${line}: the key blob is not of type ${keyType} (it says ${
          keyTypeOf(key) ?? 'nothing readable'
        })`,
      );
      return;
    }
    const entry: KnownHostEntry = { line, patterns: [], keyType, key };
    if (marker) entry.marker = marker;
    if (hosts.startsWith('|')) {
      const match = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(hosts);
      if (!match) {
        problems.push(
          `line ${line}: a hashed host must be |1|salt|hash (base64)`,
        );
        return;
      }
      entry.hashed = {
        salt: Buffer.from(match[1], 'base64'),
        hash: Buffer.from(match[2], 'base64'),
      };
    } else {
      entry.patterns = hosts.split(',').filter(p => p !== '');
    }
    entries.push(entry);
  });
  return { entries, problems };
}

/** How known_hosts names a host reached at `port`: `host`, or `[host]:port` off port 22. */
export function knownHostsName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === 22 ? lower : `[${lower}]:${port}`;
}

function globMatch(pattern: string, name: string): boolean {
  const regex = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, c => `\\${c}`)
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(name);
}

/** Whether an entry names `name` (a {@link knownHostsName}). */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hashed) {
    const { salt, hash } = entry.hashed;
    const mine = createHmac('sha1', salt).update(name).digest();
    return mine.length === hash.length && timingSafeEqual(mine, hash);
  }
  let matched = false;
  for (const pattern of entry.patterns) {
    if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), name)) return false;
    } else if (globMatch(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

/** The outcome of checking a presented host key. */
export type HostKeyCheck =
  | { ok: true; line: number }
  | {
      ok: false;
      reason: 'unknown' | 'mismatch' | 'revoked';
      /** Fingerprints the known_hosts entries for the names list. */
      expected: string[];
    };

/**
 * Checks the key a host presented against the entries for any of `names`
 * (the node name and, when it is reached elsewhere, that address). A revoked
 * key is refused even when another line lists it; `@cert-authority` lines
 * are not used, since the target verifies plain host keys only.
 */
export function checkHostKey(
  entries: KnownHostEntry[],
  names: string[],
  presented: Buffer,
): HostKeyCheck {
  const relevant = entries.filter(
    e => e.marker !== 'cert-authority' && names.some(n => entryMatches(e, n)),
  );
  if (entries.some(e => e.marker === 'revoked' && e.key.equals(presented))) {
    return {
      ok: false,
      reason: 'revoked',
      expected: relevant.filter(e => !e.marker).map(e => fingerprint(e.key)),
    };
  }
  const listed = relevant.filter(e => !e.marker);
  const same = listed.find(e => e.key.equals(presented));
  if (same) return { ok: true, line: same.line };
  return {
    ok: false,
    reason: listed.length > 0 ? 'mismatch' : 'unknown',
    expected: listed.map(e => `${e.keyType} ${fingerprint(e.key)}`),
  };
}

/**
 * Host key algorithms to offer for a host, so the server signs with a key
 * type known_hosts lists (as OpenSSH orders them): empty when nothing is
 * listed, which leaves ssh2's defaults and lets the refusal name the key.
 */
export function hostKeyAlgorithms(
  entries: KnownHostEntry[],
  names: string[],
): string[] {
  const types = new Set<string>();
  for (const e of entries) {
    if (e.marker) continue;
    if (names.some(n => entryMatches(e, n))) types.add(e.keyType);
  }
  const algorithms: string[] = [];
  for (const type of types) {
    if (type === 'ssh-rsa') {
      algorithms.push('rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa');
    } else {
      algorithms.push(type);
    }
  }
  return algorithms;
}

/** The error for a refused host key: which host, what it presented, what was expected, what to do. */
export function describeRefusal(args: {
  host: string;
  address: string;
  port: number;
  presented: Buffer;
  check: Extract<HostKeyCheck, { ok: false }>;
}): string {
  const { host, address, port, presented, check } = args;
  const where =
    address === host ? `${host}:${port}` : `${host} (${address}:${port})`;
  const seen = `${keyTypeOf(presented) ?? 'unknown type'} ${fingerprint(
    presented,
  )}`;
  const line = `${knownHostsName(
    address === host ? host : address,
    port,
  )} ${keyTypeOf(presented)} ${presented.toString('base64')}`;
  switch (check.reason) {
    case 'revoked':
      return `host key of ${where} is revoked in mirrorMaker.deploy.ssh.knownHosts (it presented ${seen}); refusing to connect`;
    case 'mismatch':
      return `host key of ${where} does not match mirrorMaker.deploy.ssh.knownHosts: it presented ${seen}, but knownHosts lists ${check.expected.join(
        ', ',
      )}; refusing to connect (the host was reinstalled, or someone is in between). Check the key on the host, then replace the line`;
    default:
      return `host ${where} is not listed in mirrorMaker.deploy.ssh.knownHosts; it presented ${seen}. After checking that fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), add: ${line}`;
  }
}
