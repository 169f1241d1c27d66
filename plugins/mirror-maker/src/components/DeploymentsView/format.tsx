import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import type { ProcessStatus, RolloutStatus } from '../../api';

const FINAL: RolloutStatus[] = ['succeeded', 'failed', 'stopped'];

/** Whether a rollout has ended; polling stops there. */
export const isFinal = (status: RolloutStatus) => FINAL.includes(status);

/**
 * What the backend said: a `ResponseError` carries the server's error as
 * `cause`, whose message names what was wrong; its own message is only the
 * HTTP status.
 */
export function messageOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (
    cause &&
    typeof cause === 'object' &&
    typeof (cause as { message?: unknown }).message === 'string'
  ) {
    return (cause as { message: string }).message;
  }
  return error.message;
}

export const formatTime = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleString() : '';

/** `42s`, `3m 05s`, `1h 02m`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  }
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(
    2,
    '0',
  )}m`;
}

export const RolloutStatusLabel = ({ status }: { status: RolloutStatus }) => {
  switch (status) {
    case 'succeeded':
      return <StatusOK>succeeded</StatusOK>;
    case 'failed':
      return <StatusError>failed</StatusError>;
    case 'running':
      return <StatusRunning>running</StatusRunning>;
    case 'pending':
      return <StatusPending>pending</StatusPending>;
    default:
      return <StatusAborted>{status}</StatusAborted>;
  }
};

export const ProcessStateLabel = ({
  state,
}: {
  state: ProcessStatus['state'];
}) => {
  switch (state) {
    case 'running':
      return <StatusOK>running</StatusOK>;
    case 'failed':
      return <StatusError>failed</StatusError>;
    case 'starting':
    case 'restarting':
      return <StatusPending>{state}</StatusPending>;
    default:
      return <StatusAborted>{state}</StatusAborted>;
  }
};
