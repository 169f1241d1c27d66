import { Bundle, BundleFile } from '../types';

/** A bundle file with where it belongs: a node's host, or undefined for deployment files. */
export interface PlacedFile extends BundleFile {
  host?: string;
  /** Path relative to a bundle folder: `nodes/<host>/<absolute path>` or `files/<path>`. */
  relative: string;
}

/** Every file of a bundle with a folder-relative path (how golden files and tool checks lay them out). */
export function placedFiles(bundle: Bundle): PlacedFile[] {
  return [
    ...bundle.nodes.flatMap(node =>
      node.files.map(file => ({
        ...file,
        host: node.host,
        relative: `nodes/${node.host}${file.path}`,
      })),
    ),
    ...bundle.files.map(file => ({ ...file, relative: `files/${file.path}` })),
  ];
}
