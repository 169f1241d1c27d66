import { Chip } from '@material-ui/core';
import type {
  ReplicationRequest,
  ReplicationRequestStatus,
} from '@mirrormaker/plugin-mirror-maker-common';

/** Statuses in which a request still changes by itself; the queue refreshes while one is shown. */
export const ACTIVE_STATUSES: ReplicationRequestStatus[] = [
  'pending',
  'approved',
];

/** What the queue shows first: the requests still waiting or rolling out. */
export const DEFAULT_STATUSES: ReplicationRequestStatus[] = ACTIVE_STATUSES;

export const isActive = (request: Pick<ReplicationRequest, 'status'>) =>
  ACTIVE_STATUSES.includes(request.status);

const COLORS: Record<
  ReplicationRequestStatus,
  { background: string; color: string }
> = {
  pending: { background: '#fff3e0', color: '#8a4b00' },
  approved: { background: '#e3f2fd', color: '#0d47a1' },
  applied: { background: '#e8f5e9', color: '#1b5e20' },
  failed: { background: '#ffebee', color: '#b71c1c' },
  rejected: { background: '#fce4ec', color: '#880e4f' },
  cancelled: { background: '#eeeeee', color: '#424242' },
};

/** The status as a chip whose text is exactly the status. */
export const RequestStatusChip = ({
  request,
}: {
  request: Pick<ReplicationRequest, 'id' | 'status'>;
}) => (
  <Chip
    size="small"
    label={request.status}
    data-testid={`request-status-${request.id}`}
    style={COLORS[request.status]}
  />
);

/** `orders.dc1, payments.dc1`, or the suffix a new deployment would carry. */
export const topicsText = (
  request: Pick<ReplicationRequest, 'topics' | 'suffix'>,
) =>
  request.topics.length > 0
    ? request.topics.join(', ')
    : `every topic ending in .${request.suffix ?? '?'}`;

/** The verb of a decision, from the status it led to. */
export function decisionVerb(request: ReplicationRequest): string {
  switch (request.status) {
    case 'rejected':
      return 'Rejected';
    case 'cancelled':
      return 'Cancelled';
    default:
      return 'Approved';
  }
}
