import { randomBytes } from 'crypto';
import type { SFTPWrapper, Stats } from 'ssh2';
import {
  chownFiles,
  MAKE_STAGING_DIR,
  removeStagingDir,
  StagedFile,
  sudoInstall,
} from './commands';
import { SshConnection } from './SshConnection';
import { requireFileMode, requireRemotePath } from './validate';

/** A file to put on a node. */
export interface InstallItem {
  path: string;
  mode: number;
  content: string;
  /** Owner to give it; the SSH user (or root, through sudo) keeps it otherwise. */
  owner?: { user: string; group: string };
}

export interface InstallOptions {
  /** Install through `sudo -n` from a staging directory of the SSH user. */
  sudo: boolean;
  /** Limit of each SFTP request and command. */
  timeoutMs: number;
}

/** SFTP status code of a missing file. */
const NO_SUCH_FILE = 2;
const DIRECTORY_MODE = 0o755;
/** Uploads start private: a secret is never readable by others, not even half-written. */
const UPLOAD_MODE = 0o600;

function withTimeout<T>(
  what: string,
  timeoutMs: number,
  start: (done: (error: Error | null | undefined, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      start((error, value) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value as T);
      });
    } catch (e) {
      clearTimeout(timer);
      reject(e);
    }
  });
}

function sftpError(what: string, error: unknown): Error {
  const e = error as Error & { code?: number };
  return Object.assign(new Error(`${what}: ${e.message}`), { code: e.code });
}

/** SFTP requests with a time limit and errors that say which path. */
class Sftp {
  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly timeoutMs: number,
  ) {}

  async #call<T>(
    what: string,
    start: (done: (error: Error | null | undefined, value?: T) => void) => void,
  ): Promise<T> {
    try {
      return await withTimeout<T>(what, this.timeoutMs, start);
    } catch (e) {
      throw sftpError(what, e);
    }
  }

  stat(path: string): Promise<Stats> {
    return this.#call(`stat ${path}`, done => this.sftp.stat(path, done));
  }

  mkdir(path: string): Promise<void> {
    return this.#call(`mkdir ${path}`, done =>
      this.sftp.mkdir(path, { mode: DIRECTORY_MODE }, done),
    );
  }

  write(path: string, content: string): Promise<void> {
    // 'wx' fails on anything already there (a planted symlink included).
    return this.#call(`write ${path}`, done =>
      this.sftp.writeFile(
        path,
        content,
        { mode: UPLOAD_MODE, flag: 'wx', encoding: 'utf8' },
        done,
      ),
    );
  }

  chmod(path: string, mode: number): Promise<void> {
    return this.#call(`chmod ${path}`, done =>
      this.sftp.chmod(path, mode, done),
    );
  }

  unlink(path: string): Promise<void> {
    return this.#call(`unlink ${path}`, done => this.sftp.unlink(path, done));
  }

  /**
   * Renames over the destination in one step with OpenSSH's
   * posix-rename@openssh.com. Servers without it get a plain SFTP rename,
   * which refuses an existing destination, after removing it: there is a
   * moment without the file then.
   */
  async replace(from: string, to: string): Promise<void> {
    try {
      await this.#call(`rename ${from} to ${to}`, done =>
        this.sftp.ext_openssh_rename(from, to, done),
      );
      return;
    } catch (e) {
      if (!/does not support/i.test((e as Error).message)) throw e;
    }
    try {
      await this.unlink(to);
    } catch (e) {
      if ((e as { code?: number }).code !== NO_SUCH_FILE) throw e;
    }
    await this.#call(`rename ${from} to ${to}`, done =>
      this.sftp.rename(from, to, done),
    );
  }

  /** `mkdir -p`, one directory at a time (SFTP has no recursive mkdir). */
  async ensureDirectory(dir: string, known: Set<string>): Promise<void> {
    if (known.has(dir)) return;
    const parts = dir.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const current = `/${parts.slice(0, i).join('/')}`;
      if (known.has(current)) continue;
      let stats: Stats | undefined;
      try {
        stats = await this.stat(current);
      } catch (e) {
        if ((e as { code?: number }).code !== NO_SUCH_FILE) throw e;
      }
      if (!stats) {
        try {
          await this.mkdir(current);
        } catch (e) {
          // Another writer may have made it meanwhile.
          stats = await this.stat(current).catch(() => {
            throw e;
          });
        }
      }
      if (stats && !stats.isDirectory()) {
        throw new Error(`${current} exists and is not a directory`);
      }
      known.add(current);
    }
  }
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

