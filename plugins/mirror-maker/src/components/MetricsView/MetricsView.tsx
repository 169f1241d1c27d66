import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import {
  Box,
  Grid,
  LinearProgress,
  makeStyles,
  Paper,
  Typography,
} from '@material-ui/core';
import {
  Alert,
  AlertTitle,
  ToggleButton,
  ToggleButtonGroup,
} from '@material-ui/lab';
import type { DeploymentMetrics, MetricsStatus } from '../../api';
import { groupLagOf, lagErrorOf } from './lag';
import {
  formatCount,
  formatLatency,
  formatRate,
  formatTime,
  lastOf,
} from './format';
import { HeartbeatChart, LagChart, ThroughputChart } from './MetricsCharts';
import { PartitionLagTable } from './PartitionLagTable';
import { ProcessTable } from './ProcessTable';
import { METRICS_REFRESH_MS, METRICS_WINDOWS, MetricsWindow } from './windows';

export interface MetricsViewProps {
  metrics: DeploymentMetrics;
  /** The window selected; the figures may still be of the one before while a read runs. */
  window: MetricsWindow;
  onWindowChange: (window: MetricsWindow) => void;
  /** A read is under way. */
  refreshing?: boolean;
  /** Why the latest read failed; `metrics` are then those of an earlier read. */
  refreshError?: Error;
  /** Fixed chart width in pixels; unset: each chart fills its card. */
  chartWidth?: number;
  /** Rows of the lag table shown at first; default 50. */
  partitionLimit?: number;
}

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  figures: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))',
    gap: theme.spacing(2),
  },
  figure: { padding: theme.spacing(1.5, 2) },
  messages: { margin: 0, paddingLeft: theme.spacing(2) },
}));

const STATE: Record<
  MetricsStatus['state'],
  { severity: 'success' | 'info' | 'warning' | 'error'; title: string }
> = {
  ok: { severity: 'success', title: 'Replicating normally' },
  lagging: { severity: 'warning', title: 'Lagging' },
  degraded: { severity: 'warning', title: 'Degraded' },
  down: { severity: 'error', title: 'Down' },
  unknown: { severity: 'warning', title: 'State unknown' },
};

