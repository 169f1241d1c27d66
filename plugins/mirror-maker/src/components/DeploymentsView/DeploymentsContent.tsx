import { useCallback, useEffect, useState } from 'react';
import type { Entity } from '@backstage/catalog-model';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  Checkbox,
  FormControl,
  FormControlLabel,
  Grid,
  InputLabel,
  MenuItem,
  Select,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  MIRROR_MAKER_KIND,
  mirrorMakerDeployPermission,
} from '@mirrormaker/plugin-mirror-maker-common';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import {
  DeploymentHistory,
  mirrorMakerApiRef,
  RevisionSummary,
  Rollout,
} from '../../api';
import { RevisionDiffPanel } from './DiffView';
import { formatTime, isFinal, messageOf } from './format';
import { HistoryTable } from './HistoryTable';
import { ProcessesTable } from './ProcessesTable';
import { ReasonDialog } from './ReasonDialog';
import {
  RolloutEventList,
  RolloutProgressView,
  useRolloutPoll,
} from './RolloutProgress';

/** What the deploy permission lets the user do, and if not, why. */
export interface DeployPermissionState {
  loading: boolean;
  allowed: boolean;
  error?: Error;
}

/** A caption under the buttons saying why they are disabled; nothing when allowed. */
export const PermissionCaption = ({
  permission,
  entityRef,
}: {
  permission: DeployPermissionState;
  entityRef: string;
}) => {
  const name = mirrorMakerDeployPermission.name;
  let text: string | undefined;
  if (permission.loading) text = `Checking permission ${name}…`;
  else if (permission.error) {
    text = `Could not check permission ${name}: ${messageOf(permission.error)}`;
  } else if (!permission.allowed) {
    text = `You lack the permission ${name} on ${entityRef}: deploy, stop and roll back are disabled.`;
  }
  return text ? (
    <Typography variant="caption" color="textSecondary" component="p">
      {text}
    </Typography>
  ) : null;
};

/** The rollout that loads its events when its history row is opened. */
const RolloutEvents = ({ id }: { id: string }) => {
  const api = useApi(mirrorMakerApiRef);
  const detail = useAsync(() => api.getDeployment(id), [api, id]);
  if (detail.loading) return <Progress />;
  if (detail.error) {
    return <Alert severity="error">{messageOf(detail.error)}</Alert>;
  }
  return detail.value ? (
    <RolloutEventList events={detail.value.events} />
  ) : null;
};

type DialogState =
  | { kind: 'deploy' }
  | { kind: 'stop' }
  | { kind: 'rollback'; rollout: Rollout };

/** Revisions a rollout can go back to: any but its own. */
const otherRevisions = (revisions: RevisionSummary[], rollout: Rollout) =>
  revisions.filter(rev => rev.id !== rollout.revisionId);

export interface DeploymentsContentProps {
  /** A MirrorMaker entity. */
  entity: Entity;
  /** How often a running rollout is fetched again; default 2 s. */
  pollIntervalMs?: number;
}

/**
 * Entity content: deploy, follow the rollout, stop, history with events,
 * diffs between revisions and rollback.
 */
