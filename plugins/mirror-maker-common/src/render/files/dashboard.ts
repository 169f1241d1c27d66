import { RenderContext } from '../context';
import { nrqlString } from '../escape/nrql';
import { fillTemplate, jsonInner, marker, splitTemplate } from '../template';
import { NEW_RELIC_EVENT_TYPE } from './newRelic';

interface Chart {
  title: string;
  column: number;
  row: number;
  width: number;
  height: number;
  select: string;
  /** Extra condition, ANDed with the deployment filter. */
  where?: string;
  facet: string;
}

const BY_PROCESS = '`label.mirrorMakerNode`, `label.mirrorMakerProcessName`';
const PRODUCER = "`bean` LIKE 'type=producer-metrics,%'";
const COORDINATOR = "`bean` LIKE '%consumer-coordinator-metrics%'";
const CONSUMER = "`bean` LIKE 'type=consumer-metrics,%'";
const DROPPED =
  "`bean` = 'type=MirrorMaker,name=MirrorMaker-numDroppedMessages'";
const PARTITION_LAG =
  "`query` = 'type=consumer-fetch-manager-metrics,client-id=*,topic=*,partition=*'";
const CLIENT_FETCH =
  "`query` = 'type=consumer-fetch-manager-metrics,client-id=*'";

/** The seed dashboard's charts (typos and aggregation fixed), then lag per partition and drop rate. */
const CHARTS: Chart[] = [
  {
    title: 'Number of Msgs Dropped (per process)',
    column: 1,
    row: 4,
    width: 12,
    height: 4,
    select: 'latest(`Value`)',
    where: DROPPED,
    facet: BY_PROCESS,
  },
  {
    title: 'Producer: Record Stats',
    column: 1,
    row: 8,
    width: 4,
    height: 4,
    select:
      'latest(`record-error-rate`), latest(`record-error-total`), latest(`record-queue-time-avg`), latest(`record-queue-time-max`), latest(`record-retry-rate`), latest(`record-retry-total`), latest(`record-send-rate`), latest(`record-send-total`), latest(`record-size-avg`), latest(`record-size-max`), latest(`records-per-request-avg`)',
    where: PRODUCER,
    facet: BY_PROCESS,
  },
  {
    title: 'Producer: Buffer Stats',
    column: 5,
    row: 8,
    width: 8,
    height: 4,
    select:
      'latest(`buffer-available-bytes`), latest(`buffer-exhausted-rate`), latest(`buffer-exhausted-total`), latest(`buffer-total-bytes`), latest(`bufferpool-wait-ratio`), latest(`bufferpool-wait-time-total`)',
    where: PRODUCER,
    facet: BY_PROCESS,
  },
  {
    title: 'Producer: In/Out Rate (MB/s)',
    column: 1,
    row: 12,
    width: 6,
    height: 4,
    select:
      "latest(`incoming-byte-rate` / 1000000) AS 'incoming-mega-byte-rate', latest(`outgoing-byte-rate` / 1000000) AS 'outgoing-mega-byte-rate'",
    where: PRODUCER,
    facet: BY_PROCESS,
  },
  {
    title: 'Producer: Connection Stats',
    column: 7,
    row: 12,
    width: 6,
    height: 4,
    select:
      'latest(`connection-close-rate`), latest(`connection-close-total`), latest(`connection-count`), latest(`connection-creation-rate`), latest(`connection-creation-total`)',
    where: PRODUCER,
    facet: BY_PROCESS,
  },
  {
    title: 'Producer: Request Stats',
    column: 1,
    row: 16,
    width: 4,
    height: 4,
    select:
      'latest(`request-latency-avg`), latest(`request-latency-max`), latest(`request-rate`), latest(`request-size-avg`), latest(`request-size-max`), latest(`request-total`), latest(`requests-in-flight`)',
    where: PRODUCER,
    facet: BY_PROCESS,
  },
  {
    title: 'Producer: Batch Stats',
    column: 5,
    row: 16,
    width: 4,
    height: 4,
    select:
      'latest(`batch-size-avg`), latest(`batch-size-max`), latest(`batch-split-rate`), latest(`batch-split-total`)',
    where: PRODUCER,
    facet: BY_PROCESS,
  },
  {
    title: 'Producer: Throttle Stats',
    column: 9,
    row: 16,
    width: 4,
    height: 4,
    select:
      'latest(`produce-throttle-time-max`), latest(`produce-throttle-time-avg`)',
    where: PRODUCER,
    facet: BY_PROCESS,
  },
  {
    title: 'Consumer: Commit Stats',
    column: 1,
    row: 20,
    width: 6,
    height: 4,
    select:
      'latest(`commit-latency-avg`), latest(`commit-latency-max`), latest(`commit-rate`), latest(`commit-total`)',
    where: COORDINATOR,
    facet: BY_PROCESS,
  },
  {
    title: 'Consumer: Assigned Partitions',
    column: 7,
    row: 20,
    width: 6,
    height: 4,
    select: 'latest(`assigned-partitions`)',
    where: COORDINATOR,
    facet: `${BY_PROCESS}, \`key:client-id\``,
  },
  {
    title: 'Consumer: Sync Stats',
    column: 1,
    row: 24,
    width: 6,
    height: 4,
    select:
      'latest(`sync-rate`), latest(`sync-time-avg`), latest(`sync-time-max`), latest(`sync-total`)',
    where: COORDINATOR,
    facet: BY_PROCESS,
  },
  {
    title: 'Consumer: Req/Resp Stats',
    column: 7,
    row: 24,
    width: 6,
    height: 4,
    select:
      'latest(`request-rate`), latest(`request-size-avg`), latest(`response-rate`)',
    where: CONSUMER,
    facet: BY_PROCESS,
  },
  {
    title: 'Consumer: Max Lag per Topic (records)',
    column: 1,
    row: 28,
    width: 12,
    height: 4,
    select: 'max(`records-lag`)',
    where: PARTITION_LAG,
    facet: '`key:topic`',
  },
  {
    title: 'Consumer: Fetch Manager Stats',
    column: 1,
    row: 32,
    width: 8,
    height: 3,
    select:
      'latest(`fetch-latency-avg`), latest(`fetch-size-avg`), latest(`bytes-consumed-rate`), latest(`records-consumed-rate`), latest(`record-size-avg`)',
    where: CLIENT_FETCH,
    facet: `${BY_PROCESS}, \`key:client-id\``,
  },
  {
    title: 'Consumer: Heart Beat Stats',
    column: 9,
    row: 32,
    width: 4,
    height: 3,
    select:
      'latest(`heartbeat-rate`), latest(`heartbeat-response-time-max`), latest(`heartbeat-total`)',
    where: COORDINATOR,
    facet: BY_PROCESS,
  },
  {
    title: 'Consumer: Connection Stats',
    column: 1,
    row: 35,
    width: 6,
    height: 4,
    select:
      'latest(`connection-close-rate`), latest(`connection-close-total`), latest(`connection-count`), latest(`connection-creation-rate`), latest(`connection-creation-total`)',
    where: CONSUMER,
    facet: BY_PROCESS,
  },
  {
    title: 'Consumer: In/Out Rate (MB/s)',
    column: 7,
    row: 35,
    width: 6,
    height: 4,
    select:
      "latest(`incoming-byte-rate` / 1000000) AS 'incoming-mega-byte-rate', latest(`outgoing-byte-rate` / 1000000) AS 'outgoing-mega-byte-rate'",
    where: CONSUMER,
    facet: `${BY_PROCESS}, \`key:client-id\``,
  },
  {
    title: 'JVM Stats (GB)',
    column: 1,
    row: 39,
    width: 12,
    height: 4,
    select:
      "latest(`HeapMemoryUsage.Max` / 1000000000) AS 'HeapMemoryUsage.Max', latest(`HeapMemoryUsage.Used` / 1000000000) AS 'HeapMemoryUsage.Used', latest(`NonHeapMemoryUsage.Used` / 1000000000) AS 'NonHeapMemoryUsage.Used'",
    where: "`bean` = 'type=Memory'",
    facet: BY_PROCESS,
  },
  {
    title: 'Garbage Collector (CollectionCount, CollectionTimeInSeconds)',
    column: 1,
    row: 43,
    width: 4,
    height: 4,
    select:
      "latest(`CollectionCount`), latest(`CollectionTime` / 1000) AS 'CollectionTimeInSeconds'",
    where: "`bean` LIKE 'type=GarbageCollector,name=%'",
    facet: `${BY_PROCESS}, \`key:name\``,
  },
  {
    title: 'JVM Threads',
    column: 5,
    row: 43,
    width: 4,
    height: 4,
    select: 'latest(`PeakThreadCount`), latest(`ThreadCount`)',
    where: "`bean` = 'type=Threading'",
    facet: BY_PROCESS,
  },
  {
    title: 'JVM Loaded Classes',
    column: 9,
    row: 43,
    width: 4,
    height: 4,
    select: 'latest(`LoadedClassCount`)',
    where: "`bean` = 'type=ClassLoading'",
    facet: BY_PROCESS,
  },
  {
    title: 'Consumer: Lag per Partition (records)',
    column: 1,
    row: 47,
    width: 12,
    height: 4,
    select: 'latest(`records-lag`)',
    where: PARTITION_LAG,
    facet: '`key:topic`, `key:partition`',
  },
  {
    title: 'Dropped Messages per Minute (per process)',
    column: 1,
    row: 51,
    width: 12,
    height: 3,
    select: 'derivative(`Value`, 1 minute)',
    where: DROPPED,
    facet: BY_PROCESS,
  },
];