export const StatusBanner = ({ status }: { status: MetricsStatus }) => {
  const classes = useStyles();
  const state = STATE[status.state] ?? STATE.unknown;
  return (
    <Alert severity={state.severity} data-state={status.state}>
      <AlertTitle>{state.title}</AlertTitle>
      {status.messages.length === 0 ? (
        'All processes up, lag steady, heartbeat on time.'
      ) : (
        <ul className={classes.messages}>
          {status.messages.map(m => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
};

const Figure = ({
  label,
  children,
  hint,
}: {
  label: string;
  children: ReactNode;
  hint?: string;
}) => {
  const classes = useStyles();
  return (
    <Paper variant="outlined" className={classes.figure} data-figure={label}>
      <Typography variant="caption" color="textSecondary" component="div">
        {label}
      </Typography>
      <Typography variant="h5" component="div">
        {children}
      </Typography>
      {hint && (
        <Typography variant="caption" color="textSecondary" component="div">
          {hint}
        </Typography>
      )}
    </Paper>
  );
};

/** The headline figures: lag, commits, heartbeat, records in and out now. */
export const SummaryFigures = ({ metrics }: { metrics: DeploymentMetrics }) => {
  const classes = useStyles();
  const lag = groupLagOf(metrics.lag);
  const beat = metrics.heartbeat;
  const inPerSec = lastOf(metrics.throughput, 'inPerSec');
  const outPerSec = lastOf(metrics.throughput, 'outPerSec');
  let heartbeat = 'none yet';
  if (beat.lastLatencyMs !== undefined)
    heartbeat = formatLatency(beat.lastLatencyMs);
  else if (!beat.replicated) heartbeat = 'not replicated';
  return (
    <div className={classes.figures}>
      <Figure
        label="Total lag"
        hint={
          lag
            ? `records, over ${formatCount(lag.partitionCount)} partitions`
            : undefined
        }
      >
        {lag ? formatCount(lag.totalLag) : 'unknown'}
      </Figure>
      <Figure label="Partitions without commit">
        {lag ? formatCount(lag.partitionsWithoutCommit) : 'unknown'}
      </Figure>
      <Figure
        label="Heartbeat latency"
        hint={
          beat.lastReceivedAt
            ? `received ${formatTime(beat.lastReceivedAt)}`
            : undefined
        }
      >
        {heartbeat}
      </Figure>
      <Figure label="In" hint="records/s on the source">
        {inPerSec === undefined ? '—' : formatRate(inPerSec)}
      </Figure>
      <Figure label="Out" hint="records/s on the target">
        {outPerSec === undefined ? '—' : formatRate(outPerSec)}
      </Figure>
    </div>
  );
};

/** A MirrorMaker's figures over a window; takes data, does not fetch it. */
export const MetricsView = ({
  metrics,
  window,
  onWindowChange,
  refreshing,
  refreshError,
  chartWidth,
  partitionLimit,
}: MetricsViewProps) => {
  const classes = useStyles();
  const lag = groupLagOf(metrics.lag);
  const lagError = lagErrorOf(metrics.lag);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <div className={classes.toolbar}>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={window}
            aria-label="Window"
            onChange={(_, value: MetricsWindow | null) => {
              // Clicking the selected window again deselects it; keep it.
              if (value) onWindowChange(value);
            }}
          >
            {METRICS_WINDOWS.map(w => (
              <ToggleButton key={w} value={w} aria-label={`Last ${w}`}>
                {w}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
          <Typography variant="body2" color="textSecondary">
            Figures of {formatTime(metrics.window.to)}, read again every{' '}
            {METRICS_REFRESH_MS / 1000} s
          </Typography>
        </div>
        <Box height={4} mt={1}>
          {refreshing && <LinearProgress aria-label="Reading the figures" />}
        </Box>
      </Grid>
      {refreshError && (
        <Grid item xs={12}>
          <Alert severity="warning">
            The figures could not be read again: {refreshError.message}. Those
            shown are of {formatTime(metrics.window.to)}.
          </Alert>
        </Grid>
      )}
      <Grid item xs={12}>
        <StatusBanner status={metrics.status} />
      </Grid>
      <Grid item xs={12}>
        <SummaryFigures metrics={metrics} />
      </Grid>
      <Grid item xs={12} lg={4}>
        <LagChart metrics={metrics} chartWidth={chartWidth} />
      </Grid>
      <Grid item xs={12} lg={4}>
        <ThroughputChart metrics={metrics} chartWidth={chartWidth} />
      </Grid>
      <Grid item xs={12} lg={4}>
        <HeartbeatChart metrics={metrics} chartWidth={chartWidth} />
        {!metrics.heartbeat.replicated && (
          <Box mt={1}>
            <Alert severity="warning">
              No heartbeats
              {metrics.heartbeat.topic
                ? ` on ${metrics.heartbeat.topic}`
                : ''}:{' '}
              {metrics.heartbeat.reason ??
                'the deployment does not replicate the heartbeat topic'}
            </Alert>
          </Box>
        )}
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Lag per partition"
          subheader={
            lag
              ? `Group ${lag.groupId} on ${lag.cluster}, read ${formatTime(
                  lag.observedAt,
                )}`
              : undefined
          }
        >
          {lag ? (
            <PartitionLagTable lag={lag} defaultLimit={partitionLimit} />
          ) : (
            <Alert severity="warning">
              The source cluster could not be read, so the lag is unknown:{' '}
              {lagError}
            </Alert>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        {metrics.processes.error && (
          <Box mb={1}>
            <Alert severity="warning">
              The process figures could not be read from{' '}
              {metrics.processes.source}: {metrics.processes.error}
            </Alert>
          </Box>
        )}
        <ProcessTable processes={metrics.processes} />
      </Grid>
    </Grid>
  );
};
