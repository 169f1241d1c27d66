/*
 * The `local` deploy target runs real MirrorMaker 1 processes against the
 * test bed's two clusters: it renders the deployment with its own paths and
 * ports, starts both processes, restarts one killed with SIGKILL while
 * records flow, and every record arrives (duplicates allowed: MirrorMaker 1
 * copies at least once). A second target on the same work directory adopts
 * the running processes; its shutdown leaves no JVM behind.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { LocalDeployTarget } from '@mirrormaker/plugin-mirror-maker-backend/src/deploy/local/LocalDeployTarget';
import {
  KafkaClusterConfig,
  renderBundle,
  RenderInput,
} from '@mirrormaker/plugin-mirror-maker-common';
import { exampleEntity } from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import type { DeployRequest } from '@mirrormaker/plugin-mirror-maker-node';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Partitioners } from 'kafkajs';
import {
  createKafkaClient,
  createTopics,
  describeGroup,
  findJava,
  findJmxExporterAgent,
  registerLz4Codec,
  resolveKafkaHome,
  startKafkaClusters,
  TestBed,
  waitFor,
} from '../testbed';

const RECORDS = 100_000;
const BATCH = 2_000;
const TOPIC = 'orders.dc1';
const REF = 'mirrormaker:default/dc1-to-dc2';
const GROUP = 'mirror-maker-dc1-to-dc2';
const SLOW_HOOK_MS = 180_000;

function log(message: string): void {
  // eslint-disable-next-line no-console
  console.log(`[local-target] ${message}`);
}

/** MirrorMaker JVMs whose command line names our work directory. */
function mirrorMakerJvms(workDir: string): number[] {
  const found = spawnSync('pgrep', ['-f', 'kafka.tools.MirrorMaker'], {
    encoding: 'utf8',
  });
  return found.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter(pid => {
      try {
        return fs
          .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
          .includes(workDir);
      } catch {
        return false;
      }
    });
}

