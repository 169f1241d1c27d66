import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type { ProcessStatus } from '../../api';
import { formatTime, ProcessStateLabel } from './format';

/** The processes as the deploy target sees them now; takes data. */
export const ProcessesTable = ({
  processes,
}: {
  processes: ProcessStatus[];
}) => {
  if (processes.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No process is placed yet: deploy to start them.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Processes">
      <TableHead>
        <TableRow>
          <TableCell>Host</TableCell>
          <TableCell>Index</TableCell>
          <TableCell>State</TableCell>
          <TableCell>PID</TableCell>
          <TableCell>Restarts</TableCell>
          <TableCell>Since</TableCell>
          <TableCell>Message</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {processes.map(p => (
          <TableRow key={`${p.host}/${p.index}`} data-process={p.host}>
            <TableCell>{p.host}</TableCell>
            <TableCell>{p.index}</TableCell>
            <TableCell>
              <ProcessStateLabel state={p.state} />
            </TableCell>
            <TableCell>{p.pid ?? ''}</TableCell>
            <TableCell>{p.restarts}</TableCell>
            <TableCell>{formatTime(p.since)}</TableCell>
            <TableCell>{p.message ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
