import { useState } from 'react';
import {
  CodeSnippet,
  CopyTextButton,
  InfoCard,
} from '@backstage/core-components';
import {
  Box,
  Button,
  FormControlLabel,
  Grid,
  Switch,
  Typography,
} from '@material-ui/core';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import GetAppIcon from '@material-ui/icons/GetApp';
import { Alert } from '@material-ui/lab';
import TreeItem from '@material-ui/lab/TreeItem';
import TreeView from '@material-ui/lab/TreeView';
import { mirrorMakerSecretsReadPermission } from '@mirrormaker/plugin-mirror-maker-common';
import type { EntityBundle, EntityBundleFile } from '../../api';
import { BundleTreeNode, buildTree, folderIds, languageOf } from './tree';

/** The bundle's files as a tree; folders `nodes/<host>` group a node's files. */
export const BundleTree = ({
  files,
  selected,
  onSelect,
}: {
  files: EntityBundleFile[];
  selected?: string;
  onSelect: (file: EntityBundleFile) => void;
}) => {
  const nodes = buildTree(files);
  const byId = new Map<string, EntityBundleFile>();
  const walk = (list: BundleTreeNode[]) =>
    list.forEach(n => {
      if (n.file) byId.set(n.id, n.file);
      walk(n.children);
    });
  walk(nodes);
  const render = (node: BundleTreeNode) => (
    <TreeItem
      key={node.id}
      nodeId={node.id}
      label={node.host ? `${node.name} (node)` : node.name}
      data-path={node.file ? node.path : undefined}
    >
      {node.children.length > 0 ? node.children.map(render) : null}
    </TreeItem>
  );
  return (
    <TreeView
      aria-label="Bundle files"
      defaultExpanded={folderIds(nodes)}
      defaultCollapseIcon={<ExpandMoreIcon />}
      defaultExpandIcon={<ChevronRightIcon />}
      selected={selected ?? ''}
      onNodeSelect={(_event: unknown, id: string | string[]) => {
        const file = byId.get(Array.isArray(id) ? id[0] : id);
        if (file) onSelect(file);
      }}
    >
      {nodes.map(render)}
    </TreeView>
  );
};

/** One file: where it goes, its mode, what it is for, and its text. */
export const FilePreview = ({ file }: { file: EntityBundleFile }) => (
  <Box data-testid="file-preview">
    <Box display="flex" alignItems="center">
      <Typography variant="subtitle1" component="h3" style={{ flexGrow: 1 }}>
        {file.path}
      </Typography>
      <CopyTextButton
        text={file.content}
        aria-label={`Copy ${file.path}`}
        tooltipText="File copied to clipboard"
      />
    </Box>
    <Typography variant="body2" color="textSecondary" gutterBottom>
      Mode {file.mode}
      {file.node ? ` · node ${file.node}` : ''}
      {file.description ? ` · ${file.description}` : ''}
    </Typography>
    <CodeSnippet
      text={file.content}
      language={languageOf(file.path)}
      showLineNumbers
    />
  </Box>
);

/** Why the secrets are not shown. */
export const RedactionNotice = ({
  bundle,
  requested,
}: {
  bundle: EntityBundle;
  requested: boolean;
}) =>
  bundle.redacted ? (
    <Alert severity="info">
      Secrets are replaced by <code>{bundle.secretMarker}</code>{' '}
      {requested
        ? 'because you asked for redaction.'
        : `because you lack the permission ${mirrorMakerSecretsReadPermission.name} on ${bundle.entityRef}.`}{' '}
      The downloaded archive is redacted the same way.
    </Alert>
  ) : null;

export interface BundleFilesViewProps {
  bundle: EntityBundle;
  /** Whether the bundle was asked for without secrets. */
  redactRequested: boolean;
  onRedactChange: (redact: boolean) => void;
  onDownload: () => void;
  downloading: boolean;
  downloadError?: string;
}

/** The rendered files of a MirrorMaker: tree, preview, download; takes data. */
export const BundleFilesView = ({
  bundle,
  redactRequested,
  onRedactChange,
  onDownload,
  downloading,
  downloadError,
}: BundleFilesViewProps) => {
  const [selectedPath, setSelectedPath] = useState<string>();
  const selected = bundle.files.find(f => f.path === selectedPath);
  return (
    <InfoCard title={`Files of ${bundle.name}`} subheader={bundle.entityRef}>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={2}>
        <Button
          variant="outlined"
          startIcon={<GetAppIcon />}
          disabled={downloading}
          onClick={onDownload}
        >
          Download .tar.gz
        </Button>
        <Box ml={2}>
          <FormControlLabel
            control={
              <Switch
                checked={redactRequested}
                onChange={e => onRedactChange(e.target.checked)}
              />
            }
            label="Hide secrets"
          />
        </Box>
      </Box>
      {downloadError && (
        <Box mb={2}>
          <Alert severity="error">{downloadError}</Alert>
        </Box>
      )}
      <Box mb={2}>
        <RedactionNotice bundle={bundle} requested={redactRequested} />
      </Box>
      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <BundleTree
            files={bundle.files}
            selected={selectedPath}
            onSelect={f => setSelectedPath(f.path)}
          />
        </Grid>
        <Grid item xs={12} md={8}>
          {selected ? (
            <FilePreview file={selected} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              Select a file to see its contents.
            </Typography>
          )}
        </Grid>
      </Grid>
    </InfoCard>
  );
};
