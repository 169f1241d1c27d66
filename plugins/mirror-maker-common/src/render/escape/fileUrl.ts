import { assertWellFormed } from './chars';

/** Characters of a path that a `file:` URL may hold as they are. */
const URL_SAFE = /[A-Za-z0-9/._~-]/;

/**
 * Turns an absolute path into a `file:` URL, percent-encoding (as UTF-8)
 * every character but letters, digits and `/._~-`, so `%`, `#`, `?` and
 * spaces in the path reach Java's `file:` URL handler as themselves.
 *
 * @throws if `path` is not absolute or holds an unpaired surrogate.
 */
export function fileUrl(path: string, field = 'value'): string {
  assertWellFormed(path, field);
  if (!path.startsWith('/')) {
    throw new Error(`${field} must be an absolute path to become a file: URL`);
  }
  let out = 'file:';
  for (const c of path) {
    if (URL_SAFE.test(c)) {
      out += c;
    } else {
      for (const byte of new TextEncoder().encode(c)) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
    }
  }
  return out;
}
