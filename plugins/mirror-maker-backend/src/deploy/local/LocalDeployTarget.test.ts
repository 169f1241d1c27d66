import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import {
  MirrorMakerEntity,
  renderBundle,
  RenderInput,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  dc1,
  dc2,
  exampleEntity,
} from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import type { DeployRequest } from '@mirrormaker/plugin-mirror-maker-node';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalDeployTarget } from './LocalDeployTarget';
import { ProcessRecord } from './ProcessSupervisor';
import { processStartTime } from './procfs';

const REF = 'mirrormaker:default/dc1-to-dc2';
const DIR = 'mirrormaker.default.dc1-to-dc2';
const NODE1 = 'mm1.dc2.example.com';
const NODE2 = 'mm2.dc2.example.com';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(25);
  }
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function request(
  entity: MirrorMakerEntity = exampleEntity(),
  revision = { id: 'rev-1', number: 1 },
): DeployRequest {
  const input: RenderInput = { entity, source: dc1, target: dc2 };
  return {
    deploymentRef: REF,
    revision,
    input,
    bundle: renderBundle(input),
  };
}

describe('LocalDeployTarget', () => {
  let tmp: string;
  let workDir: string;
  let kafkaHome: string;
  let javaBin: string;
  let agent: string;
  const targets: LocalDeployTarget[] = [];
  const strays: number[] = [];
  const logger = mockServices.logger.mock();

  function target(
    overrides: Partial<ConstructorParameters<typeof LocalDeployTarget>[0]> = {},
  ): LocalDeployTarget {
    const t = new LocalDeployTarget({
      logger,
      workDir,
      kafkaHome,
      javaBin,
      jmxExporterJar: agent,
      restart: { initialDelayMs: 100, maxDelayMs: 1000, stableAfterMs: 5000 },
      ...overrides,
    });
    targets.push(t);
    return t;
  }

  const node1 = () => path.join(workDir, DIR, NODE1);

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-local-target-'));
    workDir = path.join(tmp, 'work');
    kafkaHome = path.join(tmp, 'kafka');
    fs.mkdirSync(path.join(kafkaHome, 'libs'), { recursive: true });
    fs.writeFileSync(path.join(kafkaHome, 'libs', 'kafka_2.13-3.9.2.jar'), '');
    agent = path.join(tmp, 'jmx_prometheus_javaagent-1.0.1.jar');
    fs.writeFileSync(agent, '');
    // Stands in for the JVM: says how it was called, then waits like MirrorMaker.
    javaBin = path.join(tmp, 'fake-java');
    fs.writeFileSync(
      javaBin,
      '#!/usr/bin/env bash\necho "fake java $*"\nexec sleep 60\n',
      { mode: 0o755 },
    );
    jest.clearAllMocks();
  });

  afterEach(async () => {
    await Promise.all(
      targets.splice(0).map(t => t.shutdown({ timeoutMs: 1000 })),
    );
    for (const pid of strays.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('plans every process in placement order with its own exporter port, the same each time', async () => {
    const plan = await target().plan(request());
    expect(plan.map(p => `${p.host}/${p.index}`)).toEqual([
      `${NODE1}/1`,
      `${NODE1}/2`,
      `${NODE2}/1`,
      `${NODE2}/2`,
    ]);
    const ports = plan.map(p =>
      Number(/:(\d+)\/metrics$/.exec(p.metricsUrl!)![1]),
    );
    expect(new Set(ports).size).toBe(4);
    expect(ports[1]).toBe(ports[0] + 1);
    expect(plan[0].metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(await target().plan(request())).toEqual(plan);
  });

  it('leaves the exporter out without an agent jar', async () => {
    const t = target({ jmxExporterJar: undefined });
    const plan = await t.plan(request());
    expect(plan[0]).toEqual({ host: NODE1, index: 1 });
    await t.writeFiles(request(), { host: NODE1, index: 1 });
    const script = fs.readFileSync(
      path.join(node1(), 'bin', 'kafka-mirror-maker-1.sh'),
      'utf8',
    );
    expect(script).not.toContain('-javaagent');
    expect(
      fs.existsSync(path.join(node1(), 'config', 'jmx-exporter-1.yml')),
    ).toBe(false);
  });

  it("writes one process's files and the node's shared files under its folder", async () => {
    const entity = exampleEntity({ jvm: { heap: '4G' } });
    await target().writeFiles(request(entity), { host: NODE1, index: 2 });
    const list = (dir: string) =>
      fs.readdirSync(path.join(node1(), dir)).sort();
    expect(list('config')).toEqual([
      'jmx-exporter-2.yml',
      'kafka-mirror-log4j-2.properties',
      'kafka-mirror-maker-consumer.properties',
      'kafka-mirror-maker-producer-2.properties',
      'prometheus-scrape.yml',
    ]);
    expect(list('bin')).toEqual(['kafka-mirror-maker-2.sh']);
    expect(list('logs')).toEqual([]);
    expect(list('run')).toEqual(['ports.json']);
    expect(fs.existsSync(path.join(workDir, DIR, NODE2))).toBe(false);
    const script = path.join(node1(), 'bin', 'kafka-mirror-maker-2.sh');
    expect(fs.statSync(script).mode & 0o777).toBe(0o755);
    const text = fs.readFileSync(script, 'utf8');
    expect(text).toContain(`default_kafka_home=${kafkaHome}`);
    expect(text).toContain(`default_java=${javaBin}`);
    expect(text).toContain('-Xmx256m');
    expect(text).toContain(`-javaagent:${agent}=127.0.0.1:`);
    expect(text).toContain(
      `${node1()}/config/kafka-mirror-maker-producer-2.properties`,
    );
    expect(text).not.toContain('/etc/kafka-mirror-maker');
  });

  it('rejects a deployment ref or host that would leave the work directory', async () => {
    const t = target();
    await expect(
      t.plan({ ...request(), deploymentRef: 'mirrormaker:default/..' }),
    ).rejects.toThrow(InputError);
    await expect(
      t.writeFiles(request(), { host: '../../etc', index: 1 }),
    ).rejects.toThrow(/is not a node of/);
    await expect(
      t.writeFiles(request(), { host: NODE1, index: 3 }),
    ).rejects.toThrow(
      /has no process 3 on mm1.dc2.example.com; it runs processes 1 to 2/,
    );
    expect(fs.existsSync(path.join(tmp, 'etc'))).toBe(false);
  });

  it('refuses to deploy without a Kafka home', async () => {
    await expect(
      target({ kafkaHome: undefined }).plan(request()),
    ).rejects.toThrow('mirrorMaker.deploy.local.kafkaHome is not set');
  });

  it('starts, reports, restarts after a crash, and stops a process', async () => {
    const t = target();
    const req = request();
    const proc = { host: NODE1, index: 1 };
    await expect(t.startProcess(req, proc)).rejects.toThrow(
      /kafka-mirror-maker-1.sh does not exist: write the files of process 1/,
    );
    const [planned] = await t.plan(req);
    await t.writeFiles(req, proc);
    await t.startProcess(req, proc);
    const [first] = await t.status(REF);
    expect(first).toMatchObject({
      host: NODE1,
      index: 1,
      restarts: 0,
      revisionId: 'rev-1',
      metricsUrl: planned.metricsUrl,
    });
    const pid = first.pid!;
    expect(pid).toBeGreaterThan(0);
    await waitFor(async () => (await t.status(REF))[0].state === 'running');
    const out = path.join(node1(), 'logs', 'process-1.out');
    await waitFor(() => fs.readFileSync(out, 'utf8').includes('fake java'));
    expect(fs.readFileSync(out, 'utf8')).toMatch(
      /fake java -Xms256m -Xmx256m .*kafka\.tools\.MirrorMaker --consumer\.config .*--num\.streams 3/,
    );
    const state: ProcessRecord = JSON.parse(
      fs.readFileSync(path.join(node1(), 'run', 'process-1.json'), 'utf8'),
    );
    expect(state).toMatchObject({
      desired: 'running',
      pid,
      startTime: processStartTime(pid),
      revisionId: 'rev-1',
      ports: { jmx: expect.any(Number), exporter: expect.any(Number) },
    });

    // The same start again changes nothing.
    await t.startProcess(req, proc);
    expect((await t.status(REF))[0].pid).toBe(pid);

    process.kill(pid, 'SIGKILL');
    const restarted = await waitFor(async () => {
      const [s] = await t.status(REF);
      return s.pid && s.pid !== pid ? s : undefined;
    }, 5000);
    expect(restarted).toMatchObject({ restarts: 1 });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /process 1 on mm1.dc2.example.com .* was killed by SIGKILL/,
      ),
    );
    expect(await t.logs(REF, proc, { lines: 5 })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^fake java /)]),
    );

    await t.stopProcess(REF, proc, { timeoutMs: 2000 });
    expect(gone(restarted.pid!)).toBe(true);
    await sleep(300);
    const [stopped] = await t.status(REF);
    expect(stopped).toMatchObject({ state: 'stopped', restarts: 1 });
    expect(stopped.pid).toBeUndefined();
    await t.stopProcess(REF, proc, { timeoutMs: 2000 });
    await t.stopProcess(REF, { host: NODE2, index: 2 }, { timeoutMs: 2000 });

    // A start of another revision restarts a running process.
    await t.startProcess(req, proc);
    const before = (await t.status(REF))[0].pid!;
    await t.writeFiles(request(undefined, { id: 'rev-2', number: 2 }), proc);
    await t.startProcess(request(undefined, { id: 'rev-2', number: 2 }), proc);
    const after = (await t.status(REF))[0];
    expect(after).toMatchObject({ revisionId: 'rev-2', restarts: 0 });
    expect(after.pid).not.toBe(before);
    expect(gone(before)).toBe(true);
  });

  it('stops a whole deployment but keeps its files', async () => {
    const t = target();
    const req = request();
    const plan = await t.plan(req);
    for (const proc of plan) {
      await t.writeFiles(req, proc);
      await t.startProcess(req, proc);
    }
    const pids = (await t.status(REF)).map(s => s.pid!);
    expect(pids).toHaveLength(4);
    await t.stopDeployment(REF, { timeoutMs: 2000 });
    expect(pids.every(gone)).toBe(true);
    const statuses = await t.status(REF);
    expect(statuses.map(s => s.state)).toEqual([
      'stopped',
      'stopped',
      'stopped',
      'stopped',
    ]);
    expect(
      fs.existsSync(path.join(node1(), 'bin', 'kafka-mirror-maker-2.sh')),
    ).toBe(true);
    // A new instance leaves stopped processes stopped.
    const next = target();
    await next.start();
    expect((await next.status(REF)).map(s => s.state)).toEqual(
      statuses.map(s => s.state),
    );
  });

  it('adopts a running process at start and restarts it when it ends', async () => {
    const run = path.join(node1(), 'run');
    const bin = path.join(node1(), 'bin');
    fs.mkdirSync(run, { recursive: true });
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(
      path.join(bin, 'kafka-mirror-maker-1.sh'),
      'exec sleep 30\n',
    );
    // What an earlier backend instance left running: detached, its own group.
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    child.unref();
    const pid = child.pid!;
    strays.push(pid);
    const record: ProcessRecord = {
      version: 1,
      deploymentRef: REF,
      host: NODE1,
      index: 1,
      desired: 'running',
      owner: 'earlier-instance',
      pid,
      startTime: processStartTime(pid),
      revisionId: 'rev-7',
      ports: { jmx: 20001, exporter: 20011 },
      metricsUrl: 'http://127.0.0.1:20011/metrics',
      restarts: 2,
      state: 'running',
      since: '2024-01-01T00:00:00.000Z',
    };
    fs.writeFileSync(path.join(run, 'process-1.json'), JSON.stringify(record));

    const t = target();
    await t.start();
    expect(await t.status(REF)).toEqual([
      {
        host: NODE1,
        index: 1,
        state: 'running',
        pid,
        restarts: 2,
        since: record.since,
        revisionId: 'rev-7',
        metricsUrl: record.metricsUrl,
      },
    ]);
    const onDisk = JSON.parse(
      fs.readFileSync(path.join(run, 'process-1.json'), 'utf8'),
    );
    expect(onDisk.owner).not.toBe('earlier-instance');

    // Not our child: its end is seen by polling.
    process.kill(pid, 'SIGKILL');
    const restarted = await waitFor(async () => {
      const [s] = await t.status(REF);
      return s.pid && s.pid !== pid ? s : undefined;
    }, 5000);
    expect(restarted).toMatchObject({ restarts: 3 });
    // Until the script has exec'd its program, the process is still bash.
    await waitFor(async () => (await t.status(REF))[0].state === 'running');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('exit status unknown'),
    );
  });

  it('stops an adopted process, which is not its child', async () => {
    const run = path.join(node1(), 'run');
    fs.mkdirSync(run, { recursive: true });
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    child.unref();
    const pid = child.pid!;
    strays.push(pid);
    fs.writeFileSync(
      path.join(run, 'process-2.json'),
      JSON.stringify({
        version: 1,
        deploymentRef: REF,
        host: NODE1,
        index: 2,
        desired: 'running',
        owner: 'earlier-instance',
        pid,
        startTime: processStartTime(pid),
        ports: { jmx: 20002 },
        restarts: 0,
        state: 'running',
        since: '2024-01-01T00:00:00.000Z',
      }),
    );
    const t = target();
    expect((await t.status(REF))[0]).toMatchObject({ pid, state: 'running' });
    await t.stopProcess(REF, { host: NODE1, index: 2 }, { timeoutMs: 2000 });
    await waitFor(() => gone(pid), 2000);
    expect((await t.status(REF))[0]).toMatchObject({ state: 'stopped' });
    expect(
      JSON.parse(fs.readFileSync(path.join(run, 'process-2.json'), 'utf8')),
    ).toMatchObject({ desired: 'stopped', state: 'stopped' });
  });

  it('starts a process again at start when its pid is dead or belongs to another process', async () => {
    const t = target();
    const req = request();
    const proc = { host: NODE1, index: 1 };
    await t.writeFiles(req, proc);
    const stateFile = path.join(node1(), 'run', 'process-1.json');
    const base: ProcessRecord = {
      version: 1,
      deploymentRef: REF,
      host: NODE1,
      index: 1,
      desired: 'running',
      owner: 'earlier-instance',
      revisionId: 'rev-1',
      ports: { jmx: 20001 },
      restarts: 0,
      state: 'running',
      since: '2024-01-01T00:00:00.000Z',
    };
    // Our own pid is alive, but started at another time than recorded.
    fs.writeFileSync(
      stateFile,
      JSON.stringify({ ...base, pid: process.pid, startTime: '1' }),
    );
    await t.start();
    const [status] = await t.status(REF);
    expect(status.pid).toBeDefined();
    expect(status.pid).not.toBe(process.pid);
    expect(status).toMatchObject({ restarts: 1, revisionId: 'rev-1' });
    await waitFor(async () => (await t.status(REF))[0].state === 'running');
  });

  it('marks a process failed when its files are gone', async () => {
    const run = path.join(node1(), 'run');
    fs.mkdirSync(run, { recursive: true });
    fs.writeFileSync(
      path.join(run, 'process-2.json'),
      JSON.stringify({
        version: 1,
        deploymentRef: REF,
        host: NODE1,
        index: 2,
        desired: 'running',
        owner: 'x',
        ports: { jmx: 20002 },
        restarts: 0,
        state: 'running',
        since: '2024-01-01T00:00:00.000Z',
      }),
    );
    // Belongs to another folder: ignored.
    fs.writeFileSync(
      path.join(run, 'process-3.json'),
      JSON.stringify({
        version: 1,
        deploymentRef: 'mirrormaker:default/other',
        host: NODE1,
        index: 3,
        desired: 'running',
      }),
    );
    const t = target();
    expect(await t.status(REF)).toEqual([
      expect.objectContaining({
        index: 2,
        state: 'failed',
        message: expect.stringContaining('kafka-mirror-maker-2.sh is missing'),
      }),
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /ignoring .*process-3.json: it describes process 3 .* which belongs elsewhere/,
      ),
    );
  });

  it('leaves nothing running after shutdown and brings the processes back on the next start', async () => {
    const t = target();
    const req = request();
    for (const proc of await t.plan(req)) {
      await t.writeFiles(req, proc);
      await t.startProcess(req, proc);
    }
    const pids = (await t.status(REF)).map(s => s.pid!);
    await t.shutdown({ timeoutMs: 2000 });
    for (const pid of pids) {
      expect(() => process.kill(pid, 0)).toThrow(
        expect.objectContaining({ code: 'ESRCH' }),
      );
    }
    await expect(
      t.startProcess(req, { host: NODE1, index: 1 }),
    ).rejects.toThrow('shutting down');
    const state = JSON.parse(
      fs.readFileSync(path.join(node1(), 'run', 'process-1.json'), 'utf8'),
    );
    expect(state).toMatchObject({ desired: 'running' });
    expect(state.pid).toBeUndefined();

    const next = target();
    await next.start();
    const back = await next.status(REF);
    expect(back.map(s => s.restarts)).toEqual([0, 0, 0, 0]);
    expect(back.every(s => s.pid && !pids.includes(s.pid))).toBe(true);
    await next.shutdown({ timeoutMs: 2000 });
    expect(back.every(s => gone(s.pid!))).toBe(true);
  });
});
