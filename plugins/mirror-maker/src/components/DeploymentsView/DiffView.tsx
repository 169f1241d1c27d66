import { useState } from 'react';
import {
  Box,
  Button,
  Chip,
  FormControl,
  InputLabel,
  makeStyles,
  MenuItem,
  Select,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Progress } from '@backstage/core-components';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type {
  FileDiff,
  MirrorMakerApi,
  RevisionDiff,
  RevisionSummary,
  Rollout,
} from '../../api';
import { formatTime, messageOf } from './format';

const useStyles = makeStyles(theme => ({
  patch: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    margin: 0,
    padding: theme.spacing(1),
    overflowX: 'auto',
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  line: { whiteSpace: 'pre', minHeight: '1.2em' },
  added: {
    color: theme.palette.success.dark,
    backgroundColor: 'rgba(46, 160, 67, 0.15)',
  },
  removed: {
    color: theme.palette.error.dark,
    backgroundColor: 'rgba(248, 81, 73, 0.15)',
  },
  hunk: { color: theme.palette.info.main },
  header: { color: theme.palette.text.secondary, fontWeight: 'bold' },
  file: { marginBottom: theme.spacing(2) },
  field: { minWidth: 260, marginRight: theme.spacing(2) },
}));

type LineKind = 'added' | 'removed' | 'hunk' | 'header' | 'context';

function kindOf(line: string): LineKind {
  if (line.startsWith('+++') || line.startsWith('---')) return 'header';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  if (line.startsWith('@@')) return 'hunk';
  return 'context';
}

/** A unified diff, monospace, added lines green and removed lines red. */
export const PatchView = ({ patch }: { patch: string }) => {
  const classes = useStyles();
  const lines = patch.replace(/\n$/, '').split('\n');
  return (
    <pre className={classes.patch} data-testid="patch">
      {lines.map((line, i) => {
        const kind = kindOf(line);
        return (
          <div
            key={i}
            data-line={kind}
            className={`${classes.line} ${
              kind === 'context' ? '' : classes[kind]
            }`}
          >
            {line}
          </div>
        );
      })}
    </pre>
  );
};

const FileDiffView = ({ file }: { file: FileDiff }) => {
  const classes = useStyles();
  return (
    <Box className={classes.file} data-file={file.path}>
      <Typography variant="subtitle2" component="div">
        <Chip size="small" label={file.status} /> {file.path}
        {file.mode ? ` (mode ${file.mode})` : ''}
      </Typography>
      {file.patch && <PatchView patch={file.patch} />}
    </Box>
  );
};

/** The files that differ between two revisions; takes data. */
export const RevisionDiffView = ({ diff }: { diff: RevisionDiff }) => {
  const changed = diff.files.filter(f => f.status !== 'same');
  const same = diff.files.length - changed.length;
  return (
    <Box>
      <Typography variant="body2" gutterBottom>
        Revision {diff.from.number} → revision {diff.to.number}:{' '}
        {changed.length === 0
          ? 'no file differs'
          : `${changed.length} ${
              changed.length === 1 ? 'file differs' : 'files differ'
            }`}
        {same > 0 ? `, ${same} unchanged` : ''}
      </Typography>
      {changed.map(f => (
        <FileDiffView key={f.path} file={f} />
      ))}
    </Box>
  );
};

const BEFORE = '';

/** Picks a rollout and a revision to compare it against, then shows the diff. */
export const RevisionDiffPanel = ({
  api,
  rollouts,
  revisions,
}: {
  api: Pick<MirrorMakerApi, 'getDeploymentDiff'>;
  rollouts: Rollout[];
  revisions: RevisionSummary[];
}) => {
  const classes = useStyles();
  const [rolloutId, setRolloutId] = useState(rollouts[0]?.id ?? '');
  const [against, setAgainst] = useState(BEFORE);
  const [state, load] = useAsyncFn(
    (id: string, revisionId: string) =>
      api.getDeploymentDiff(id, revisionId === BEFORE ? undefined : revisionId),
    [api],
  );
  const selected = rollouts.find(r => r.id === rolloutId);

  return (
    <Box>
      <Box display="flex" alignItems="flex-end" flexWrap="wrap" mb={2}>
        <FormControl className={classes.field}>
          <InputLabel id="diff-rollout-label">Deployment</InputLabel>
          <Select
            labelId="diff-rollout-label"
            value={selected ? rolloutId : ''}
            onChange={e => setRolloutId(String(e.target.value))}
          >
            {rollouts.map(r => (
              <MenuItem key={r.id} value={r.id}>
                #{r.revisionNumber} {r.kind} {r.status},{' '}
                {formatTime(r.createdAt)}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl className={classes.field}>
          <InputLabel id="diff-against-label">Against</InputLabel>
          <Select
            labelId="diff-against-label"
            value={against}
            displayEmpty
            onChange={e => setAgainst(String(e.target.value))}
          >
            <MenuItem value={BEFORE}>The revision that ran before</MenuItem>
            {revisions
              .filter(rev => rev.id !== selected?.revisionId)
              .map(rev => (
                <MenuItem key={rev.id} value={rev.id}>
                  Revision {rev.number} ({rev.reason || rev.createdBy})
                </MenuItem>
              ))}
          </Select>
        </FormControl>
        <Button
          variant="outlined"
          disabled={!selected || state.loading}
          onClick={() => load(rolloutId, against)}
        >
          Show diff
        </Button>
      </Box>
      {state.loading && <Progress />}
      {!state.loading && state.error && (
        <Alert severity="error">{messageOf(state.error)}</Alert>
      )}
      {!state.loading && state.value && <RevisionDiffView diff={state.value} />}
    </Box>
  );
};