describe('local deploy target with real MirrorMaker 1', () => {
  let bed: TestBed | undefined;
  let workDir: string;
  let target: LocalDeployTarget | undefined;
  let adopter: LocalDeployTarget | undefined;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    const began = Date.now();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-local-target-'));
    bed = await startKafkaClusters(['dc1', 'dc2']);
    // Destination topics exist before MirrorMaker starts (auto-create is off).
    await createTopics(bed.cluster('dc1'), [
      { topic: TOPIC, numPartitions: 3 },
    ]);
    await createTopics(bed.cluster('dc2'), [
      { topic: TOPIC, numPartitions: 3 },
    ]);
    log(`clusters up with ${TOPIC} in ${Date.now() - began} ms`);
  }, SLOW_HOOK_MS);

  afterAll(async () => {
    await adopter?.shutdown({ timeoutMs: 10_000 });
    await target?.shutdown({ timeoutMs: 10_000 });
    // Only if the targets failed to: the JVMs run detached, outside the test bed's watchdog.
    for (const pid of mirrorMakerJvms(workDir)) {
      log(`killing leftover MirrorMaker pid ${pid}`);
      process.kill(pid, 'SIGKILL');
    }
    await bed?.stop();
    if (!process.env.KAFKA_TESTBED_KEEP_DIR) {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }, SLOW_HOOK_MS);

  it('mirrors every record through a kill -9, and a new instance adopts the processes', async () => {
    const t0 = Date.now();
    const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    const cluster = (name: 'dc1' | 'dc2'): KafkaClusterConfig => ({
      name,
      brokers: [bed!.bootstrap(name)],
      dataCentre: name,
      topicSuffix: name,
    });
    const entity = exampleEntity({
      placement: {
        nodes: ['mm1.dc2.example.com'],
        processesPerNode: 2,
        numStreams: 1,
      },
      offsetCommitIntervalMs: 1000,
      // A killed member leaves the group after 6 s instead of 45.
      consumer: { 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 1000 },
    });
    const input: RenderInput = {
      entity,
      source: cluster('dc1'),
      target: cluster('dc2'),
    };
    const request: DeployRequest = {
      deploymentRef: REF,
      revision: { id: 'rev-1', number: 1 },
      input,
      bundle: renderBundle(input),
    };
    const options = {
      logger,
      workDir,
      kafkaHome: resolveKafkaHome(),
      javaBin: findJava(),
      jmxExporterJar: findJmxExporterAgent(),
    };
    target = new LocalDeployTarget(options);
    expect(await target.checkReadiness()).toMatchObject({ ready: true });

    const plan = await target.plan(request);
    expect(plan.map(p => p.index)).toEqual([1, 2]);
    for (const proc of plan) {
      await target.writeFiles(request, proc);
      await target.startProcess(request, proc);
    }
    const started = await target.status(REF);
    log(
      `${since()}: started pids ${started
        .map(s => s.pid)
        .join(', ')}; metrics at ${plan.map(p => p.metricsUrl).join(', ')}`,
    );
    await waitFor(
      async () => {
        const statuses = await target!.status(REF);
        const broken = statuses.find(
          s => s.state !== 'running' && s.state !== 'starting',
        );
        if (broken) throw new Error(`${JSON.stringify(broken)}`);
        const group = await describeGroup(bed!.cluster('dc1'), GROUP);
        return group.state === 'Stable' && group.members.length === 2;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: `${GROUP} with 2 members`,
      },
    );
    log(`${since()}: ${GROUP} stable with 2 members`);

    let produced = 0;
    const producer = createKafkaClient(bed!.cluster('dc1')).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    const producing = (async () => {
      try {
        for (let i = 0; i < RECORDS; i += BATCH) {
          const messages = Array.from(
            { length: Math.min(BATCH, RECORDS - i) },
            (_, k) => ({
              key: `order-${i + k}`,
              value: `order ${i + k} from dc1`,
            }),
          );
          await producer.send({ topic: TOPIC, acks: -1, messages });
          produced += messages.length;
        }
      } finally {
        await producer.disconnect().catch(() => undefined);
      }
    })();

    // Kill one JVM while records flow.
    await waitFor(() => produced >= RECORDS * 0.3, {
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    const [victim] = await target.status(REF);
    const killedAt = Date.now();
    process.kill(victim.pid!, 'SIGKILL');
    log(
      `${since()}: kill -9 ${victim.pid} (process ${
        victim.index
      }) after ${produced} records produced`,
    );
    let noticedMs: number | undefined;
    const restarted = await waitFor(
      async () => {
        const s = (await target!.status(REF)).find(
          p => p.index === victim.index,
        )!;
        if (s.state === 'restarting') noticedMs ??= Date.now() - killedAt;
        return s.pid !== undefined && s.pid !== victim.pid ? s : undefined;
      },
      {
        timeoutMs: 5_000,
        intervalMs: 20,
        description: 'a new pid for the killed process',
      },
    );
    const restartMs = Date.now() - killedAt;
    log(
      `${since()}: restarted as pid ${
        restarted.pid
      } ${restartMs} ms after the kill (exit noticed after ${noticedMs} ms, then the 1,000 ms pause)`,
    );
    expect(restartMs).toBeLessThan(5_000);
    expect(restarted.restarts).toBe(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('was killed by SIGKILL'),
    );

    await producing;
    log(`${since()}: produced ${produced} records`);

    registerLz4Codec();
    const keys = new Set<string>();
    let received = 0;
    const consumer = createKafkaClient(bed!.cluster('dc2')).consumer({
      groupId: `local-target-reader-${Date.now()}`,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `only ${keys.size} of ${RECORDS} keys arrived in dc2 (${received} records)`,
              ),
            ),
          90_000,
        );
        consumer
          .run({
            eachBatch: async ({ batch }) => {
              for (const message of batch.messages) {
                received += 1;
                keys.add(message.key!.toString());
              }
              if (keys.size >= RECORDS) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    log(
      `${since()}: ${
        keys.size
      } distinct keys in dc2 from ${received} records (${
        received - keys.size
      } duplicates)`,
    );
    expect(keys.size).toBe(RECORDS);

    const metrics = await (await fetch(plan[0].metricsUrl!)).text();
    expect(metrics).toMatch(/^kafka_/m);

    // A backend restart: the new instance adopts what runs.
    const before = await target.status(REF);
    adopter = new LocalDeployTarget(options);
    await adopter.start();
    const adopted = await adopter.status(REF);
    expect(adopted.map(s => s.pid)).toEqual(before.map(s => s.pid));
    expect(adopted.map(s => s.state)).toEqual(['running', 'running']);
    log(`${since()}: adopted pids ${adopted.map(s => s.pid).join(', ')}`);

    const stopAt = Date.now();
    await adopter.shutdown({ timeoutMs: 15_000 });
    log(`${since()}: shutdown took ${Date.now() - stopAt} ms`);
    expect(mirrorMakerJvms(workDir)).toEqual([]);
    // The first instance sees its children end but leaves them to the adopter.
    await new Promise(resolve => setTimeout(resolve, 2_000));
    expect(mirrorMakerJvms(workDir)).toEqual([]);
    log(`${since()}: no MirrorMaker JVM left`);
  }, 240_000);
});
