import {
  Client,
  ClientChannel,
  ServerHostKeyAlgorithm,
  SFTPWrapper,
} from 'ssh2';
import {
  checkHostKey,
  describeRefusal,
  fingerprint,
  hostKeyAlgorithms,
  KnownHostEntry,
  knownHostsName,
} from './knownHosts';

/** Where and as whom to connect, and what to trust. */
export interface SshConnectOptions {
  /** The node name (from `spec.placement.nodes`). */
  host: string;
  /** Where it is reached: the node name, or its `hosts` mapping. */
  address: string;
  port: number;
  user: string;
  privateKey: string;
  passphrase?: string;
  knownHosts: KnownHostEntry[];
  connectTimeoutMs: number;
}

export interface ExecResult {
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

/** Output kept per stream; a command printing more is cut (logs ask for lines, not megabytes). */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
/** OpenSSH allows 10 sessions per connection; leave room for SFTP. */
const MAX_CHANNELS = 6;
const KEEPALIVE_MS = 15_000;

function collect(limit: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    push(chunk: Buffer) {
      if (size >= limit) return;
      chunks.push(chunk.subarray(0, limit - size));
      size += chunk.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

/**
 * One SSH connection to a node, host key verified against known_hosts.
 * Commands run on channels of it (a few at a time); one SFTP session is
 * opened on first use and kept.
 */
export class SshConnection {
  readonly #client: Client;
  readonly #where: string;
  #closed = false;
  #sftp?: Promise<SFTPWrapper>;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  /** The verified host key, for logs. */
  readonly fingerprint: string;

  private constructor(client: Client, where: string, hostKey: string) {
    this.#client = client;
    this.#where = where;
    this.fingerprint = hostKey;
    client.on('close', () => {
      this.#closed = true;
    });
    client.on('error', () => {
      this.#closed = true;
    });
  }

  /**
   * Connects, refusing a host whose key known_hosts does not list for the
   * node name (or its mapped address) with an error that says what it
   * presented. The private key authenticates; nothing else is tried.
   */
  static connect(options: SshConnectOptions): Promise<SshConnection> {
    const { host, address, port, user } = options;
    const where =
      address === host ? `${host}:${port}` : `${host} (${address}:${port})`;
    const names = [knownHostsName(host, port)];
    if (address !== host) names.push(knownHostsName(address, port));
    const algorithms = hostKeyAlgorithms(options.knownHosts, names);
    return new Promise((resolve, reject) => {
      const client = new Client();
      let refusal: string | undefined;
      let presented: Buffer | undefined;
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        client.end();
        const message =
          refusal ??
          (/authentication methods failed/i.test(error.message)
            ? `${where} refused the private key for user ${user}; is its public key in ~${user}/.ssh/authorized_keys?`
            : `cannot connect to ${where} as ${user}: ${error.message}`);
        reject(new Error(message));
      };
      client.once('ready', () => {
        if (settled) return;
        settled = true;
        client.removeListener('error', fail);
        resolve(
          new SshConnection(
            client,
            where,
            presented ? fingerprint(presented) : '',
          ),
        );
      });
      client.on('error', fail);
      client.once('close', () =>
        fail(new Error('the connection closed during the handshake')),
      );
      try {
        client.connect({
          host: address,
          port,
          username: user,
          privateKey: options.privateKey,
          ...(options.passphrase !== undefined
            ? { passphrase: options.passphrase }
            : {}),
          readyTimeout: options.connectTimeoutMs,
          keepaliveInterval: KEEPALIVE_MS,
          keepaliveCountMax: 3,
          ...(algorithms.length > 0
            ? {
                algorithms: {
                  serverHostKey: algorithms as ServerHostKeyAlgorithm[],
                },
              }
            : {}),
          authHandler: ['publickey'],
          hostVerifier: (key: Buffer) => {
            presented = key;
            const check = checkHostKey(options.knownHosts, names, key);
            if (check.ok) return true;
            refusal = describeRefusal({
              host,
              address,
              port,
              presented: key,
              check,
            });
            return false;
          },
        });
      } catch (e) {
        fail(e as Error);
      }
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  async #acquire(): Promise<void> {
    if (this.#running < MAX_CHANNELS) {
      this.#running += 1;
      return;
    }
    await new Promise<void>(resolve => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#running -= 1;
  }

  /**
   * Runs a command (its login shell parses it) and collects its output.
   * After `timeoutMs` the channel is signalled and closed and the promise
   * rejects; the remote command may outlive that.
   */
  async exec(command: string, timeoutMs: number): Promise<ExecResult> {
    if (this.#closed)
      throw new Error(`the connection to ${this.#where} closed`);
    await this.#acquire();
    try {
      return await new Promise<ExecResult>((resolve, reject) => {
        let channel: ClientChannel | undefined;
        const timer = setTimeout(() => {
          reject(
            new Error(
              `a command on ${
                this.#where
              } did not finish within ${timeoutMs} ms`,
            ),
          );
          channel?.signal('KILL');
          channel?.close();
        }, timeoutMs);
        this.#client.exec(command, (error, stream) => {
          if (error) {
            clearTimeout(timer);
            reject(
              new Error(
                `cannot run a command on ${this.#where}: ${error.message}`,
              ),
            );
            return;
          }
          channel = stream;
          const stdout = collect(MAX_OUTPUT_BYTES);
          const stderr = collect(MAX_OUTPUT_BYTES);
          let code: number | null = null;
          let signal: string | undefined;
          stream.on('data', (chunk: Buffer) => stdout.push(chunk));
          stream.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
          stream.on('exit', (exitCode: number | null, exitSignal?: string) => {
            code = exitCode;
            signal = exitSignal ?? undefined;
          });
          stream.on('close', () => {
            clearTimeout(timer);
            if (code === null && signal === undefined) {
              reject(
                new Error(
                  `the connection to ${
                    this.#where
                  } ended before a command finished`,
                ),
              );
              return;
            }
            resolve({
              code,
              ...(signal ? { signal } : {}),
              stdout: stdout.text(),
              stderr: stderr.text(),
            });
          });
        });
      });
    } finally {
      this.#release();
    }
  }

  /** The connection's SFTP session, opened once. */
  sftp(): Promise<SFTPWrapper> {
    if (!this.#sftp) {
      this.#sftp = new Promise<SFTPWrapper>((resolve, reject) => {
        this.#client.sftp((error, sftp) => {
          if (error) {
            reject(
              new Error(`cannot open SFTP on ${this.#where}: ${error.message}`),
            );
            return;
          }
          sftp.on('close', () => {
            this.#sftp = undefined;
          });
          resolve(sftp);
        });
      });
      this.#sftp.catch(() => {
        this.#sftp = undefined;
      });
    }
    return this.#sftp;
  }

  close(): void {
    this.#closed = true;
    this.#client.end();
  }
}
