/*
 * The ssh deploy target end to end: a real sshd on loopback, the node name
 * of the deployment mapped to it through `hosts`, the host key checked
 * against knownHosts, the rendered files uploaded over SFTP and a real
 * MirrorMaker 1 process started over SSH in `direct` mode (nohup and a pid
 * file; the test machine has no systemd). It copies 1,000 keyed records
 * from the test bed's dc1 into dc2 and is gone after stopProcess.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mockServices } from '@backstage/backend-test-utils';
import {
  KafkaClusterConfig,
  MirrorMakerEntity,
  renderBundle,
  RenderInput,
} from '@mirrormaker/plugin-mirror-maker-common';
import type { DeployRequest } from '@mirrormaker/plugin-mirror-maker-node';
import { SshDeployTarget } from '@mirrormaker/plugin-mirror-maker-backend/src/deploy/ssh/SshDeployTarget';
import {
  sshdAvailable,
  startTestSshd,
  TestSshd,
} from '@mirrormaker/plugin-mirror-maker-backend/src/deploy/ssh/__testUtils__/sshd';
import {
  consumeRecords,
  createTopics,
  findFreePortRanges,
  findJava,
  findJmxExporterAgent,
  isProcessAlive,
  produceRecords,
  registerLz4Codec,
  resolveKafkaHome,
  startKafkaClusters,
  TestBed,
  waitFor,
} from '../testbed';

const RECORDS = 1000;
const NODE = 'mm1.dc2.example.com';
const REF = 'mirrormaker:default/dc1-to-dc2';

function log(message: string): void {
  // eslint-disable-next-line no-console
  console.log(`[ssh-target] ${message}`);
}

async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const value = await run();
  log(`${what}: ${Date.now() - started} ms`);
  return value;
}

function cluster(bed: TestBed, name: string): KafkaClusterConfig {
  return {
    name,
    brokers: [bed.bootstrap(name)],
    dataCentre: name,
    topicSuffix: name,
  };
}

function entity(root: string, ports: { jmx: number; exporter: number }) {
  const mm: MirrorMakerEntity = {
    apiVersion: 'mirrormaker.io/v1alpha1',
    kind: 'MirrorMaker',
    metadata: { name: 'dc1-to-dc2' },
    spec: {
      owner: 'group:default/kafka-platform',
      source: 'resource:default/kafka-dc1',
      target: 'resource:default/kafka-dc2',
      topics: { suffix: 'dc1' },
      placement: { nodes: [NODE], processesPerNode: 1, numStreams: 1 },
      install: {
        kafkaHome: resolveKafkaHome(),
        configDir: `${root}/config`,
        binDir: `${root}/bin`,
        logDir: `${root}/logs`,
        javaBin: findJava(),
        jmxExporterJar: findJmxExporterAgent()!,
      },
      jvm: { heap: '256M' },
      jmx: {
        initialPort: ports.jmx - 1,
        exporterInitialPort: ports.exporter - 1,
      },
      offsetCommitIntervalMs: 1000,
      consumer: { 'auto.offset.reset': 'earliest' },
      deploy: { target: 'ssh' },
    },
  };
  return mm;
}

const describeWithSshd = sshdAvailable() ? describe : describe.skip;

describeWithSshd('ssh deploy target runs real MirrorMaker 1 over SSH', () => {
  let bed: TestBed | undefined;
  let sshd: TestSshd | undefined;
  let target: SshDeployTarget | undefined;
  let root: string;
  let pidFile: string;
  const suiteStarted = Date.now();

  /** Kills the JVM by its pid file if the target could not (a failed test). */
  function killLeftover(): void {
    try {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      if (pid > 0 && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // No pid file: nothing was started, or it was stopped.
    }
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-ssh-target-'));
    pidFile = `${root}/logs/process-1.pid`;
    process.once('exit', killLeftover);
    [bed, sshd] = await timed('dc1, dc2 and sshd up', () =>
      Promise.all([startKafkaClusters(['dc1', 'dc2']), startTestSshd()]),
    );
    target = SshDeployTarget.fromConfig(
      mockServices.rootConfig({
        data: {
          mirrorMaker: {
            deploy: {
              ssh: {
                privateKeyFile: sshd.clientKeyFile,
                knownHosts: `# the test sshd\n${sshd.knownHostsLine()}\n`,
                hosts: { [NODE]: { address: '127.0.0.1', port: sshd.port } },
                serviceManager: 'direct',
                commandTimeoutMs: 30_000,
              },
            },
          },
        },
      }),
      mockServices.logger.mock(),
    );
    await expect(target.checkReadiness()).resolves.toMatchObject({
      ready: true,
    });
  }, 180_000);

  afterAll(async () => {
    await target
      ?.stopDeployment(REF, { timeoutMs: 10_000 })
      .catch(e => log(`stopDeployment in cleanup: ${e}`));
    await target?.close();
    killLeftover();
    process.removeListener('exit', killLeftover);
    await sshd?.stop();
    await bed?.stop();
    if (!process.env.KAFKA_TESTBED_KEEP_DIR) {
      fs.rmSync(root, { recursive: true, force: true });
    }
    log(`whole suite: ${Date.now() - suiteStarted} ms`);
  }, 120_000);

  it('deploys, replicates 1,000 records and stops', async () => {
    const t = target!;
    const testBed = bed!;
    await timed('topics created', async () => {
      await createTopics(testBed.bootstrap('dc1'), [
        { topic: 'orders.dc1', numPartitions: 3 },
      ]);
      await createTopics(testBed.bootstrap('dc2'), [
        { topic: 'orders.dc1', numPartitions: 3 },
      ]);
    });

    const [jmx, exporter] = await findFreePortRanges(2, 1);
    const input: RenderInput = {
      entity: entity(root, { jmx, exporter }),
      source: cluster(testBed, 'dc1'),
      target: cluster(testBed, 'dc2'),
    };
    const request: DeployRequest = {
      deploymentRef: REF,
      revision: { id: 'revision-1', number: 1 },
      input,
      bundle: renderBundle(input),
    };

    // The rollout engine's order: plan, then per process stop, write, start.
    const plan = await timed('plan', () => t.plan(request));
    expect(plan).toEqual([
      {
        host: NODE,
        index: 1,
        metricsUrl: `http://127.0.0.1:${exporter}/metrics`,
      },
    ]);
    const proc = { host: NODE, index: 1 };
    await timed('stopProcess (nothing running)', () =>
      t.stopProcess(REF, proc, { timeoutMs: 10_000 }),
    );
    await timed('writeFiles over SFTP', () => t.writeFiles(request, proc));
    expect(
      fs.readdirSync(`${root}/config`).filter(f => f.includes('.tmp-')),
    ).toEqual([]);
    expect(
      fs.statSync(`${root}/bin/kafka-mirror-maker-1.sh`).mode & 0o777,
    ).toBe(0o755);
    await timed('startProcess over SSH', () => t.startProcess(request, proc));

    const [running] = await t.status(REF);
    expect(running).toMatchObject({
      host: NODE,
      index: 1,
      state: 'running',
      revisionId: 'revision-1',
    });
    const pid = running.pid!;
    log(`MirrorMaker runs as pid ${pid}`);

    const records = Array.from({ length: RECORDS }, (_, i) => ({
      key: `order-${i}`,
      value: `order ${i} from dc1`,
    }));
    await timed(`produced ${RECORDS} records on dc1`, () =>
      produceRecords(testBed.bootstrap('dc1'), 'orders.dc1', records),
    );
    // MirrorMaker's producer compresses with LZ4, which kafkajs cannot read alone.
    registerLz4Codec();
    const arrived = await timed(`consumed ${RECORDS} records on dc2`, () =>
      consumeRecords(testBed.bootstrap('dc2'), 'orders.dc1', RECORDS, {
        timeoutMs: 60_000,
      }),
    ).catch(async error => {
      const lines = await t.logs(REF, proc, { lines: 40 });
      throw new Error(`${error.message}\nprocess output:\n${lines.join('\n')}`);
    });
    expect(new Map(arrived.map(r => [r.key, r.value]))).toEqual(
      new Map(records.map(r => [r.key, r.value])),
    );

    const metrics = await timed('exporter answered', () =>
      waitFor(
        async () => {
          const res = await fetch(plan[0].metricsUrl!);
          return res.ok ? res.text() : undefined;
        },
        { timeoutMs: 10_000, description: 'the JMX exporter' },
      ),
    );
    expect(metrics).toMatch(/^kafka_mirrormaker_dropped_messages\{/m);
    // What the health gate reads: the exporter through the node itself.
    const overSsh = await timed('exporter read over SSH', () =>
      t.metrics(REF, proc),
    );
    expect(overSsh).toMatch(/^kafka_mirrormaker_dropped_messages\{/m);

    await timed('stopProcess over SSH', () =>
      t.stopProcess(REF, proc, { timeoutMs: 20_000 }),
    );
    expect(isProcessAlive(pid)).toBe(false);
    expect(fs.existsSync(pidFile)).toBe(false);
    const [stopped] = await t.status(REF);
    expect(stopped.state).toBe('stopped');
  }, 120_000);
});
