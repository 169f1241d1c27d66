import { ChangeEvent, useId, useMemo, useState } from 'react';
import {
  Box,
  Checkbox,
  FormControlLabel,
  makeStyles,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TableSortLabel,
  TextField,
  Typography,
} from '@material-ui/core';
import type { GroupLag } from '../../api';
import { formatCount } from './format';
import {
  DEFAULT_PARTITION_QUERY,
  PartitionQuery,
  partitionRows,
  PartitionSortKey,
  selectPartitions,
} from './partitions';

/** How many rows the table can be asked to show. */
export const PARTITION_LIMITS = [10, 25, 50, 100, 250, 500];

export interface PartitionLagTableProps {
  lag: GroupLag;
  /** Rows shown at first; default 50. */
  defaultLimit?: number;
}

const COLUMNS: { key: PartitionSortKey; label: string; numeric: boolean }[] = [
  { key: 'topic', label: 'Topic', numeric: false },
  { key: 'partition', label: 'Partition', numeric: true },
  { key: 'logEndOffset', label: 'Log-end offset', numeric: true },
  { key: 'committedOffset', label: 'Committed offset', numeric: true },
  { key: 'lag', label: 'Lag', numeric: true },
];

const useStyles = makeStyles(theme => ({
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  search: { minWidth: 240 },
  container: { maxHeight: 640 },
  noCommit: { color: theme.palette.warning.dark, fontStyle: 'italic' },
}));

/**
 * Lag per source partition. Sized for groups reading thousands of
 * partitions: the search and the order apply to all of them, then only the
 * first rows are drawn, and a totals line says how many there are.
 * (core-components' Table sorts only the rows it is given, so the cut to the
 * first rows could not follow its order; hence a plain table.)
 */
export const PartitionLagTable = ({
  lag,
  defaultLimit = DEFAULT_PARTITION_QUERY.limit,
}: PartitionLagTableProps) => {
  const classes = useStyles();
  const id = useId();
  const [query, setQuery] = useState<PartitionQuery>({
    ...DEFAULT_PARTITION_QUERY,
    limit: defaultLimit,
  });
  const rows = useMemo(() => partitionRows(lag.topics), [lag.topics]);
  const selection = useMemo(() => selectPartitions(rows, query), [rows, query]);
  const limits = PARTITION_LIMITS.includes(query.limit)
    ? PARTITION_LIMITS
    : [...PARTITION_LIMITS, query.limit].sort((a, b) => a - b);

  // A second click turns the order round; a new column starts with names
  // and numbers in order, offsets and lag largest first.
  const sortBy = (key: PartitionSortKey) =>
    setQuery(q => {
      let direction: PartitionQuery['direction'] =
        key === 'topic' || key === 'partition' ? 'asc' : 'desc';
      if (q.sortBy === key) direction = q.direction === 'asc' ? 'desc' : 'asc';
      return { ...q, sortBy: key, direction };
    });

  const filtered = query.search.trim() !== '' || query.withoutCommitOnly;
  const totals = [
    `Showing ${formatCount(selection.rows.length)} of ${formatCount(
      selection.matching,
    )} partitions`,
    filtered ? ` matching (${formatCount(selection.total)} in all)` : '',
    `, total lag ${formatCount(selection.matchingLag)}`,
    selection.matchingWithoutCommit > 0
      ? `, ${formatCount(selection.matchingWithoutCommit)} without a commit`
      : '',
  ].join('');

  return (
    <Box>
      <div className={classes.controls}>
        <TextField
          id={`${id}-search`}
          className={classes.search}
          label="Search topics"
          size="small"
          variant="outlined"
          value={query.search}
          onChange={(e: ChangeEvent<HTMLInputElement>) => {
            const search = e.target.value;
            setQuery(q => ({ ...q, search }));
          }}
        />
        <TextField
          id={`${id}-limit`}
          select
          label="Show"
          size="small"
          variant="outlined"
          value={query.limit}
          onChange={(e: ChangeEvent<HTMLInputElement>) => {
            const limit = Number(e.target.value);
            setQuery(q => ({ ...q, limit }));
          }}
          SelectProps={{ inputProps: { 'aria-label': 'Partitions shown' } }}
        >
          {limits.map(n => (
            <MenuItem key={n} value={n}>
              {`first ${n}`}
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Checkbox
              checked={!!query.withoutCommitOnly}
              onChange={(_, checked) =>
                setQuery(q => ({ ...q, withoutCommitOnly: checked }))
              }
            />
          }
          label="Only partitions without a commit"
        />
      </div>
      <Typography variant="body2" gutterBottom data-testid="partition-totals">
        {totals}
      </Typography>
      <TableContainer className={classes.container}>
        <Table size="small" stickyHeader aria-label="Lag per partition">
          <TableHead>
            <TableRow>
              {COLUMNS.map(c => (
                <TableCell
                  key={c.key}
                  align={c.numeric ? 'right' : 'left'}
                  sortDirection={
                    query.sortBy === c.key ? query.direction : false
                  }
                >
                  <TableSortLabel
                    active={query.sortBy === c.key}
                    direction={query.sortBy === c.key ? query.direction : 'asc'}
                    onClick={() => sortBy(c.key)}
                  >
                    {c.label}
                  </TableSortLabel>
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {selection.rows.length === 0 ? (
              <TableRow>
                <TableCell colSpan={COLUMNS.length}>
                  {selection.total === 0
                    ? 'The group reads no partition yet.'
                    : 'No partition matches.'}
                </TableCell>
              </TableRow>
            ) : (
              selection.rows.map(r => (
                <TableRow
                  key={`${r.topic}\u0000${r.partition}`}
                  data-partition-row
                >
                  <TableCell>{r.topic}</TableCell>
                  <TableCell align="right">{r.partition}</TableCell>
                  <TableCell align="right">
                    {formatCount(r.logEndOffset)}
                  </TableCell>
                  <TableCell align="right">
                    {r.committedOffset === null ? (
                      <span className={classes.noCommit}>no commit</span>
                    ) : (
                      formatCount(r.committedOffset)
                    )}
                  </TableCell>
                  <TableCell align="right">
                    {r.lag === null ? (
                      <span className={classes.noCommit}>no commit</span>
                    ) : (
                      formatCount(r.lag)
                    )}
                  </TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
};
