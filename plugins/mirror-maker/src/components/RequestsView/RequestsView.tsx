import { Fragment, ReactNode, useState } from 'react';
import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Chip,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import { Alert } from '@material-ui/lab';
import {
  REPLICATION_REQUEST_STATUSES,
  ReplicationRequest,
  ReplicationRequestStatus,
} from '@mirrormaker/plugin-mirror-maker-common';
import { formatTime, messageOf } from '../DeploymentsView/format';
import { DecisionDialog } from './DecisionDialog';
import { decisionVerb, RequestStatusChip, topicsText } from './format';
import { RequestAction, RequestActions } from './RequestActions';
import { RequestDetails } from './RequestDetails';

const COLUMNS = 12;

export interface RequestsViewProps {
  /** Newest first; undefined while the first answer is awaited. */
  requests?: ReplicationRequest[];
  /** Why the requests could not be (re)loaded. */
  error?: Error;
  /** The statuses shown; the filter is left out without `onStatusesChange`. */
  statuses?: ReplicationRequestStatus[];
  onStatusesChange?: (statuses: ReplicationRequestStatus[]) => void;
  /** The signed-in user; the requester may cancel. */
  userEntityRef?: string;
  onApprove: (request: ReplicationRequest, note?: string) => Promise<void>;
  onReject: (request: ReplicationRequest, reason: string) => Promise<void>;
  onCancel: (request: ReplicationRequest, reason?: string) => Promise<void>;
  /** The Deployments view of a deployment, opened on a rollout. */
  deploymentLink?: (deploymentRef: string, rolloutId?: string) => string;
  /** A request's own page. */
  requestLink?: (id: string) => string;
  /** The rollout carrying an opened request. */
  renderRollout?: (request: ReplicationRequest) => ReactNode;
  /** Requests opened from the start (the request page opens its one). */
  initiallyOpen?: string[];
  /** What the empty state says, e.g. whose requests these are. */
  emptyDescription?: string;
}

/** Toggle chips, one per status; all or none selected both mean every status. */
export const StatusFilter = ({
  statuses,
  onChange,
}: {
  statuses: ReplicationRequestStatus[];
  onChange: (statuses: ReplicationRequestStatus[]) => void;
}) => (
  <Box
    mb={1}
    display="flex"
    flexWrap="wrap"
    alignItems="center"
    role="group"
    aria-label="Filter by status"
  >
    <Typography variant="body2" component="span" style={{ marginRight: 8 }}>
      Status:
    </Typography>
    {REPLICATION_REQUEST_STATUSES.map(status => {
      const selected = statuses.includes(status);
      return (
        <Chip
          key={status}
          label={status}
          size="small"
          clickable
          color={selected ? 'primary' : 'default'}
          variant={selected ? 'default' : 'outlined'}
          aria-pressed={selected}
          data-testid={`request-filter-${status}`}
          onClick={() =>
            onChange(
              selected
                ? statuses.filter(s => s !== status)
                : REPLICATION_REQUEST_STATUSES.filter(
                    s => s === status || statuses.includes(s),
                  ),
            )
          }
          style={{ marginRight: 4, marginBottom: 4 }}
        />
      );
    })}
    <Chip
      label="all"
      size="small"
      clickable
      variant="outlined"
      data-testid="request-filter-all"
      onClick={() => onChange([...REPLICATION_REQUEST_STATUSES])}
      style={{ marginRight: 4, marginBottom: 4 }}
    />
  </Box>
);

const RefOrDash = ({ entityRef }: { entityRef?: string }) =>
  entityRef ? <EntityRefLink entityRef={entityRef} /> : <>—</>;