export const DeploymentsContent = ({
  entity,
  pollIntervalMs = 2000,
}: DeploymentsContentProps) => {
  const api = useApi(mirrorMakerApiRef);
  const ref = getCompoundEntityRef(entity);
  const entityRef = stringifyEntityRef(entity);
  const isMirrorMaker =
    entity.kind.toLowerCase() === MIRROR_MAKER_KIND.toLowerCase();
  const permission = usePermission({
    permission: mirrorMakerDeployPermission,
    resourceRef: entityRef,
  });

  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion(v => v + 1), []);
  const history = useAsync(
    async () => (isMirrorMaker ? api.listDeployments(ref) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, isMirrorMaker, version],
  );
  // A reload keeps showing the last answer instead of a spinner.
  const [lastHistory, setLastHistory] = useState<DeploymentHistory>();
  useEffect(() => {
    if (history.value) setLastHistory(history.value);
  }, [history.value]);
  const shown = history.value ?? lastHistory;

  // `?rollout=<id>` (a replication request links so) opens on that rollout.
  const [search] = useSearchParams();
  const [trackedId, setTrackedId] = useState<string | undefined>(
    () => search.get('rollout') || undefined,
  );
  const runningId = shown?.running?.id;
  useEffect(() => {
    // A rollout started elsewhere (or before the page opened) is followed too.
    if (runningId) setTrackedId(runningId);
  }, [runningId]);
  const progress = useRolloutPoll(api, trackedId, pollIntervalMs, reload);

  const [dialog, setDialog] = useState<DialogState>();
  const [autoRollback, setAutoRollback] = useState(false);
  const [rollbackTo, setRollbackTo] = useState('');
  const [notice, setNotice] = useState<string>();

  if (!isMirrorMaker) {
    return (
      <EmptyState
        missing="field"
        title="Not a MirrorMaker"
        description={`Deployments exist for MirrorMaker entities; ${entityRef} is a ${entity.kind}.`}
      />
    );
  }
  if (!shown) {
    if (history.error) {
      return (
        <ResponseErrorPanel
          title={messageOf(history.error)}
          error={history.error}
        />
      );
    }
    return <Progress />;
  }

  const mayChange = !permission.loading && permission.allowed;
  const missing = permission.loading
    ? `Checking permission ${mirrorMakerDeployPermission.name}…`
    : `Requires the permission ${mirrorMakerDeployPermission.name}`;
  const rolloutActive =
    (progress.detail && !isFinal(progress.detail.status)) ||
    (trackedId !== undefined && !progress.detail && !progress.error) ||
    shown.running !== undefined;
  const runningWhy = 'A rollout is running; wait for it or stop it';
  let rollBackBlocked: string | undefined;
  if (!mayChange) rollBackBlocked = missing;
  else if (rolloutActive) rollBackBlocked = runningWhy;
  const close = () => setDialog(undefined);

  const deploy = async (reason: string) => {
    const rollout = await api.deploy(ref, { reason, autoRollback });
    setTrackedId(rollout.id);
    setNotice(undefined);
    close();
    reload();
  };
  const stop = async (reason: string) => {
    const result = await api.stop(ref, { reason });
    setNotice(
      `Stopped: ${result.processes.length} ${
        result.processes.length === 1 ? 'process' : 'processes'
      } now ${result.processes.map(p => p.state).join(', ') || 'none'}.`,
    );
    close();
    reload();
  };
  const rollBack = async (reason: string) => {
    if (dialog?.kind !== 'rollback') return;
    const rollout = await api.rollback(dialog.rollout.id, {
      reason,
      ...(rollbackTo ? { revisionId: rollbackTo } : {}),
    });
    setTrackedId(rollout.id);
    setNotice(undefined);
    close();
    reload();
  };
  const openRollback = (rollout: Rollout) => {
    const others = otherRevisions(shown.revisions, rollout);
    setRollbackTo(
      rollout.previousRevisionId &&
        others.some(r => r.id === rollout.previousRevisionId)
        ? rollout.previousRevisionId
        : others[0]?.id ?? '',
    );
    setDialog({ kind: 'rollback', rollout });
  };

  const actionButton = (
    label: string,
    onClick: () => void,
    extraDisabled = false,
    extraWhy?: string,
  ) => (
    <Tooltip title={!mayChange ? missing : (extraDisabled && extraWhy) || ''}>
      <span>
        <Button
          variant={label === 'Deploy' ? 'contained' : 'outlined'}
          color={label === 'Deploy' ? 'primary' : 'default'}
          disabled={!mayChange || extraDisabled}
          onClick={onClick}
          style={{ marginRight: 8 }}
        >
          {label}
        </Button>
      </span>
    </Tooltip>
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Deployment">
          <Typography variant="body2">
            Target {shown.target};{' '}
            {shown.current
              ? `revision ${shown.current.number} runs (by ${
                  shown.current.createdBy
                }, ${formatTime(shown.current.createdAt)})`
              : 'no revision has deployed successfully yet'}
          </Typography>
          <Box mt={2}>
            {actionButton(
              'Deploy',
              () => {
                setAutoRollback(false);
                setDialog({ kind: 'deploy' });
              },
              rolloutActive,
              runningWhy,
            )}
            {actionButton('Stop all processes', () =>
              setDialog({ kind: 'stop' }),
            )}
          </Box>
          <PermissionCaption permission={permission} entityRef={entityRef} />
          {notice && (
            <Box mt={1}>
              <Alert severity="info" onClose={() => setNotice(undefined)}>
                {notice}
              </Alert>
            </Box>
          )}
          {history.error && (
            <Box mt={1}>
              <Alert severity="warning">
                Could not reload the deployments: {messageOf(history.error)}
              </Alert>
            </Box>
          )}
        </InfoCard>
      </Grid>

      {trackedId && (
        <Grid item xs={12}>
          {progress.error && (
            <Box mb={1}>
              <Alert severity="error">{messageOf(progress.error)}</Alert>
            </Box>
          )}
          {progress.detail ? (
            <RolloutProgressView rollout={progress.detail} now={Date.now()} />
          ) : (
            !progress.error && <Progress />
          )}
        </Grid>
      )}

      <Grid item xs={12}>
        <InfoCard title="Processes">
          <ProcessesTable processes={shown.processes} />
        </InfoCard>
      </Grid>

      <Grid item xs={12}>
        <InfoCard title="History">
          {shown.rollouts.length === 0 ? (
            <EmptyState
              missing="data"
              title="No deployments yet"
              description={`${entityRef} has never been deployed; Deploy renders its files, stores them as revision 1 and rolls them out.`}
            />
          ) : (
            <HistoryTable
              rollouts={shown.rollouts}
              rollBackDisabledReason={rollBackBlocked}
              canRollBack={r => otherRevisions(shown.revisions, r).length > 0}
              onRollBack={openRollback}
              renderEvents={r => <RolloutEvents id={r.id} />}
            />
          )}
        </InfoCard>
      </Grid>

      {shown.rollouts.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Diff between revisions">
            <RevisionDiffPanel
              api={api}
              rollouts={shown.rollouts}
              revisions={shown.revisions}
            />
          </InfoCard>
        </Grid>
      )}

      <ReasonDialog
        open={dialog?.kind === 'deploy'}
        title={`Deploy ${entityRef}`}
        description="Renders the current spec, stores it as a revision (or reuses the latest when unchanged) and rolls it out one process at a time."
        confirmLabel="Deploy"
        onCancel={close}
        onConfirm={deploy}
      >
        <FormControlLabel
          control={
            <Checkbox
              checked={autoRollback}
              onChange={e => setAutoRollback(e.target.checked)}
            />
          }
          label="Roll back by itself when the health gate fails"
        />
      </ReasonDialog>
      <ReasonDialog
        open={dialog?.kind === 'stop'}
        title={`Stop every process of ${entityRef}`}
        description="Stops all processes, and a running rollout before its next step."
        confirmLabel="Stop"
        onCancel={close}
        onConfirm={stop}
      />
      <ReasonDialog
        open={dialog?.kind === 'rollback'}
        title={
          dialog?.kind === 'rollback'
            ? `Roll back from revision ${dialog.rollout.revisionNumber}`
            : 'Roll back'
        }
        description="Deploys an earlier revision again, rendered from its snapshot; refused if today's cluster settings would render it differently."
        confirmLabel="Roll back"
        onCancel={close}
        onConfirm={rollBack}
      >
        {dialog?.kind === 'rollback' && (
          <FormControl fullWidth margin="normal">
            <InputLabel id="rollback-to-label">Roll back to</InputLabel>
            <Select
              labelId="rollback-to-label"
              value={rollbackTo}
              onChange={e => setRollbackTo(String(e.target.value))}
            >
              {otherRevisions(shown.revisions, dialog.rollout).map(rev => (
                <MenuItem key={rev.id} value={rev.id}>
                  Revision {rev.number}, {formatTime(rev.createdAt)} (
                  {rev.reason || rev.createdBy})
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        )}
      </ReasonDialog>
    </Grid>
  );
};
