import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { TopologyFinding } from '@mirrormaker/plugin-mirror-maker-common';

export interface FindingsListProps {
  findings: TopologyFinding[];
  /** Said when there are no findings; nothing is shown when left out. */
  emptyText?: string;
}

/** Topology findings as alerts, in the order given (the backend sorts errors first). */
export const FindingsList = ({ findings, emptyText }: FindingsListProps) => {
  if (findings.length === 0) {
    return emptyText ? (
      <Typography variant="body2">{emptyText}</Typography>
    ) : null;
  }
  return (
    <div>
      {findings.map(finding => (
        <Box key={finding.id} mb={1}>
          <Alert severity={finding.severity} data-finding={finding.id}>
            {finding.message}
          </Alert>
        </Box>
      ))}
    </div>
  );
};
