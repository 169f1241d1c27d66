import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Folders under the work directory may hold secrets: owner only. */
export const DIR_MODE = 0o700;

/**
 * Writes `content` to `file` so that readers see the old file or the new
 * one, never a part: a temporary file in the same folder (same file
 * system, so the rename is atomic) gets the content and the mode, is
 * flushed to disk, then renamed over the target; the folder is flushed so
 * the rename survives a power cut.
 */
export async function writeFileAtomic(
  file: string,
  content: string,
  mode: number,
): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true, mode: DIR_MODE });
  const temp = path.join(
    dir,
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(temp, 'wx', mode);
    await handle.writeFile(content, 'utf8');
    // The umask may have taken bits away at creation.
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.promises.rename(temp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems cannot sync a folder; the rename happened anyway.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** A JSON file written atomically; undefined when it is absent or unreadable. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.promises.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function readJsonSync<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

const TAIL_BYTES = 64 * 1024;

/** The last `lines` lines of a text file, oldest first; [] when it is absent. */
export async function tailLines(
  file: string,
  lines: number,
): Promise<string[]> {
  if (lines <= 0) return [];
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    const { size } = await handle.stat();
    const length = Math.min(
      size,
      TAIL_BYTES * Math.max(1, Math.ceil(lines / 200)),
    );
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\n$/, '');
    const all = text.length === 0 ? [] : text.split('\n');
    // A cut first line is only a part of one.
    if (length < size) all.shift();
    return all.slice(-lines);
  } catch {
    return [];
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Modification time in ms, or -1 when the file is absent. */
export async function mtimeMs(file: string): Promise<number> {
  try {
    return (await fs.promises.stat(file)).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * The tail of whichever of `files` was written last: MirrorMaker's own log
 * while it runs, the start script's output when the JVM could not start.
 */
export async function newestTail(
  files: string[],
  lines: number,
): Promise<string[]> {
  const times = await Promise.all(files.map(mtimeMs));
  const newest = times.indexOf(Math.max(...times));
  return newest < 0 || times[newest] < 0 ? [] : tailLines(files[newest], lines);
}