function temporaryName(path: string): string {
  return `${path}.tmp-${randomBytes(6).toString('hex')}`;
}

async function run(
  connection: SshConnection,
  command: string,
  what: string,
  timeoutMs: number,
): Promise<string> {
  const result = await connection.exec(command, timeoutMs);
  if (result.code !== 0) {
    throw new Error(
      `${what} failed (exit ${result.code ?? result.signal}): ${
        result.stderr.trim() || result.stdout.trim()
      }`,
    );
  }
  return result.stdout;
}

/** Uploads as the SSH user: temporary file, mode, owner, rename into place. */
async function installDirect(
  connection: SshConnection,
  items: InstallItem[],
  options: InstallOptions,
): Promise<void> {
  const sftp = new Sftp(await connection.sftp(), options.timeoutMs);
  const known = new Set<string>();
  const pending: { item: InstallItem; temporary: string }[] = [];
  try {
    for (const item of items) {
      await sftp.ensureDirectory(parentOf(item.path), known);
      const temporary = temporaryName(item.path);
      await sftp.write(temporary, item.content);
      pending.push({ item, temporary });
      await sftp.chmod(temporary, item.mode);
    }
    const owned = new Map<string, string[]>();
    for (const { item, temporary } of pending) {
      if (!item.owner) continue;
      const key = `${item.owner.user}:${item.owner.group}`;
      owned.set(key, [...(owned.get(key) ?? []), temporary]);
    }
    for (const [key, paths] of owned) {
      const [user, group] = key.split(':');
      await run(
        connection,
        chownFiles(paths, user, group, false),
        `chown to ${key}`,
        options.timeoutMs,
      );
    }
    while (pending.length > 0) {
      const { item, temporary } = pending[0];
      await sftp.replace(temporary, item.path);
      pending.shift();
    }
  } finally {
    for (const { temporary } of pending) {
      await sftp.unlink(temporary).catch(() => undefined);
    }
  }
}

/** Uploads into a private staging directory, then installs through sudo. */
async function installWithSudo(
  connection: SshConnection,
  items: InstallItem[],
  options: InstallOptions,
): Promise<void> {
  const staging = requireRemotePath(
    (
      await run(
        connection,
        MAKE_STAGING_DIR,
        'creating a staging directory',
        options.timeoutMs,
      )
    ).trim(),
    'staging directory',
  );
  try {
    const sftp = new Sftp(await connection.sftp(), options.timeoutMs);
    const staged: StagedFile[] = [];
    for (const [k, item] of items.entries()) {
      const file = `${staging}/${k}`;
      await sftp.write(file, item.content);
      staged.push({
        staged: file,
        temporary: temporaryName(item.path),
        destination: item.path,
        mode: item.mode,
        ...(item.owner ? { owner: item.owner } : {}),
      });
    }
    await run(
      connection,
      sudoInstall(staged),
      'installing the files with sudo',
      options.timeoutMs,
    );
  } finally {
    await connection
      .exec(removeStagingDir(staging), options.timeoutMs)
      .catch(() => undefined);
  }
}

/**
 * Puts files on a node so that each one is replaced in a single rename:
 * a process starting meanwhile reads the old file or the new one. Parent
 * directories are created as needed.
 */
export async function installFiles(
  connection: SshConnection,
  items: InstallItem[],
  options: InstallOptions,
): Promise<void> {
  for (const item of items) {
    requireRemotePath(item.path, 'file');
    requireFileMode(item.mode, item.path);
  }
  if (options.sudo) {
    await installWithSudo(connection, items, options);
  } else {
    await installDirect(connection, items, options);
  }
}
