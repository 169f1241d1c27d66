/**
 * Per-process figures from a real MirrorMaker 1 and the real JMX exporter
 * agent, started from the files the renderer writes: a process told not to
 * abort on send failures meets a destination topic that refuses some
 * records, drops exactly those, and the exporter source reports the drops,
 * its send rate and heap; once the process is killed it reports it down.
 */
import * as crypto from 'crypto';
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
import { PrometheusExporterSource } from '@mirrormaker/plugin-mirror-maker-backend/src/metrics/sources/PrometheusExporterSource';
import {
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

const TOPIC = 'orders.dc1';
const NORMAL = 300;
const OVERSIZED = 7;
/** The destination refuses batches above this; the source takes them. */
const MAX_MESSAGE_BYTES = 32_768;

describe('process metrics from a real MirrorMaker 1 exporter', () => {
  let bed: TestBed;
  let root: string;
  let mm: JavaProcess | undefined;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-process-metrics-'));
    bed = await startKafkaClusters(['dc1', 'dc2']);
  }, 180_000);

  afterAll(async () => {
    await mm?.stop();
    await bed?.stop();
    if (!process.env.KAFKA_TESTBED_KEEP_DIR) {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it('reports drops, send rate and heap, then the killed process as down', async () => {
    const agent = findJmxExporterAgent();
    if (!agent)
      throw new Error(
        'the JMX exporter agent jar is missing from test/kafka-runtime/agents',
      );
    const [jmxPort, exporterPort] = await findFreePortRanges(2, 1);
    const name = 'dc1-to-dc2';
    const entity: MirrorMakerEntity = {
      apiVersion: 'mirrormaker.io/v1alpha1',
      kind: 'MirrorMaker',
      metadata: { name },
      spec: {
        owner: 'group:default/kafka-platform',
        source: 'resource:default/kafka-dc1',
        target: 'resource:default/kafka-dc2',
        topics: { names: [TOPIC] },
        placement: { nodes: ['localhost'], processesPerNode: 1, numStreams: 1 },
        install: {
          kafkaHome: resolveKafkaHome(),
          configDir: path.join(root, 'config'),
          binDir: path.join(root, 'bin'),
          logDir: path.join(root, 'logs'),
          jmxExporterJar: agent,
        },
        jvm: { heap: '256M' },
        jmx: {
          initialPort: jmxPort - 1,
          exporterInitialPort: exporterPort - 1,
        },
        monitoring: { prometheus: { enabled: true }, labels: { env: 'test' } },
        offsetCommitIntervalMs: 1000,
        abortOnSendFailure: false,
        consumer: { 'auto.offset.reset': 'earliest' },
        // Small uncompressed batches: an oversized record travels alone and
        // fails alone, while batches of ordinary records stay under the
        // destination's limit. (A refused batch of several records is split
        // and retried by the producer, not dropped.)
        producer: {
          'batch.size': 16384,
          'linger.ms': 5,
          'compression.type': 'none',
        },
      },
    };
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
    expect(
      validateMirrorMakerEntity(entity).filter(p => p.severity === 'error'),
    ).toEqual([]);
    expect(
      validateDeploymentClusters(entity, clusters.dc1, clusters.dc2),
    ).toEqual([]);

    await createTopics(bed.bootstrap('dc1'), [
      { topic: TOPIC, numPartitions: 1 },
    ]);
    await createTopics(bed.bootstrap('dc2'), [
      {
        topic: TOPIC,
        numPartitions: 1,
        configs: { 'max.message.bytes': String(MAX_MESSAGE_BYTES) },
      },
    ]);
    // Random bytes, so no codec anywhere can shrink a record under the limit.
    const oversizedAt = new Set(
      Array.from({ length: OVERSIZED }, (_, k) => 20 + k * 40),
    );
    const records = Array.from({ length: NORMAL + OVERSIZED }, (_, i) => ({
      key: `k-${i}`,
      value: crypto.randomBytes(
        oversizedAt.has(i) ? 2 * MAX_MESSAGE_BYTES : 200,
      ),
    }));
    const oversizedCount = records.filter(
      r => r.value.length > MAX_MESSAGE_BYTES,
    ).length;
    expect(oversizedCount).toBe(OVERSIZED);
    await produceRecords(bed.bootstrap('dc1'), TOPIC, records, {
      batchSize: 50,
    });

    const bundle = renderBundle({
      entity,
      source: clusters.dc1,
      target: clusters.dc2,
    });
    const [node] = bundle.nodes;
    for (const file of node.files) {
      // Units and New Relic files target /etc; only the files under our root run here.
      if (!file.path.startsWith(root)) continue;
      fs.mkdirSync(path.dirname(file.path), { recursive: true });
      fs.writeFileSync(file.path, file.content, { mode: file.mode });
    }
    const script = node.files.find(f =>
      /kafka-mirror-maker-1\.sh$/.test(f.path),
    );
    expect(script).toBeDefined();
    mm = startScriptProcess({
      script: script!.path,
      name: path.basename(script!.path),
      env: { KAFKA_HOME: resolveKafkaHome() },
      outFile: `${script!.path}.out`,
    });

    const metricsUrl = `http://127.0.0.1:${exporterPort}/metrics`;
    const source = new PrometheusExporterSource();
    const request = {
      deploymentRef: `mirrormaker:default/${name}`,
      deploymentName: name,
      groupId: `mirror-maker-${name}`,
      processes: [{ host: 'localhost', index: 1, metricsUrl }],
    };

    // Every ordinary record arrives and every oversized one is counted as
    // dropped; the count is final once the destination holds the rest.
    const m = await waitFor(
      async () => {
        if (!mm!.isRunning()) {
          throw new Error(
            `${mm!.name} exited: ${mm!.describeExit()}\n${mm!.logTail()}`,
          );
        }
        const [figures] = await source.processMetrics(request);
        const arrived = await sumEndOffsets(bed.bootstrap('dc2'), TOPIC);
        if (
          figures.up &&
          figures.droppedMessages === OVERSIZED &&
          arrived === NORMAL
        ) {
          return figures;
        }
        // Thrown, not returned: waitFor reports the last state on timeout.
        throw new Error(
          `dc2 holds ${arrived} records; exporter: ${JSON.stringify(figures)}`,
        );
      },
      {
        timeoutMs: 150_000,
        intervalMs: 1000,
        description: `${NORMAL} records in dc2 and ${OVERSIZED} dropped at ${metricsUrl}`,
      },
    );

    expect(m).toMatchObject({
      host: 'localhost',
      index: 1,
      source: 'prometheus',
      up: true,
      droppedMessages: OVERSIZED,
      assignedPartitions: 1,
    });
    expect(m.error).toBeUndefined();
    expect(m.recordsSentRate).toEqual(expect.any(Number));
    expect(m.recordsSentRate).toBeGreaterThan(0);
    expect(m.recordErrorRate).toBeGreaterThan(0);
    expect(m.recordsConsumedRate).toEqual(expect.any(Number));
    expect(m.heapUsedBytes).toBeGreaterThan(0);
    expect(m.heapMaxBytes).toBeGreaterThanOrEqual(m.heapUsedBytes!);
    // -Xmx256M: the maximum the agent reports is the configured heap.
    expect(m.heapMaxBytes).toBeLessThanOrEqual(256 * 1024 * 1024);
    expect(m.gcSecondsTotal).toEqual(expect.any(Number));

    mm.killNow();
    await mm.exited;
    const [down] = await source.processMetrics(request);
    expect(down.up).toBe(false);
    expect(down.droppedMessages).toBeUndefined();
    expect(down.error).toContain(metricsUrl);
    expect(down.error).toMatch(/ECONNREFUSED/);
  }, 300_000);
});
