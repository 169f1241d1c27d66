/**
 * The renderer's files drive real MirrorMaker 1 processes: the two-DC example
 * is rendered (install paths in a temp folder, Kafka home from the test
 * runtime), its start scripts are run with bash against the test bed's two
 * clusters, and records replicate both ways; the JMX exporter of each process
 * answers with the dropped-messages gauge at zero.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  KafkaClusterConfig,
  MirrorMakerEntity,
  renderBundle,
  validateDeploymentClusters,
  validateMirrorMakerEntity,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  consumeRecords,
  createTopics,
  findFreePortRanges,
  findJmxExporterAgent,
  JavaProcess,
  produceRecords,
  resolveKafkaHome,
  startKafkaClusters,
  startScriptProcess,
  sumEndOffsets,
  TestBed,
  waitFor,
} from '../testbed';

const RECORDS = 500;

function entity(
  name: string,
  source: string,
  target: string,
  suffix: string,
  root: string,
  ports: { jmx: number; exporter: number },
): MirrorMakerEntity {
  return {
    apiVersion: 'mirrormaker.io/v1alpha1',
    kind: 'MirrorMaker',
    metadata: { name },
    spec: {
      owner: 'group:default/kafka-platform',
      source: `resource:default/kafka-${source}`,
      target: `resource:default/kafka-${target}`,
      topics: { suffix },
      placement: { nodes: ['localhost'], processesPerNode: 2, numStreams: 2 },
      install: {
        kafkaHome: resolveKafkaHome(),
        configDir: path.join(root, name, 'config'),
        binDir: path.join(root, name, 'bin'),
        logDir: path.join(root, name, 'logs'),
        jmxExporterJar: findJmxExporterAgent(),
      },
      jvm: { heap: '256M' },
      jmx: { initialPort: ports.jmx, exporterInitialPort: ports.exporter },
      monitoring: { prometheus: { enabled: true }, labels: { env: 'test' } },
      offsetCommitIntervalMs: 1000,
      consumer: { 'auto.offset.reset': 'earliest' },
    },
  };
}

describe('rendered bundle runs real MirrorMaker 1 both ways', () => {
  let bed: TestBed;
  let root: string;
  const processes: JavaProcess[] = [];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-rendered-'));
    bed = await startKafkaClusters(['dc1', 'dc2']);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map(p => p.stop()));
    await bed?.stop();
    if (!process.env.KAFKA_TESTBED_KEEP_DIR) {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it('replicates orders.dc1 into dc2 and payments.dc2 into dc1', async () => {
    const clusters: Record<string, KafkaClusterConfig> = {
      dc1: {
        name: 'dc1',
        brokers: [bed.bootstrap('dc1')],
        dataCentre: 'dc1',
        topicSuffix: 'dc1',
      },
      dc2: {
        name: 'dc2',
        brokers: [bed.bootstrap('dc2')],
        dataCentre: 'dc2',
        topicSuffix: 'dc2',
      },
    };
    // Destination topics exist before MirrorMaker starts (auto-create is off).
    await createTopics(bed.bootstrap('dc1'), [
      { topic: 'orders.dc1', numPartitions: 3 },
      { topic: 'payments.dc2', numPartitions: 3 },
    ]);
    await createTopics(bed.bootstrap('dc2'), [
      { topic: 'payments.dc2', numPartitions: 3 },
      { topic: 'orders.dc1', numPartitions: 3 },
    ]);

    // Process i listens on start + i: two processes per deployment, a JMX
    // and an exporter range each.
    const [jmx1, exp1, jmx2, exp2] = await findFreePortRanges(4, 2);
    const flows = [
      {
        e: entity('dc1-to-dc2', 'dc1', 'dc2', 'dc1', root, {
          jmx: jmx1 - 1,
          exporter: exp1 - 1,
        }),
        s: 'dc1',
        t: 'dc2',
      },
      {
        e: entity('dc2-to-dc1', 'dc2', 'dc1', 'dc2', root, {
          jmx: jmx2 - 1,
          exporter: exp2 - 1,
        }),
        s: 'dc2',
        t: 'dc1',
      },
    ];

    for (const { e, s, t } of flows) {
      expect(
        validateMirrorMakerEntity(e).filter(p => p.severity === 'error'),
      ).toEqual([]);
      expect(validateDeploymentClusters(e, clusters[s], clusters[t])).toEqual(
        [],
      );
      const bundle = renderBundle({
        entity: e,
        source: clusters[s],
        target: clusters[t],
      });
      const [node] = bundle.nodes;
      for (const file of node.files) {
        // Units and New Relic files target /etc; only the files under our root run here.
        if (!file.path.startsWith(root)) continue;
        fs.mkdirSync(path.dirname(file.path), { recursive: true });
        fs.writeFileSync(file.path, file.content, { mode: file.mode });
      }
      const scripts = node.files.filter(f =>
        /kafka-mirror-maker-\d+\.sh$/.test(f.path),
      );
      expect(scripts).toHaveLength(2);
      for (const script of scripts) {
        processes.push(
          startScriptProcess({
            script: script.path,
            name: path.basename(script.path),
            env: { KAFKA_HOME: resolveKafkaHome() },
            outFile: `${script.path}.out`,
          }),
        );
      }
    }

    // Both groups get four members: 2 processes x 2 streams (one consumer each).
    for (const { e, s } of flows) {
      const groupId = `mirror-maker-${e.metadata.name}`;
      await waitFor(
        async () => {
          for (const p of processes) {
            if (!p.isRunning())
              throw new Error(
                `${p.name} exited: ${p.describeExit()}\n${p.logTail()}`,
              );
          }
          const admin = bed.client(s).admin();
          await admin.connect();
          try {
            const { groups } = await admin.describeGroups([groupId]);
            return (
              groups[0]?.state === 'Stable' && groups[0].members.length === 4
            );
          } finally {
            await admin.disconnect();
          }
        },
        {
          timeoutMs: 120_000,
          intervalMs: 1000,
          description: `${groupId} with 4 members`,
        },
      );
    }

    const orders = Array.from({ length: RECORDS }, (_, i) => ({
      key: `o-${i}`,
      value: `order ${i} from dc1`,
    }));
    const payments = Array.from({ length: RECORDS }, (_, i) => ({
      key: `p-${i}`,
      value: `payment ${i} from dc2`,
    }));
    await produceRecords(bed.bootstrap('dc1'), 'orders.dc1', orders);
    await produceRecords(bed.bootstrap('dc2'), 'payments.dc2', payments);

    const arrived = {
      dc2: await consumeRecords(bed.bootstrap('dc2'), 'orders.dc1', RECORDS, {
        timeoutMs: 120_000,
      }),
      dc1: await consumeRecords(bed.bootstrap('dc1'), 'payments.dc2', RECORDS, {
        timeoutMs: 120_000,
      }),
    };
    const asMap = (records: { key: string | null; value: string | null }[]) =>
      new Map(records.map(r => [r.key, r.value]));
    expect(asMap(arrived.dc2)).toEqual(
      new Map(orders.map(r => [r.key, r.value])),
    );
    expect(asMap(arrived.dc1)).toEqual(
      new Map(payments.map(r => [r.key, r.value])),
    );
    // Nothing came back: each source topic still holds exactly its own records.
    expect(await sumEndOffsets(bed.bootstrap('dc1'), 'orders.dc1')).toBe(
      RECORDS,
    );
    expect(await sumEndOffsets(bed.bootstrap('dc2'), 'payments.dc2')).toBe(
      RECORDS,
    );

    // Each process's JMX exporter answers, and nothing was dropped.
    for (const port of [exp1, exp1 + 1, exp2, exp2 + 1]) {
      const text = await (
        await fetch(`http://127.0.0.1:${port}/metrics`)
      ).text();
      const dropped = text.match(
        /^kafka_mirrormaker_dropped_messages\{[^}]*\} (\S+)$/m,
      );
      expect(dropped?.[1]).toBeDefined();
      expect(Number(dropped![1])).toBe(0);
    }
  }, 300_000);
});
