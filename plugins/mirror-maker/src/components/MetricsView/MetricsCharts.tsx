import { ReactElement } from 'react';
import { InfoCard } from '@backstage/core-components';
import { Typography, useTheme } from '@material-ui/core';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DeploymentMetrics } from '../../api';
import {
  formatClock,
  formatCompact,
  formatCount,
  formatLatency,
  formatRate,
  formatTime,
} from './format';

const CHART_HEIGHT = 220;

type Point = { t: number } & Record<string, number | null>;

interface Series {
  key: string;
  name: string;
  color: string;
}

interface TimeChartProps {
  title: string;
  data: Point[];
  series: Series[];
  domain: [number, number];
  formatValue: (v: number) => string;
  /** Fixed width in pixels; unset: the chart fills its card. */
  width?: number;
  empty: string;
}

const TimeChart = ({
  title,
  data,
  series,
  domain,
  formatValue,
  width,
  empty,
}: TimeChartProps) => {
  const theme = useTheme();
  const hasData = data.some(p => series.some(s => p[s.key] !== null));
  const chart: ReactElement = (
    <LineChart
      data={data}
      width={width}
      height={width ? CHART_HEIGHT : undefined}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
    >
      <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={domain}
        tickFormatter={formatClock}
        stroke={theme.palette.text.secondary}
      />
      <YAxis
        tickFormatter={formatCompact}
        width={56}
        stroke={theme.palette.text.secondary}
      />
      <Tooltip
        labelFormatter={t => formatTime(Number(t))}
        formatter={(v: number | string) =>
          typeof v === 'number' ? formatValue(v) : v
        }
        contentStyle={{
          background: theme.palette.background.paper,
          color: theme.palette.text.primary,
        }}
      />
      {series.length > 1 && <Legend />}
      {series.map(s => (
        <Line
          key={s.key}
          type="monotone"
          dataKey={s.key}
          name={s.name}
          stroke={s.color}
          dot={false}
          // A gap in the samples (a recreated topic, the sampler down)
          // stays a gap rather than a made-up line.
          connectNulls={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
  return (
    <InfoCard title={title}>
      <div data-chart={title}>
        {!hasData && (
          <Typography variant="body2" color="textSecondary">
            {empty}
          </Typography>
        )}
        {hasData && width !== undefined && chart}
        {hasData && width === undefined && (
          <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
            {chart}
          </ResponsiveContainer>
        )}
      </div>
    </InfoCard>
  );
};

export interface MetricsChartsProps {
  metrics: DeploymentMetrics;
  /** Fixed chart width in pixels; unset: each chart fills its card. */
  chartWidth?: number;
}

/** The series as chart points, time in epoch milliseconds. */
function chartDataOf(metrics: DeploymentMetrics) {
  const domain: [number, number] = [
    Date.parse(metrics.window.from),
    Date.parse(metrics.window.to),
  ];
  const throughput: Point[] = metrics.throughput.map(p => ({
    t: Date.parse(p.at),
    lag: p.lag,
    in: p.inPerSec,
    out: p.outPerSec,
  }));
  const heartbeat: Point[] = metrics.heartbeat.series.map(p => ({
    t: Date.parse(p.at),
    latency: p.latencyMs,
  }));
  return { domain, throughput, heartbeat };
}

/** Total committed lag over the window, as the sampler stored it. */
export const LagChart = ({ metrics, chartWidth }: MetricsChartsProps) => {
  const theme = useTheme();
  const { domain, throughput } = chartDataOf(metrics);
  return (
    <TimeChart
      title="Lag over time"
      data={throughput}
      series={[
        {
          key: 'lag',
          name: 'Lag (records)',
          color: theme.palette.warning.main,
        },
      ]}
      domain={domain}
      formatValue={formatCount}
      width={chartWidth}
      empty="No lag samples in this window."
    />
  );
};

/** Records per second appended on the source (in) and on the target (out). */
export const ThroughputChart = ({
  metrics,
  chartWidth,
}: MetricsChartsProps) => {
  const theme = useTheme();
  const { domain, throughput } = chartDataOf(metrics);
  return (
    <TimeChart
      title="Throughput in vs out"
      data={throughput}
      series={[
        { key: 'in', name: 'In (source)', color: theme.palette.primary.main },
        {
          key: 'out',
          name: 'Out (target)',
          color: theme.palette.secondary.main,
        },
      ]}
      domain={domain}
      formatValue={formatRate}
      width={chartWidth}
      empty="No throughput samples in this window."
    />
  );
};

/** Time from writing each heartbeat on the source to reading it on the target. */
export const HeartbeatChart = ({ metrics, chartWidth }: MetricsChartsProps) => {
  const theme = useTheme();
  const { domain, heartbeat } = chartDataOf(metrics);
  return (
    <TimeChart
      title="Heartbeat latency"
      data={heartbeat}
      series={[
        {
          key: 'latency',
          name: 'Latency',
          color: theme.palette.info.main,
        },
      ]}
      domain={domain}
      formatValue={formatLatency}
      width={chartWidth}
      empty={
        metrics.heartbeat.replicated
          ? 'No heartbeat arrived in this window.'
          : 'No heartbeats: the deployment does not replicate the heartbeat topic.'
      }
    />
  );
};
