import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  mirrorMakerRequestApprovePermission,
  mirrorMakerRequestSelfApprovePermission,
  ReplicationRequest,
} from '@mirrormaker/plugin-mirror-maker-common';
import { messageOf } from '../DeploymentsView/format';
import { isActive } from './format';

export type RequestAction = 'approve' | 'reject' | 'cancel';

/** Why a decision button is disabled, or undefined when it is enabled. */
interface Decisions {
  approve?: string;
  reject?: string;
}

function useDecisions(
  request: ReplicationRequest,
  own: boolean,
): Decisions & { checking: boolean } {
  const approveName = mirrorMakerRequestApprovePermission.name;
  const selfName = mirrorMakerRequestSelfApprovePermission.name;
  const approve = usePermission({
    permission: mirrorMakerRequestApprovePermission,
    resourceRef: request.deploymentRef,
  });
  // Only asked when the user filed the request; no resource answers DENY without a call.
  const self = usePermission({
    permission: mirrorMakerRequestSelfApprovePermission,
    resourceRef: own ? request.deploymentRef : undefined,
  });

  if (!request.deploymentRef) {
    // No deployment to check the permission on yet: the backend decides.
    return { checking: false };
  }
  if (approve.loading || (own && self.loading)) {
    const why = `Checking permission ${approveName}…`;
    return { checking: true, approve: why, reject: why };
  }
  if (approve.error) {
    const why = `Could not check permission ${approveName}: ${messageOf(
      approve.error,
    )}`;
    return { checking: false, approve: why, reject: why };
  }
  if (!approve.allowed) {
    const why = `You lack the permission ${approveName} on ${request.deploymentRef}: only its owners approve or reject.`;
    return { checking: false, approve: why, reject: why };
  }
  if (own && !self.allowed) {
    return {
      checking: false,
      approve: `You filed this request; approving it yourself needs the permission ${selfName}. Another owner of ${request.deploymentRef} can approve it.`,
    };
  }
  return { checking: false };
}

const ActionButton = ({
  label,
  disabledWhy,
  primary,
  onClick,
}: {
  label: string;
  disabledWhy?: string;
  primary?: boolean;
  onClick: () => void;
}) => (
  <Tooltip title={disabledWhy ?? ''}>
    <span>
      <Button
        size="small"
        variant={primary ? 'contained' : 'outlined'}
        color={primary ? 'primary' : 'default'}
        disabled={disabledWhy !== undefined}
        onClick={onClick}
        style={{ marginRight: 4, marginBottom: 4 }}
      >
        {label}
      </Button>
    </span>
  </Tooltip>
);

export interface RequestActionsProps {
  request: ReplicationRequest;
  /** The signed-in user; Cancel is offered to the requester. */
  userEntityRef?: string;
  onAction: (action: RequestAction, request: ReplicationRequest) => void;
}

/**
 * Approve and Reject for a pending request, enabled by the approve
 * permission on its deployment, with the reason shown when they are not;
 * Cancel for the requester while the request is pending or approved.
 */
export const RequestActions = ({
  request,
  userEntityRef,
  onAction,
}: RequestActionsProps) => {
  const own =
    userEntityRef !== undefined && request.requester === userEntityRef;
  const decisions = useDecisions(request, own);
  const pending = request.status === 'pending';
  const cancellable = own && isActive(request);
  if (!pending && !cancellable) return null;

  const why = [
    ...new Set([decisions.approve, decisions.reject].filter(Boolean)),
  ] as string[];
  return (
    <Box>
      {pending && (
        <>
          <ActionButton
            label="Approve"
            primary
            disabledWhy={decisions.approve}
            onClick={() => onAction('approve', request)}
          />
          <ActionButton
            label="Reject"
            disabledWhy={decisions.reject}
            onClick={() => onAction('reject', request)}
          />
        </>
      )}
      {cancellable && (
        <ActionButton
          label="Cancel"
          onClick={() => onAction('cancel', request)}
        />
      )}
      {pending &&
        why.map(text => (
          <Typography
            key={text}
            variant="caption"
            color="textSecondary"
            component="p"
            data-testid={`request-permission-${request.id}`}
          >
            {text}
          </Typography>
        ))}
    </Box>
  );
};