interface Widget {
  title: string;
  layout: { column: number; row: number; width: number; height: number };
  linkedEntityGuids: null;
  visualization: { id: string };
  rawConfiguration: {
    facet: { showOtherSeries: boolean };
    legend: { enabled: boolean };
    nrqlQueries: { accountIds: (number | string)[]; query: string }[];
    platformOptions: { ignoreTimeRange: boolean };
    yAxisLeft: { zero: boolean };
  };
}

function widget(
  accountId: number | string,
  title: string,
  layout: Widget['layout'],
  query: string,
): Widget {
  return {
    title,
    layout,
    linkedEntityGuids: null,
    visualization: { id: 'viz.line' },
    rawConfiguration: {
      facet: { showOtherSeries: false },
      legend: { enabled: true },
      nrqlQueries: [{ accountIds: [accountId], query }],
      platformOptions: { ignoreTimeRange: false },
      yAxisLeft: { zero: true },
    },
  };
}

/**
 * The dashboard of a deployment, with each value given as it goes into the
 * file: `accountId` as a JSON value, `deployment` (an NRQL string literal),
 * `nodes` (NRQL string literals joined by ", "), `name`, `ref`, `source`
 * and `target` as text inside JSON strings.
 */
function dashboard(
  accountId: number | string,
  deployment: string,
  nodes: string,
  name: string,
  ref: string,
  source: string,
  target: string,
): string {
  const onNodes = `(\`fullHostname\` IN (${nodes}) OR \`hostname\` IN (${nodes}))`;
  const system: Widget[] = [
    widget(
      accountId,
      'System CPU Percentage',
      { column: 1, row: 1, width: 4, height: 3 },
      `SELECT latest(\`cpuPercent\`) FROM SystemSample WHERE ${onNodes} FACET \`fullHostname\` LIMIT 100 TIMESERIES`,
    ),
    widget(
      accountId,
      'System Memory Percentage',
      { column: 5, row: 1, width: 4, height: 3 },
      `SELECT latest(\`memoryUsedBytes\` / \`memoryTotalBytes\` * 100) AS 'memoryUsedPercent' FROM SystemSample WHERE ${onNodes} FACET \`fullHostname\` LIMIT 100 TIMESERIES`,
    ),
    widget(
      accountId,
      'System Disk Used Percentage',
      { column: 9, row: 1, width: 4, height: 3 },
      `SELECT latest(\`diskUsedPercent\`) FROM StorageSample WHERE ${onNodes} FACET \`fullHostname\`, \`mountPoint\` LIMIT 100 TIMESERIES`,
    ),
  ];
  const charts = CHARTS.map(chart =>
    widget(
      accountId,
      chart.title,
      {
        column: chart.column,
        row: chart.row,
        width: chart.width,
        height: chart.height,
      },
      `SELECT ${
        chart.select
      } FROM ${NEW_RELIC_EVENT_TYPE} WHERE \`label.deployment\` = ${deployment}${
        chart.where ? ` AND ${chart.where}` : ''
      } FACET ${chart.facet} LIMIT 100 TIMESERIES`,
    ),
  );
  const board = {
    name: `Kafka MirrorMaker ${name}`,
    description: `MirrorMaker 1 deployment ${ref}: ${source} to ${target}. Generated by the mirror-maker Backstage plugin.`,
    permissions: 'PUBLIC_READ_WRITE',
    pages: [
      {
        name: `MirrorMaker ${name}`,
        description: `Nodes, processes, clients and JVMs of ${ref}`,
        widgets: [...system, ...charts],
      },
    ],
    variables: [],
  };
  return `${JSON.stringify(board, null, 2)}\n`;
}

