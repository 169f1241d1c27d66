import { Fragment, ReactNode, useState } from 'react';
import {
  Button,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
} from '@material-ui/core';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import type { Rollout } from '../../api';
import { formatTime, isFinal, RolloutStatusLabel } from './format';

export interface HistoryTableProps {
  /** Newest first, as the backend lists them. */
  rollouts: Rollout[];
  /** Why rolling back is not possible now; unset when it is. */
  rollBackDisabledReason?: string;
  /** Rolling back needs another revision to go to. */
  canRollBack: (rollout: Rollout) => boolean;
  onRollBack: (rollout: Rollout) => void;
  /** The events of an opened row. */
  renderEvents: (rollout: Rollout) => ReactNode;
}

/** The rollouts of a deployment, each openable to its events; takes data. */
export const HistoryTable = ({
  rollouts,
  rollBackDisabledReason,
  canRollBack,
  onRollBack,
  renderEvents,
}: HistoryTableProps) => {
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const toggle = (id: string) => setOpen(o => ({ ...o, [id]: !o[id] }));

  return (
    <Table size="small" aria-label="Deployment history">
      <TableHead>
        <TableRow>
          <TableCell />
          <TableCell>Revision</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>By</TableCell>
          <TableCell>When</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell>Message</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {rollouts.map(r => {
          const rollable = isFinal(r.status) && canRollBack(r);
          const disabledWhy = !isFinal(r.status)
            ? 'The rollout has not finished'
            : rollBackDisabledReason ??
              (canRollBack(r) ? undefined : 'No other revision to go back to');
          return (
            <Fragment key={r.id}>
              <TableRow data-rollout={r.id}>
                <TableCell padding="checkbox">
                  <IconButton
                    size="small"
                    aria-label={`${
                      open[r.id] ? 'Hide' : 'Show'
                    } events of revision ${r.revisionNumber} (${r.id})`}
                    onClick={() => toggle(r.id)}
                  >
                    {open[r.id] ? (
                      <KeyboardArrowDownIcon />
                    ) : (
                      <KeyboardArrowRightIcon />
                    )}
                  </IconButton>
                </TableCell>
                <TableCell>
                  #{r.revisionNumber}
                  {r.kind === 'rollback' ? ' (rollback)' : ''}
                </TableCell>
                <TableCell>
                  <RolloutStatusLabel status={r.status} />
                </TableCell>
                <TableCell>{r.actor}</TableCell>
                <TableCell>{formatTime(r.createdAt)}</TableCell>
                <TableCell>{r.reason}</TableCell>
                <TableCell>{r.message ?? ''}</TableCell>
                <TableCell>
                  <Tooltip title={disabledWhy ?? ''}>
                    <span>
                      <Button
                        size="small"
                        disabled={!rollable || !!rollBackDisabledReason}
                        onClick={() => onRollBack(r)}
                        aria-label={`Roll back revision ${r.revisionNumber} (${r.id})`}
                      >
                        Roll back
                      </Button>
                    </span>
                  </Tooltip>
                </TableCell>
              </TableRow>
              {open[r.id] && (
                <TableRow>
                  <TableCell colSpan={8}>{renderEvents(r)}</TableCell>
                </TableRow>
              )}
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
};
