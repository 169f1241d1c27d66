import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const SSHD = '/usr/sbin/sshd';
const START_TIMEOUT_MS = 10_000;

/** A real OpenSSH server on a loopback port, for tests. */
export interface TestSshd {
  port: number;
  /** Temp folder with its keys, config and log. */
  dir: string;
  /** The client's private key (OpenSSH format), authorised for the current user. */
  clientKey: string;
  clientKeyFile: string;
  /** The server's public host key, `ssh-ed25519 AAAA... comment`. */
  hostPublicKey: string;
  /** Its fingerprint as ssh-keygen prints it, `SHA256:...`. */
  hostFingerprint: string;
  /** A public key the server does not have, for mismatch tests. */
  otherPublicKey: string;
  /** A known_hosts line for the server under `name` (default 127.0.0.1) and its port. */
  knownHostsLine(name?: string, publicKey?: string): string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/** Whether this machine can run the server (OpenSSH installed, running as root). */
export function sshdAvailable(): boolean {
  return fs.existsSync(SSHD) && process.getuid?.() === 0;
}

function keygen(file: string): void {
  execFileSync(
    'ssh-keygen',
    ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', file],
    {
      stdio: 'ignore',
    },
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something on the port speaks SSH; false when it never did. */
async function waitForBanner(
  port: number,
  child: ChildProcess,
  deadline: number,
): Promise<boolean> {
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await new Promise<boolean>(resolve => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.setTimeout(1000);
      socket.once('data', data => {
        socket.destroy();
        resolve(data.toString('latin1').startsWith('SSH-2.0'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return true;
    await new Promise(r => setTimeout(r, 100));
  }
  return false;
}

/**
 * Starts `sshd -D -e` with its own host key, config and authorized_keys in
 * a temp folder, listening on a free loopback port; public-key login only.
 * `setEnv` goes to every session (tests put shims first on PATH with it).
 * Stop it with stop(); it is also killed when the test process exits.
 */
export async function startTestSshd(
  options: { setEnv?: Record<string, string> } = {},
): Promise<TestSshd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-sshd-'));
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'client_key'));
  keygen(path.join(dir, 'other_key'));
  fs.copyFileSync(
    path.join(dir, 'client_key.pub'),
    path.join(dir, 'authorized_keys'),
  );
  // sshd refuses to start without its privilege separation directory.
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const logFile = path.join(dir, 'sshd.log');

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${dir}/host_key`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PrintMotd no',
      'Subsystem sftp internal-sftp',
      ...Object.entries(options.setEnv ?? {}).map(
        ([name, value]) => `SetEnv ${name}=${value}`,
      ),
      '',
    ].join('\n');
    const configFile = path.join(dir, 'sshd_config');
    fs.writeFileSync(configFile, config);
    const log = fs.openSync(logFile, 'a');
    const child = spawn(SSHD, ['-D', '-e', '-f', configFile], {
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    };
    process.once('exit', kill);
    const up = await waitForBanner(port, child, Date.now() + START_TIMEOUT_MS);
    const tail = (lines = 20) =>
      fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
    if (!up) {
      kill();
      process.removeListener('exit', kill);
      // Someone may have taken the port between our probe and sshd's bind.
      if (attempt < 3) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start on port ${port}:\n${tail()}`);
    }
    const read = (name: string) =>
      fs.readFileSync(path.join(dir, name), 'utf8').trim();
    const hostPublicKey = read('host_key.pub');
    const hostFingerprint = execFileSync('ssh-keygen', [
      '-l',
      '-E',
      'sha256',
      '-f',
      path.join(dir, 'host_key.pub'),
    ])
      .toString()
      .split(' ')[1];
    const keyPart = (line: string) => line.split(' ').slice(0, 2).join(' ');
    return {
      port,
      dir,
      clientKey: read('client_key'),
      clientKeyFile: path.join(dir, 'client_key'),
      hostPublicKey,
      hostFingerprint,
      otherPublicKey: read('other_key.pub'),
      knownHostsLine: (name = '127.0.0.1', publicKey = hostPublicKey) =>
        `[${name}]:${port} ${keyPart(publicKey)}`,
      logTail: tail,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise(r => child.once('exit', r));
          child.kill('SIGTERM');
          const timer = setTimeout(kill, 5000);
          await exited;
          clearTimeout(timer);
        }
        process.removeListener('exit', kill);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
