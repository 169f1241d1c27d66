import type { EntityBundleFile } from '../../api';

/** A folder or file of the bundle tree; `file` is set on leaves. */
export interface BundleTreeNode {
  /** Unique in the tree: the path of a file, `dir:<path>` of a folder. */
  id: string;
  name: string;
  path: string;
  /** Set on `nodes/<host>`: the host whose files are below. */
  host?: string;
  file?: EntityBundleFile;
  children: BundleTreeNode[];
}

const byName = (a: BundleTreeNode, b: BundleTreeNode) => {
  if (!a.file !== !b.file) return a.file ? 1 : -1;
  return a.name.localeCompare(b.name);
};

/** The files as a tree by path segment; node files already sit under `nodes/<host>/`. */
export function buildTree(files: EntityBundleFile[]): BundleTreeNode[] {
  const root: BundleTreeNode = { id: 'dir:', name: '', path: '', children: [] };
  for (const file of files) {
    const segments = file.path.split('/').filter(s => s.length > 0);
    let parent = root;
    segments.forEach((segment, i) => {
      const path = segments.slice(0, i + 1).join('/');
      if (i === segments.length - 1) {
        parent.children.push({
          id: path,
          name: segment,
          path,
          file,
          children: [],
        });
        return;
      }
      let folder = parent.children.find(c => !c.file && c.name === segment);
      if (!folder) {
        folder = { id: `dir:${path}`, name: segment, path, children: [] };
        if (file.node && path === `nodes/${file.node}`) folder.host = file.node;
        parent.children.push(folder);
      }
      parent = folder;
    });
  }
  const sort = (node: BundleTreeNode) => {
    node.children.sort(byName);
    node.children.forEach(sort);
  };
  sort(root);
  return root.children;
}

/** Every folder id, to open the whole tree at first. */
export function folderIds(nodes: BundleTreeNode[]): string[] {
  return nodes.flatMap(n => (n.file ? [] : [n.id, ...folderIds(n.children)]));
}

/** The CodeSnippet language of a file, by its extension. */
export function languageOf(path: string): string {
  const name = path.toLowerCase();
  if (name.endsWith('.properties') || name.endsWith('.service')) return 'ini';
  if (name.endsWith('.sh')) return 'bash';
  if (name.endsWith('.yml') || name.endsWith('.yaml')) return 'yaml';
  if (name.endsWith('.json')) return 'json';
  return 'text';
}

/** Saves a blob under a file name through a temporary link. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Revoking in the same task can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
