/*
 * LagService against a real single-node KRaft broker, checked against
 * Kafka's own ConsumerGroupCommand --describe taken at the same moment (no
 * record written in between): every partition the tool prints has the same
 * current offset, log end offset and lag, and the partitions it leaves out
 * or prints as '-' are the ones without a commit. An unreachable cluster is
 * an answer, not a hang.
 */
import * as net from 'net';
import { mockServices } from '@backstage/backend-test-utils';
import { ClusterRegistry } from '@mirrormaker/plugin-mirror-maker-backend/src/kafka/ClusterRegistry';
import {
  GroupLag,
  LagService,
} from '@mirrormaker/plugin-mirror-maker-backend/src/metrics/LagService';
import { effectiveTopics } from '@mirrormaker/plugin-mirror-maker-common';
import type { Consumer } from 'kafkajs';
import {
  createKafkaClient,
  createTopics,
  describeGroup,
  produceRecords,
  runKafkaTool,
  startKafkaClusters,
  TestBed,
  waitFor,
  withAdmin,
} from '../testbed';

const SLOW_HOOK_MS = 180_000;
const GROUP = 'mm1-lag-test';
const matches = effectiveTopics({ suffix: 'dc1' }).matches;

function log(message: string): void {
  // eslint-disable-next-line no-console
  console.log(`[lag] ${message}`);
}

/** Records per partition, written with explicit partitions. */
const RECORDS: Record<string, number[]> = {
  'orders.dc1': [12, 7, 30],
  'payments.dc1': [5, 9, 4, 11],
  'audit.dc1': [3, 6],
  'orders.dc2': [8],
};

/** The group's commits; partitions not listed have none. */
const COMMITS: Record<string, Record<number, number>> = {
  // Behind, at the log end, and at the start.
  'orders.dc1': { 0: 5, 1: 7, 2: 0 },
  // Half the partitions never committed.
  'payments.dc1': { 0: 5, 2: 1 },
  // Does not match the deployment's topics, so not reported.
  'orders.dc2': { 0: 2 },
  // audit.dc1: the group never consumed it.
};

interface DescribedRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset: number | null;
  logEndOffset: number | null;
  lag: number | null;
  consumerId: string;
}

function cell(value: string): number | null {
  return value === '-' ? null : Number(value);
}

/** The table `ConsumerGroupCommand --describe` prints, one row per partition. */
function parseDescribe(stdout: string): DescribedRow[] {
  const lines = stdout.split('\n');
  const header = lines.findIndex(l => /^GROUP\s+TOPIC\s+PARTITION\s/.test(l));
  if (header < 0) throw new Error(`No table in:\n${stdout}`);
  const columns = lines[header].trim().split(/\s+/);
  const at = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`No column ${name} in: ${lines[header]}`);
    return i;
  };
  return lines
    .slice(header + 1)
    .map(l => l.trim())
    .filter(l => l !== '')
    .map(l => {
      const cells = l.split(/\s+/);
      return {
        group: cells[at('GROUP')],
        topic: cells[at('TOPIC')],
        partition: Number(cells[at('PARTITION')]),
        currentOffset: cell(cells[at('CURRENT-OFFSET')]),
        logEndOffset: cell(cells[at('LOG-END-OFFSET')]),
        lag: cell(cells[at('LAG')]),
        consumerId: cells[at('CONSUMER-ID')],
      };
    });
}

