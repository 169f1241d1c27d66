import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Why a relative path given by a template or the backend may not be written
 * under a directory, or undefined when it may. Stricter than
 * `resolveSafeChildPath` alone, which accepts an absolute path that happens
 * to lie inside the directory.
 */
export function unsafePathProblem(relative: string): string | undefined {
  if (relative.length === 0) return 'is empty';
  if (relative.includes('\0')) return 'contains a NUL character';
  if (relative.includes('\\')) return 'contains a backslash; use "/"';
  if (path.posix.isAbsolute(relative) || path.win32.isAbsolute(relative)) {
    return 'is absolute; give a path relative to the target directory';
  }
  if (relative.split('/').some(part => part === '..')) {
    return 'contains a ".." segment';
  }
  return undefined;
}

/**
 * Resolves `relative` under `base`, refusing anything that could land
 * outside it, also through a symbolic link an earlier step (a fetched
 * skeleton, say) left in the workspace.
 */
export function safeChildPath(
  base: string,
  relative: string,
  what: string,
  options: { allowBase?: boolean } = {},
): string {
  const problem = unsafePathProblem(relative);
  if (problem) {
    throw new InputError(`${what} ${JSON.stringify(relative)} ${problem}`);
  }
  let resolved: string;
  try {
    resolved = resolveSafeChildPath(base, relative);
  } catch {
    throw new InputError(
      `${what} ${JSON.stringify(
        relative,
      )} leads outside the directory (through a symbolic link?)`,
    );
  }
  if (!options.allowBase && resolved === path.resolve(base)) {
    throw new InputError(
      `${what} ${JSON.stringify(
        relative,
      )} names the directory itself; give a file path`,
    );
  }
  return resolved;
}

/** Writes a file at a path from {@link safeChildPath}, creating its directories. */
export async function writeWorkspaceFile(
  target: string,
  content: string,
  mode?: number,
): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, content, { encoding: 'utf8', mode });
  // writeFile applies `mode` only when it creates the file (and through the umask).
  if (mode !== undefined) await fs.chmod(target, mode);
}
