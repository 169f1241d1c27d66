import { useState } from 'react';
import { Progress } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { Box } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  ReplicationRequest,
  ReplicationRequestStatus,
} from '@mirrormaker/plugin-mirror-maker-common';
import useAsync from 'react-use/esm/useAsync';
import { mirrorMakerApiRef } from '../../api';
import { messageOf } from '../DeploymentsView/format';
import {
  RolloutProgressView,
  useRolloutPoll,
} from '../DeploymentsView/RolloutProgress';
import { DEFAULT_STATUSES } from './format';
import { useDeploymentLink, useRequestLink } from './links';
import { RequestsView } from './RequestsView';
import { RequestQueue, useRequest, useRequestQueue } from './useRequests';

/** The rollout of an opened request, followed while it runs. */
const RequestRollout = ({
  rolloutId,
  intervalMs,
}: {
  rolloutId: string;
  intervalMs: number;
}) => {
  const api = useApi(mirrorMakerApiRef);
  const progress = useRolloutPoll(api, rolloutId, intervalMs);
  if (progress.error && !progress.detail) {
    return (
      <Alert severity="error">
        Rollout {rolloutId}: {messageOf(progress.error)}
      </Alert>
    );
  }
  return progress.detail ? (
    <RolloutProgressView rollout={progress.detail} now={Date.now()} />
  ) : (
    <Progress />
  );
};

/** Who is signed in; undefined until known (nobody gets Cancel meanwhile). */
function useUserEntityRef(): string | undefined {
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  return identity.value?.userEntityRef;
}

interface SharedProps {
  /** How often active requests are fetched again; default 5 s. */
  pollIntervalMs?: number;
  /**
   * Where the app mounts the replication content on an entity page, for
   * the rollout links: `''` (the page root, as the legacy app does) or
   * `mirror-maker` (the new frontend system).
   */
  entityContentPath?: string;
}

/** Wires a queue of requests to the view: decisions, links, identity. */
const QueueView = ({
  queue,
  pollIntervalMs,
  entityContentPath,
  statuses,
  onStatusesChange,
  initiallyOpen,
  emptyDescription,
}: SharedProps & {
  queue: RequestQueue;
  pollIntervalMs: number;
  statuses?: ReplicationRequestStatus[];
  onStatusesChange?: (statuses: ReplicationRequestStatus[]) => void;
  initiallyOpen?: string[];
  emptyDescription?: string;
}) => {
  const api = useApi(mirrorMakerApiRef);
  const userEntityRef = useUserEntityRef();
  const deploymentLink = useDeploymentLink(entityContentPath);
  const requestLink = useRequestLink();
  const done = (request: ReplicationRequest) => {
    queue.replace(request);
    queue.reload();
  };

  return (
    <RequestsView
      requests={queue.requests}
      error={queue.error}
      statuses={statuses}
      onStatusesChange={onStatusesChange}
      userEntityRef={userEntityRef}
      onApprove={async (r, note) => done(await api.approveRequest(r.id, note))}
      onReject={async (r, reason) =>
        done(await api.rejectRequest(r.id, reason))
      }
      onCancel={async (r, reason) =>
        done(await api.cancelRequest(r.id, reason))
      }
      deploymentLink={deploymentLink}
      requestLink={requestLink}
      renderRollout={r =>
        r.rolloutId ? (
          <RequestRollout
            rolloutId={r.rolloutId}
            intervalMs={Math.min(pollIntervalMs, 2000)}
          />
        ) : null
      }
      initiallyOpen={initiallyOpen}
      emptyDescription={emptyDescription}
    />
  );
};

export interface RequestsContentProps extends SharedProps {
  /** Only the requests about this entity ref (deployment, service, team or requester). */
  entity?: string;
  /** The statuses shown first; default pending and approved. */
  initialStatuses?: ReplicationRequestStatus[];
}

/**
 * The replication request queue, filtered by status, refreshed while a
 * shown request is pending or approved, with approve, reject and cancel.
 */
export const RequestsContent = ({
  entity,
  initialStatuses = DEFAULT_STATUSES,
  pollIntervalMs = 5000,
  entityContentPath,
}: RequestsContentProps) => {
  const api = useApi(mirrorMakerApiRef);
  const [statuses, setStatuses] =
    useState<ReplicationRequestStatus[]>(initialStatuses);
  const queue = useRequestQueue(api, {
    statuses,
    entity,
    intervalMs: pollIntervalMs,
  });
  return (
    <QueueView
      queue={queue}
      pollIntervalMs={pollIntervalMs}
      entityContentPath={entityContentPath}
      statuses={statuses}
      onStatusesChange={setStatuses}
      emptyDescription={
        entity
          ? `No request names ${entity} as its deployment, service, team or requester.`
          : undefined
      }
    />
  );
};

export interface RequestContentProps extends SharedProps {
  id: string;
}

/** One replication request, opened on its history; refreshed while it is active. */
export const RequestContent = ({
  id,
  pollIntervalMs = 5000,
  entityContentPath,
}: RequestContentProps) => {
  const api = useApi(mirrorMakerApiRef);
  const queue = useRequest(api, id, pollIntervalMs);
  return (
    <Box>
      <QueueView
        queue={queue}
        pollIntervalMs={pollIntervalMs}
        entityContentPath={entityContentPath}
        initiallyOpen={[id]}
      />
    </Box>
  );
};
