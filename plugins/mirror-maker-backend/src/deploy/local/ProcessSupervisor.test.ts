import { mockServices } from '@backstage/backend-test-utils';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ProcessRecord,
  ProcessSupervisor,
  restartDelay,
  SupervisorOptions,
} from './ProcessSupervisor';
import { isAlive } from './procfs';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function waitFor<T>(
  check: () => T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

function record(overrides: Partial<ProcessRecord> = {}): ProcessRecord {
  return {
    version: 1,
    deploymentRef: 'mirrormaker:default/test',
    host: 'localhost',
    index: 1,
    desired: 'running',
    owner: 'me',
    ports: { jmx: 1 },
    restarts: 0,
    state: 'starting',
    since: new Date().toISOString(),
    ...overrides,
  };
}

describe('restartDelay', () => {
  it('doubles from the initial delay up to the maximum', () => {
    const policy = {
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      stableAfterMs: 1,
    };
    expect(
      [0, 1, 2, 3, 4, 5, 6, 100].map(n => restartDelay(policy, n)),
    ).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe('ProcessSupervisor', () => {
  let tmp: string;
  const supervisors: ProcessSupervisor[] = [];
  const logger = mockServices.logger.mock();

  function supervisor(
    script: string,
    overrides: Partial<SupervisorOptions> = {},
  ): ProcessSupervisor {
    const s = new ProcessSupervisor({
      stateFile: path.join(tmp, 'run', 'process-1.json'),
      record: record(),
      command: 'bash',
      args: ['-c', script, 'test-process', path.join(tmp, 'starts')],
      cwd: tmp,
      env: { PATH: process.env.PATH },
      outFile: path.join(tmp, 'logs', 'process-1.out'),
      policy: { initialDelayMs: 100, maxDelayMs: 400, stableAfterMs: 60_000 },
      logger,
      instanceId: 'me',
      ...overrides,
    });
    supervisors.push(s);
    return s;
  }

  const starts = () =>
    fs.existsSync(path.join(tmp, 'starts'))
      ? fs
          .readFileSync(path.join(tmp, 'starts'), 'utf8')
          .trim()
          .split('\n')
          .map(Number)
      : [];

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-local-supervisor-'));
    jest.clearAllMocks();
  });

  afterEach(async () => {
    await Promise.all(supervisors.splice(0).map(s => s.stop(1000)));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('restarts a crashing process with growing pauses until it is stopped', async () => {
    // Each run notes when it started (ms), says why it fails, and fails.
    const s = supervisor(
      'echo $(( $(date +%s%N) / 1000000 )) >> "$1"; echo "broker unreachable"; exit 3',
    );
    await s.start({ revisionId: 'r1' });
    await waitFor(() => starts().length >= 5, 15_000);
    const status = s.status();
    expect(['starting', 'running', 'restarting']).toContain(status.state);
    expect(status.restarts).toBeGreaterThanOrEqual(4);
    const times = starts();
    const gaps = times.slice(1, 5).map((t, i) => t - times[i]);
    // 100, 200, 400, 400 ms plus the time bash takes to start.
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    expect(gaps[2]).toBeGreaterThanOrEqual(400);
    expect(gaps[3]).toBeGreaterThanOrEqual(400);
    // The cap itself is checked on restartDelay; here only that it holds.
    // (No comparison between gaps: on a busy machine the time bash takes
    // to start varies by more than the pauses differ.)
    expect(gaps[3]).toBeLessThan(5000);

    const warnings = logger.warn.mock.calls.map(c => String(c[0]));
    await waitFor(() =>
      logger.warn.mock.calls.some(c =>
        /exited with code 3 .*restarting in 400 ms.*\n.*broker unreachable/s.test(
          String(c[0]),
        ),
      ),
    );
    expect(warnings[0]).toMatch(
      /MirrorMaker process 1 on localhost of mirrormaker:default\/test exited with code 3 after 0 s; restarting in 100 ms/,
    );

    await s.stop(1000);
    const stoppedAt = starts().length;
    await sleep(900);
    expect(starts().length).toBe(stoppedAt);
    expect(s.status()).toMatchObject({
      state: 'stopped',
      restarts: expect.any(Number),
    });
    const onDisk = JSON.parse(
      fs.readFileSync(path.join(tmp, 'run', 'process-1.json'), 'utf8'),
    );
    expect(onDisk).toMatchObject({ desired: 'stopped', state: 'stopped' });
    expect(onDisk.pid).toBeUndefined();
  });

  it('starts the pause series again after a stable run', async () => {
    const s = supervisor(
      'echo $(( $(date +%s%N) / 1000000 )) >> "$1"; sleep 0.3; exit 1',
      {
        policy: { initialDelayMs: 700, maxDelayMs: 10_000, stableAfterMs: 200 },
      },
    );
    await s.start();
    await waitFor(() => starts().length >= 4, 20_000);
    const times = starts();
    const gaps = times.slice(1, 4).map((t, i) => t - times[i]);
    // Every run lasts longer than stableAfterMs: always the initial pause
    // (about 1,000 ms a gap; without the reset the third would be 3,100 ms).
    for (const gap of gaps) expect(gap).toBeLessThan(2400);
  });

  it('sends SIGTERM to the process group, then SIGKILL after the timeout', async () => {
    const s = supervisor(
      'trap "" TERM; echo $$ >> "$1"; sleep 30 & wait; sleep 30',
    );
    await s.start();
    const [pid] = await waitFor(() => (starts().length ? starts() : undefined));
    // Still bash, not yet the program a start script would exec.
    expect(s.status()).toMatchObject({ state: 'starting', pid });
    const began = Date.now();
    await s.stop(300);
    expect(Date.now() - began).toBeGreaterThanOrEqual(300);
    expect(isAlive(pid, undefined)).toBe(false);
    expect(() => process.kill(-pid, 0)).toThrow(
      expect.objectContaining({ code: 'ESRCH' }),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'did not stop within 300 ms of SIGTERM; sending SIGKILL',
      ),
    );
    // Again is fine.
    await s.stop(300);
    expect(s.status().state).toBe('stopped');
  });

  it('stops restarting when another backend instance took the process over', async () => {
    const stateFile = path.join(tmp, 'run', 'process-1.json');
    // The first run lasts long enough for the takeover to land while it
    // runs, however busy the machine.
    const s = supervisor('echo $$ >> "$1"; sleep 1.5; exit 1');
    await s.start();
    await waitFor(() => starts().length >= 1);
    const onDisk = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    fs.writeFileSync(stateFile, JSON.stringify({ ...onDisk, owner: 'other' }));
    await waitFor(() => s.status().state === 'stopped', 15_000);
    await sleep(500);
    expect(starts()).toHaveLength(1);
    expect(s.status()).toMatchObject({
      state: 'stopped',
      message: 'supervised by backend instance other',
    });
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).owner).toBe('other');
  });

  it('fails to start a program that does not exist', async () => {
    const s = supervisor('', { command: path.join(tmp, 'no-such-program') });
    await expect(s.start()).rejects.toThrow(
      /MirrorMaker process 1 on localhost of mirrormaker:default\/test could not be started: .*no-such-program: spawn .* ENOENT/,
    );
    expect(s.status()).toMatchObject({ state: 'failed' });
  });
});
