import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { ReplicationRequest } from '@mirrormaker/plugin-mirror-maker-common';
import { formatTime } from '../DeploymentsView/format';

export interface RequestDetailsProps {
  request: ReplicationRequest;
  /** The request's own page, when the plugin page is mounted. */
  requestLink?: string;
  /** The rollout carrying the request, when it has one. */
  rollout?: ReactNode;
}

/** What happened to a request, step by step, with its warnings and rollout. */
export const RequestDetails = ({
  request,
  requestLink,
  rollout,
}: RequestDetailsProps) => (
  <Box py={1} data-testid={`request-details-${request.id}`}>
    <Typography variant="body2">
      Request {request.id}: {request.sourceCluster} ({request.sourceDataCentre})
      → {request.targetCluster} ({request.targetDataCentre})
      {request.newDeployment ? '; asks for a new deployment' : ''}
      {requestLink && (
        <>
          {' '}
          (<Link to={requestLink}>open this request on its own page</Link>)
        </>
      )}
    </Typography>
    {request.warnings.map(w => (
      <Box mt={1} key={`${w.field}:${w.message}`}>
        <Alert severity="warning">
          {w.field}: {w.message}
        </Alert>
      </Box>
    ))}
    {request.failure && (
      <Box mt={1}>
        <Alert severity="error">{request.failure}</Alert>
      </Box>
    )}
    <Table size="small" aria-label={`History of request ${request.id}`}>
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>Step</TableCell>
          <TableCell>By</TableCell>
          <TableCell>Message</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {request.events.map((event, i) => (
          <TableRow key={`${event.at}-${i}`} data-event={event.type}>
            <TableCell>{formatTime(event.at)}</TableCell>
            <TableCell>{event.type}</TableCell>
            <TableCell>{event.actor}</TableCell>
            <TableCell>{event.message}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
    {rollout && <Box mt={2}>{rollout}</Box>}
  </Box>
);