const ACCOUNT_ID = marker(0);

/**
 * The dashboard is constant but for seven values: rendered once with
 * markers (the account id's without the quotes JSON gives a string), then
 * filled per deployment.
 */
const DASHBOARD = splitTemplate(
  dashboard(
    ACCOUNT_ID,
    marker(1),
    marker(2),
    marker(3),
    marker(4),
    marker(5),
    marker(6),
  )
    .split(JSON.stringify(ACCOUNT_ID))
    .join(ACCOUNT_ID),
  7,
);

/**
 * The deployment's New Relic dashboard in the NerdGraph dashboard schema
 * (importable as it is): the seed's charts, filtered on this deployment's
 * `label.deployment` and its nodes instead of name patterns.
 */
export function renderDashboard(ctx: RenderContext): string {
  const accountId = ctx.spec.monitoring.newRelic.accountId;
  if (accountId === undefined) {
    throw new Error(
      'spec.monitoring.newRelic.accountId is required for the New Relic dashboard',
    );
  }
  const deployment = nrqlString(ctx.name, 'metadata.name');
  const nodes = ctx.spec.placement.nodes
    .map((host, index) => nrqlString(host, `spec.placement.nodes[${index}]`))
    .join(', ');
  return fillTemplate(DASHBOARD, [
    JSON.stringify(accountId),
    jsonInner(deployment),
    jsonInner(nodes),
    jsonInner(ctx.name),
    jsonInner(ctx.ref),
    jsonInner(ctx.source.name),
    jsonInner(ctx.target.name),
  ]);
}
