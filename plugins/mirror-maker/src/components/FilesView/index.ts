export { FilesContent } from './FilesContent';
export {
  BundleFilesView,
  BundleTree,
  FilePreview,
  RedactionNotice,
} from './FilesView';
export type { BundleFilesViewProps } from './FilesView';
export { buildTree, languageOf, saveBlob } from './tree';
export type { BundleTreeNode } from './tree';
