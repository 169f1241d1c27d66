import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { checkPrivateKey, readSshSettings, SSH_DEFAULTS } from './config';
import { SshDeployTarget } from './SshDeployTarget';

const ED25519_LINE =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMEm7Ux5lADfF7V4S3m9DvZr/Imkm0c42m7u2/V7gkd+';

function settings(ssh: JsonObject) {
  return readSshSettings(new ConfigReader(ssh));
}

function keyPair(passphrase = ''): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-ssh-key-'));
  try {
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      passphrase,
      '-f',
      path.join(dir, 'key'),
    ]);
    return fs.readFileSync(path.join(dir, 'key'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const hasKeygen = (() => {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as { status?: number }).status !== undefined;
  }
})();
const describeWithKeygen = hasKeygen ? describe : describe.skip;

describe('readSshSettings', () => {
  it('applies the defaults', () => {
    expect(settings({ knownHosts: `host ${ED25519_LINE}` })).toEqual({
      ...SSH_DEFAULTS,
      knownHosts: [expect.objectContaining({ patterns: ['host'] })],
      hosts: {},
    });
    expect(readSshSettings(undefined)).toBeUndefined();
  });

  it('reads every key', () => {
    expect(
      settings({
        user: 'deploy',
        port: 2222,
        privateKeyFile: '/etc/backstage/id_ed25519',
        passphrase: 'secret',
        knownHosts: `[127.0.0.1]:2222 ${ED25519_LINE}`,
        hosts: { 'mm1.dc2.example.com': { address: '127.0.0.1', port: 2222 } },
        serviceManager: 'direct',
        connectTimeoutMs: 5000,
        commandTimeoutMs: 30000,
        sudo: true,
      }),
    ).toMatchObject({
      user: 'deploy',
      port: 2222,
      privateKeyFile: '/etc/backstage/id_ed25519',
      passphrase: 'secret',
      hosts: { 'mm1.dc2.example.com': { address: '127.0.0.1', port: 2222 } },
      serviceManager: 'direct',
      connectTimeoutMs: 5000,
      commandTimeoutMs: 30000,
      sudo: true,
    });
  });

  it.each([
    [
      { port: 0 },
      /mirrorMaker\.deploy\.ssh\.port must be an integer from 1 to 65535/,
    ],
    [{ port: 22.5 }, /ssh\.port must be an integer/],
    [{ user: 'root; id' }, /ssh\.user "root; id" is not a valid user name/],
    [
      { privateKey: 'x', privateKeyFile: '/k' },
      /privateKey and mirrorMaker\.deploy\.ssh\.privateKeyFile are both set/,
    ],
    [{ privateKeyFile: 'id_rsa' }, /privateKeyFile must be an absolute path/],
    [
      { serviceManager: 'upstart' },
      /serviceManager must be "systemd" or "direct", got "upstart"/,
    ],
    [{ connectTimeoutMs: 10 }, /connectTimeoutMs must be an integer from 100/],
    [{ commandTimeoutMs: 10 }, /commandTimeoutMs must be an integer from 1000/],
    [{ hosts: ['a'] }, /ssh\.hosts must be a map from node name/],
    [
      { hosts: { 'a b': { address: 'x' } } },
      /hosts\["a b"\]: "a b" is not a host name/,
    ],
    [
      { hosts: { mm1: { address: '$(id)' } } },
      /hosts\["mm1"\]\.address must be a host name or IP address/,
    ],
    [
      { hosts: { mm1: { address: 'x', port: 70000 } } },
      /hosts\["mm1"\]\.port must be an integer/,
    ],
    [
      { knownHosts: 'host ssh-ed25519 not-base64!' },
      /knownHosts has lines that are not known_hosts entries:\n {2}line 1: the key is not base64/,
    ],
    [{ sudo: 'maybe' }, /sudo/],
  ])('rejects %j', (ssh, error) => {
    expect(() => settings(ssh)).toThrow(error);
  });
});

describe('SshDeployTarget.checkReadiness', () => {
  const logger = mockServices.logger.mock();

  it('says the block is missing', async () => {
    const target = SshDeployTarget.fromConfig(new ConfigReader({}), logger);
    await expect(target.checkReadiness()).resolves.toEqual({
      ready: false,
      message: expect.stringMatching(
        /mirrorMaker\.deploy\.ssh is not configured/,
      ),
    });
  });

  it('lists what is missing', async () => {
    const target = SshDeployTarget.fromConfig(
      new ConfigReader({ mirrorMaker: { deploy: { ssh: {} } } }),
      logger,
    );
    const readiness = await target.checkReadiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.message).toMatch(/knownHosts is empty/);
    expect(readiness.message).toMatch(
      /neither mirrorMaker\.deploy\.ssh\.privateKey nor mirrorMaker\.deploy\.ssh\.privateKeyFile is set/,
    );
  });

  it('reports an unreadable key file', async () => {
    const target = SshDeployTarget.fromConfig(
      new ConfigReader({
        mirrorMaker: {
          deploy: {
            ssh: {
              knownHosts: `h ${ED25519_LINE}`,
              privateKeyFile: '/nonexistent/id_ed25519',
            },
          },
        },
      }),
      logger,
    );
    await expect(target.checkReadiness()).resolves.toEqual({
      ready: false,
      message: expect.stringMatching(
        /privateKeyFile \/nonexistent\/id_ed25519 cannot be read: ENOENT/,
      ),
    });
  });

  it('reports a key that does not parse', async () => {
    const target = SshDeployTarget.fromConfig(
      new ConfigReader({
        mirrorMaker: {
          deploy: {
            ssh: { knownHosts: `h ${ED25519_LINE}`, privateKey: 'not a key' },
          },
        },
      }),
      logger,
    );
    await expect(target.checkReadiness()).resolves.toEqual({
      ready: false,
      message: expect.stringMatching(
        /ssh\.privateKey is not a usable private key: Unsupported key format/,
      ),
    });
  });

  describeWithKeygen('with keys from ssh-keygen', () => {
    it('is ready with a key and known hosts', async () => {
      const target = SshDeployTarget.fromConfig(
        new ConfigReader({
          mirrorMaker: {
            deploy: {
              ssh: { knownHosts: `h ${ED25519_LINE}`, privateKey: keyPair() },
            },
          },
        }),
        logger,
      );
      await expect(target.checkReadiness()).resolves.toEqual({
        ready: true,
        message:
          'connects as root (port 22), 1 known host keys, service manager systemd',
      });
    });

    it('needs the passphrase of an encrypted key', () => {
      const key = keyPair('correct horse');
      expect(() => checkPrivateKey(key)).toThrow(
        /ssh\.privateKey is not a usable private key: .*no passphrase/i,
      );
      expect(() => checkPrivateKey(key, 'wrong')).toThrow(
        /with mirrorMaker\.deploy\.ssh\.passphrase is not a usable private key/,
      );
      expect(() => checkPrivateKey(key, 'correct horse')).not.toThrow();
    });
  });

  it('refuses a public key', () => {
    expect(() => checkPrivateKey(ED25519_LINE)).toThrow(/is a public key/);
  });
});
