import { pack } from 'tar-stream';
import { createGzip } from 'zlib';
import { Readable } from 'stream';

/** One file of an archive. */
export interface ArchiveFile {
  /** Relative path with `/` separators; no `..` and no leading `/`. */
  path: string;
  mode: number;
  content: string;
}

/**
 * A gzip-compressed tar stream of the files under one top folder. Paths are
 * checked again here (the renderer already validates them) because a tar
 * entry with `..` would write outside the folder on extraction.
 */
export function tarGz(folder: string, files: ArchiveFile[]): Readable {
  for (const f of [{ path: folder }, ...files]) {
    const parts = f.path.split('/');
    if (
      f.path.startsWith('/') ||
      parts.some(p => p === '..' || p === '.' || p === '') ||
      f.path.includes('\0')
    ) {
      throw new Error(`refusing to archive ${JSON.stringify(f.path)}`);
    }
  }
  const tar = pack();
  const mtime = new Date();
  for (const f of files) {
    tar.entry(
      { name: `${folder}/${f.path}`, mode: f.mode, mtime, type: 'file' },
      f.content,
    );
  }
  tar.finalize();
  return tar.pipe(createGzip());
}
