import { useEffect, useRef, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import {
  Box,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type { MirrorMakerApi, RolloutDetail, RolloutEvent } from '../../api';
import {
  formatElapsed,
  formatTime,
  isFinal,
  RolloutStatusLabel,
} from './format';

const processName = (host: string, index?: number) =>
  index === undefined ? host : `${host}, process ${index}`;

/** The events of a rollout, oldest first. */
export const RolloutEventList = ({ events }: { events: RolloutEvent[] }) => {
  if (events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No events yet.
      </Typography>
    );
  }
  const sorted = [...events].sort((a, b) => a.id - b.id);
  return (
    <Table size="small" aria-label="Rollout events">
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Step</TableCell>
          <TableCell>Process</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>Duration</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {sorted.map(e => (
          <TableRow key={e.id} data-event={e.kind}>
            <TableCell>{formatTime(e.at)}</TableCell>
            <TableCell>{e.total > 0 ? `${e.step}/${e.total}` : ''}</TableCell>
            <TableCell>
              {e.host !== undefined ? processName(e.host, e.processIndex) : ''}
            </TableCell>
            <TableCell>{e.kind}</TableCell>
            <TableCell>{e.message}</TableCell>
            <TableCell>
              {e.durationMs !== undefined ? formatElapsed(e.durationMs) : ''}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

/** The newest event, by id (the order the backend wrote them). */
const latestOf = (events: RolloutEvent[]) =>
  events.reduce<RolloutEvent | undefined>(
    (latest, e) => (!latest || e.id > latest.id ? e : latest),
    undefined,
  );

/** Where a rollout is: step n of m, the process, the latest event, time taken. */
export const RolloutProgressView = ({
  rollout,
  now,
}: {
  rollout: RolloutDetail;
  /** Epoch ms; the elapsed time of an unfinished rollout runs to it. */
  now: number;
}) => {
  const latest = latestOf(rollout.events);
  const lastProcess = latestOf(rollout.events.filter(e => e.host));
  const total = rollout.totalSteps;
  const step =
    latest && latest.total > 0 && latest.step > 0
      ? latest.step
      : rollout.doneSteps;
  const started = Date.parse(rollout.startedAt ?? rollout.createdAt);
  const ended = rollout.finishedAt ? Date.parse(rollout.finishedAt) : now;
  const final = isFinal(rollout.status);
  const what = rollout.kind === 'rollback' ? 'Rollback' : 'Deployment';

  return (
    <InfoCard
      title={`${what} of revision ${rollout.revisionNumber}`}
      subheader={`${rollout.actor}: ${rollout.reason}`}
    >
      <Box mb={2} data-testid="rollout-progress">
        <Typography variant="body1" component="div">
          <RolloutStatusLabel status={rollout.status} />
        </Typography>
        <Box my={1}>
          {total > 0 ? (
            <LinearProgress
              variant="determinate"
              value={Math.round((rollout.doneSteps / total) * 100)}
            />
          ) : (
            !final && <LinearProgress />
          )}
        </Box>
        <Typography variant="body2">
          {total > 0
            ? `Step ${step} of ${total}`
            : 'Preparing (destination topics, plan)'}
          {` · ${rollout.doneSteps} done · elapsed ${formatElapsed(
            ended - started,
          )}`}
        </Typography>
        {lastProcess?.host && (
          <Typography variant="body2">
            Process: {processName(lastProcess.host, lastProcess.processIndex)}
          </Typography>
        )}
        {latest && (
          <Typography variant="body2">
            Latest: {latest.kind}: {latest.message}
          </Typography>
        )}
        {rollout.message && (
          <Typography
            variant="body2"
            color={rollout.status === 'succeeded' ? 'textPrimary' : 'error'}
          >
            {rollout.message}
          </Typography>
        )}
      </Box>
      <RolloutEventList events={rollout.events} />
    </InfoCard>
  );
};

/**
 * Fetches a rollout every `intervalMs` until it reaches a final status, then
 * calls `onFinished` once. Stops on unmount or when `id` changes. A 4xx
 * answer stops polling (asking again gets the same); other errors are shown
 * and retried.
 */
export function useRolloutPoll(
  api: Pick<MirrorMakerApi, 'getDeployment'>,
  id: string | undefined,
  intervalMs: number,
  onFinished?: (rollout: RolloutDetail) => void,
): { detail?: RolloutDetail; error?: Error } {
  const [detail, setDetail] = useState<RolloutDetail>();
  const [error, setError] = useState<Error>();
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    setDetail(undefined);
    setError(undefined);
    if (!id) return undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const next = await api.getDeployment(id);
        if (cancelled) return;
        setDetail(next);
        setError(undefined);
        if (isFinal(next.status)) {
          finished.current?.(next);
          return;
        }
      } catch (e) {
        if (cancelled) return;
        const err = e instanceof Error ? e : new Error(String(e));
        setError(err);
        const status = (err as { statusCode?: unknown }).statusCode;
        if (typeof status === 'number' && status >= 400 && status < 500) {
          return;
        }
      }
      timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, id, intervalMs]);

  return { detail, error };
}