const RolloutCell = ({
  request,
  deploymentLink,
}: {
  request: ReplicationRequest;
  deploymentLink?: RequestsViewProps['deploymentLink'];
}) => {
  const parts: ReactNode[] = [];
  if (request.rolloutId) {
    const to =
      request.deploymentRef && deploymentLink
        ? deploymentLink(request.deploymentRef, request.rolloutId)
        : undefined;
    parts.push(
      to ? (
        <Link
          key="rollout"
          to={to}
          data-testid={`request-rollout-${request.id}`}
        >
          Rollout
        </Link>
      ) : (
        <span key="rollout">Rollout {request.rolloutId}</span>
      ),
    );
  }
  if (request.revision !== undefined) {
    parts.push(
      <Typography
        key="revision"
        variant="body2"
        component="div"
        data-testid={`request-revision-${request.id}`}
      >
        revision {request.revision}
      </Typography>,
    );
  }
  if (request.scheduledFor && request.status === 'approved') {
    parts.push(
      <Typography key="scheduled" variant="body2" component="div">
        scheduled for {formatTime(request.scheduledFor)}
      </Typography>,
    );
  }
  return parts.length ? <>{parts}</> : <>—</>;
};

const RequestRow = ({
  request,
  open,
  onToggle,
  props,
  onAction,
}: {
  request: ReplicationRequest;
  open: boolean;
  onToggle: () => void;
  props: RequestsViewProps;
  onAction: (action: RequestAction, request: ReplicationRequest) => void;
}) => (
  <Fragment>
    <TableRow data-testid={`request-row-${request.id}`}>
      <TableCell padding="checkbox">
        <IconButton
          size="small"
          aria-label={`${open ? 'Hide' : 'Show'} history of request ${
            request.id
          }`}
          aria-expanded={open}
          onClick={onToggle}
        >
          {open ? <KeyboardArrowDownIcon /> : <KeyboardArrowRightIcon />}
        </IconButton>
      </TableCell>
      <TableCell>
        <RequestStatusChip request={request} />
        {request.failure && (
          <Typography
            variant="caption"
            color="error"
            component="p"
            data-testid={`request-failure-${request.id}`}
          >
            {request.failure}
          </Typography>
        )}
      </TableCell>
      <TableCell>{topicsText(request)}</TableCell>
      <TableCell>
        <span title={`${request.sourceCluster} → ${request.targetCluster}`}>
          {request.sourceDataCentre} → {request.targetDataCentre}
        </span>
      </TableCell>
      <TableCell>
        <RefOrDash entityRef={request.team} />
        <Typography variant="caption" component="div">
          by <EntityRefLink entityRef={request.requester} />,{' '}
          {formatTime(request.createdAt)}
        </Typography>
      </TableCell>
      <TableCell>
        <RefOrDash entityRef={request.service} />
      </TableCell>
      <TableCell>
        {request.deploymentRef ? (
          <EntityRefLink entityRef={request.deploymentRef} />
        ) : (
          'none yet'
        )}
        {request.newDeployment && (
          <Typography variant="caption" component="div">
            new deployment
          </Typography>
        )}
      </TableCell>
      <TableCell style={{ whiteSpace: 'pre-wrap' }}>{request.reason}</TableCell>
      <TableCell>{request.desiredDate ?? '—'}</TableCell>
      <TableCell data-testid={`request-decision-${request.id}`}>
        {request.decision ? (
          <>
            {decisionVerb(request)} by{' '}
            <EntityRefLink entityRef={request.decision.by} />,{' '}
            {formatTime(request.decision.at)}
            {request.decision.reason && (
              <Typography variant="body2" component="div">
                “{request.decision.reason}”
              </Typography>
            )}
          </>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>
        <RolloutCell request={request} deploymentLink={props.deploymentLink} />
      </TableCell>
      <TableCell>
        <RequestActions
          request={request}
          userEntityRef={props.userEntityRef}
          onAction={onAction}
        />
      </TableCell>
    </TableRow>
    {open && (
      <TableRow>
        <TableCell colSpan={COLUMNS}>
          <RequestDetails
            request={request}
            requestLink={props.requestLink?.(request.id)}
            rollout={
              request.rolloutId ? props.renderRollout?.(request) : undefined
            }
          />
        </TableCell>
      </TableRow>
    )}
  </Fragment>
);

type DialogState = { action: RequestAction; request: ReplicationRequest };

/**
 * The replication request queue: a status filter, one row per request with
 * its decision and rollout, the history of an opened row, and the approve,
 * reject and cancel dialogs. Takes data and callbacks; fetches nothing.
 */
export const RequestsView = (props: RequestsViewProps) => {
  const { requests, error, statuses, onStatusesChange } = props;
  const [open, setOpen] = useState<Record<string, boolean>>(() =>
    Object.fromEntries((props.initiallyOpen ?? []).map(id => [id, true])),
  );
  const [dialog, setDialog] = useState<DialogState>();
  const close = () => setDialog(undefined);
  const onAction = (action: RequestAction, request: ReplicationRequest) =>
    setDialog({ action, request });

  const decide = async (reason: string | undefined) => {
    if (!dialog) return;
    const { action, request } = dialog;
    if (action === 'approve') await props.onApprove(request, reason);
    else if (action === 'reject') await props.onReject(request, reason ?? '');
    else await props.onCancel(request, reason);
    close();
  };

  let body: ReactNode;
  if (requests === undefined) {
    body = error ? (
      <ResponseErrorPanel title={messageOf(error)} error={error} />
    ) : (
      <Progress />
    );
  } else if (requests.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No replication requests"
        description={
          (statuses &&
          statuses.length > 0 &&
          statuses.length < REPLICATION_REQUEST_STATUSES.length
            ? `None is ${statuses.join(' or ')}. `
            : '') +
          (props.emptyDescription ??
            'Teams ask for their topics to be replicated with the replication request template.')
        }
      />
    );
  } else {
    body = (
      <Box style={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Replication requests">
          <TableHead>
            <TableRow>
              <TableCell />
              <TableCell>Status</TableCell>
              <TableCell>Topics</TableCell>
              <TableCell>Route</TableCell>
              <TableCell>Team</TableCell>
              <TableCell>Service</TableCell>
              <TableCell>Deployment</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>Needed by</TableCell>
              <TableCell>Decision</TableCell>
              <TableCell>Rollout</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {requests.map(request => (
              <RequestRow
                key={request.id}
                request={request}
                open={Boolean(open[request.id])}
                onToggle={() =>
                  setOpen(o => ({ ...o, [request.id]: !o[request.id] }))
                }
                props={props}
                onAction={onAction}
              />
            ))}
          </TableBody>
        </Table>
      </Box>
    );
  }

  const target = dialog?.request;
  const what = target
    ? `${topicsText(target)} from ${target.sourceDataCentre} to ${
        target.targetDataCentre
      }`
    : '';
  return (
    <>
      {statuses && onStatusesChange && (
        <StatusFilter statuses={statuses} onChange={onStatusesChange} />
      )}
      {error && requests !== undefined && (
        <Box mb={1}>
          <Alert severity="warning">
            Could not reload the requests: {messageOf(error)}
          </Alert>
        </Box>
      )}
      {body}
      <DecisionDialog
        open={dialog?.action === 'approve'}
        title="Approve replication request"
        description={`Replicates ${what} through ${
          target?.deploymentRef ?? 'a new deployment'
        }: the topics join its effective topic list and roll out${
          target?.scheduledFor ? ' in its maintenance window' : ''
        }.`}
        confirmLabel="Approve request"
        reasonLabel="Note"
        reasonHelp="Optional; shown to the requester"
        reasonRequired={false}
        onClose={close}
        onConfirm={decide}
      />
      <DecisionDialog
        open={dialog?.action === 'reject'}
        title="Reject replication request"
        description={`Refuses to replicate ${what}.`}
        confirmLabel="Reject request"
        reasonLabel="Reason"
        reasonHelp="Required; tells the requester why and what to do instead"
        reasonRequired
        onClose={close}
        onConfirm={decide}
      />
      <DecisionDialog
        open={dialog?.action === 'cancel'}
        title="Cancel replication request"
        description={`Withdraws the request to replicate ${what}.`}
        confirmLabel="Cancel request"
        reasonLabel="Reason"
        reasonHelp="Optional"
        reasonRequired={false}
        onClose={close}
        onConfirm={decide}
      />
    </>
  );
};