async function describeWithTool(
  bootstrap: string,
  groupId: string,
): Promise<DescribedRow[]> {
  const result = await runKafkaTool(
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    ['--bootstrap-server', bootstrap, '--describe', '--group', groupId],
  );
  if (result.code !== 0) {
    throw new Error(
      `ConsumerGroupCommand exited with ${result.code}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return parseDescribe(result.stdout);
}

/** Partition rows of our answer, keyed like the tool's. */
function rowsOf(lag: GroupLag) {
  return lag.topics.flatMap(t =>
    t.partitions.map(p => ({ key: `${t.topic}/${p.partition}`, ...p })),
  );
}

/** A loopback port nothing listens on: bound once, then released. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('LagService against a real broker', () => {
  let testBed: TestBed | undefined;
  let registry: ClusterRegistry | undefined;
  let bootstrap = '';
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    const start = Date.now();
    testBed = await startKafkaClusters(['dc1']);
    bootstrap = testBed.bootstrap('dc1');
    log(`broker up in ${Date.now() - start} ms at ${bootstrap}`);
    const cluster = testBed.cluster('dc1');
    await createTopics(
      cluster,
      Object.entries(RECORDS).map(([topic, counts]) => ({
        topic,
        numPartitions: counts.length,
      })),
    );
    for (const [topic, counts] of Object.entries(RECORDS)) {
      await produceRecords(
        cluster,
        topic,
        counts.flatMap((count, partition) =>
          Array.from({ length: count }, (_, i) => ({
            partition,
            value: `${topic}-${partition}-${i}`,
          })),
        ),
      );
    }
    await withAdmin(cluster, async admin => {
      for (const [topic, partitions] of Object.entries(COMMITS)) {
        await admin.setOffsets({
          groupId: GROUP,
          topic,
          partitions: Object.entries(partitions).map(([p, offset]) => ({
            partition: Number(p),
            offset: String(offset),
          })),
        });
      }
    });
    registry = new ClusterRegistry({
      clusters: [
        {
          name: 'dc1',
          brokers: [bootstrap],
          dataCentre: 'dc1',
          topicSuffix: 'dc1',
        },
        {
          name: 'gone',
          brokers: [`127.0.0.1:${await deadPort()}`],
          dataCentre: 'gone',
          topicSuffix: 'gone',
        },
      ],
      logger,
    });
  }, SLOW_HOOK_MS);

  afterAll(async () => {
    await registry?.close();
    await testBed?.stop();
  }, SLOW_HOOK_MS);

  it('matches ConsumerGroupCommand --describe for every partition', async () => {
    const service = new LagService({ clusters: registry!, logger, cacheMs: 0 });
    const ours = await service.groupLag({
      cluster: 'dc1',
      groupId: GROUP,
      matches,
    });
    const tool = await describeWithTool(bootstrap, GROUP);
    log(
      `ours: total ${ours.totalLag}, ${ours.partitionCount} partitions${
        ours.error ? `, error: ${ours.error}` : ''
      }`,
    );
    log(`tool: ${JSON.stringify(tool)}`);

    expect(ours).toMatchObject({
      cluster: 'dc1',
      groupId: GROUP,
      reachable: true,
      // orders.dc1: 7 + 0 + 30; payments.dc1: 0 + 3.
      totalLag: 40,
      partitionCount: 9,
      partitionsWithoutCommit: 4,
    });
    expect(ours.error).toBeUndefined();
    expect(ours.topics.map(t => t.topic)).toEqual([
      'audit.dc1',
      'orders.dc1',
      'payments.dc1',
    ]);

    // An inactive group: the tool prints only committed partitions.
    const printed = tool.filter(r => r.group === GROUP && matches(r.topic));
    expect(tool.some(r => r.topic === 'orders.dc2')).toBe(true);
    const committed = rowsOf(ours).filter(r => r.committedOffset !== null);
    expect(
      printed.map(r => ({
        key: `${r.topic}/${r.partition}`,
        partition: r.partition,
        committedOffset: r.currentOffset,
        logEndOffset: r.logEndOffset,
        lag: r.lag,
      })),
    ).toEqual(
      expect.arrayContaining(
        committed.map(r => ({
          key: r.key,
          partition: r.partition,
          committedOffset: r.committedOffset,
          logEndOffset: r.logEndOffset,
          lag: r.lag,
        })),
      ),
    );
    expect(printed).toHaveLength(committed.length);

    // The partitions without a commit are exactly the ones not printed,
    // and their end offsets are the records written to them.
    const withoutCommit = rowsOf(ours).filter(r => r.committedOffset === null);
    expect(withoutCommit.map(r => [r.key, r.logEndOffset, r.lag])).toEqual([
      ['audit.dc1/0', 3, null],
      ['audit.dc1/1', 6, null],
      ['payments.dc1/1', 9, null],
      ['payments.dc1/3', 11, null],
    ]);
    for (const row of withoutCommit) {
      expect(printed.some(r => `${r.topic}/${r.partition}` === row.key)).toBe(
        false,
      );
    }
  });

  it("agrees with the tool's '-' for partitions an active member owns but never committed", async () => {
    const groupId = `${GROUP}-active`;
    await withAdmin(testBed!.cluster('dc1'), admin =>
      admin.setOffsets({
        groupId,
        topic: 'payments.dc1',
        partitions: [{ partition: 1, offset: '4' }],
      }),
    );
    const consumer: Consumer = createKafkaClient(bootstrap).consumer({
      groupId,
      allowAutoTopicCreation: false,
    });
    try {
      await consumer.connect();
      // A member that owns partitions but never commits.
      await consumer.subscribe({ topics: ['payments.dc1'] });
      await consumer.run({ autoCommit: false, eachMessage: async () => {} });
      await waitFor(
        async () => {
          const group = await describeGroup(bootstrap, groupId);
          return group.state === 'Stable' && group.members.length === 1;
        },
        { timeoutMs: 60_000, description: `group ${groupId} stable` },
      );

      const service = new LagService({
        clusters: registry!,
        logger,
        cacheMs: 0,
      });
      const ours = await service.groupLag({ cluster: 'dc1', groupId, matches });
      const tool = await describeWithTool(bootstrap, groupId);
      log(`tool (active member): ${JSON.stringify(tool)}`);

      const payments = rowsOf(ours).filter(r =>
        r.key.startsWith('payments.dc1/'),
      );
      const printed = tool.filter(r => r.topic === 'payments.dc1');
      expect(printed).toHaveLength(4);
      expect(printed.every(r => r.consumerId !== '-')).toBe(true);
      expect(
        printed
          .sort((a, b) => a.partition - b.partition)
          .map(r => [
            `${r.topic}/${r.partition}`,
            r.currentOffset,
            r.logEndOffset,
            r.lag,
          ]),
      ).toEqual(
        payments.map(r => [r.key, r.committedOffset, r.logEndOffset, r.lag]),
      );
      expect(payments.map(r => r.lag)).toEqual([null, 5, null, null]);
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  });

  it('reports an unreachable cluster quickly instead of throwing', async () => {
    const service = new LagService({ clusters: registry!, logger });
    const start = Date.now();
    const lag = await service.groupLag({
      cluster: 'gone',
      groupId: GROUP,
      matches,
    });
    const ms = Date.now() - start;
    log(`unreachable cluster answered in ${ms} ms: ${lag.error}`);
    expect(lag).toMatchObject({
      cluster: 'gone',
      groupId: GROUP,
      reachable: false,
      totalLag: 0,
      partitionCount: 0,
      topics: [],
    });
    expect(lag.error).toMatch(/^Cluster "gone" \(brokers 127\.0\.0\.1:\d+\)/);
    expect(ms).toBeLessThan(30_000);
  }, 60_000);
});
