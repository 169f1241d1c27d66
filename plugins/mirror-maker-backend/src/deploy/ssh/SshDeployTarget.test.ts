/*
 * The ssh target against a real OpenSSH server on loopback: host key
 * checks, atomic uploads, and the direct-mode process lifecycle with
 * hostile install paths. systemd and sudo are exercised through shims on
 * the session's PATH that record their arguments, since the test machine
 * runs neither. Skipped where sshd is missing or we are not root.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mockServices } from '@backstage/backend-test-utils';
import { DeployRequest } from '@mirrormaker/plugin-mirror-maker-node';
import { parseKnownHosts } from './knownHosts';
import { SshDeployTarget } from './SshDeployTarget';
import { SSH_DEFAULTS, SshTargetSettings } from './config';
import { sshdAvailable, startTestSshd, TestSshd } from './__testUtils__/sshd';
import { NODE, testRequest, withScript } from './__testUtils__/requests';

const describeWithSshd = sshdAvailable() ? describe : describe.skip;

const FAKE_PROCESS = [
  '#!/usr/bin/env bash',
  'echo "fake mirror maker started"',
  'while :; do sleep 0.2; done',
  '',
].join('\n');

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map(f => path.join(dir, f));
}

function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describeWithSshd('SshDeployTarget with a real sshd', () => {
  let sshd: TestSshd;
  let shims: string;
  let root: string;
  const targets: SshDeployTarget[] = [];

  function target(settings: Partial<SshTargetSettings> = {}): SshDeployTarget {
    const t = new SshDeployTarget({
      settings: {
        ...SSH_DEFAULTS,
        serviceManager: 'direct',
        privateKey: sshd.clientKey,
        knownHosts: parseKnownHosts(sshd.knownHostsLine()).entries,
        hosts: { [NODE]: { address: '127.0.0.1', port: sshd.port } },
        commandTimeoutMs: 20_000,
        ...settings,
      },
      logger: mockServices.logger.mock(),
    });
    targets.push(t);
    return t;
  }

  beforeAll(async () => {
    shims = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-ssh-shims-'));
    sshd = await startTestSshd({
      setEnv: { PATH: `${shims}/bin:/usr/sbin:/usr/bin:/sbin:/bin` },
    });
  }, 30_000);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-ssh-root-'));
  });

  afterEach(async () => {
    await Promise.all(targets.splice(0).map(t => t.close()));
    fs.rmSync(root, { recursive: true, force: true });
  });

  afterAll(async () => {
    await sshd?.stop();
    fs.rmSync(shims, { recursive: true, force: true });
  });

  describe('host keys', () => {
    it('connects when knownHosts lists the mapped address', async () => {
      await expect(target().probe(NODE)).resolves.toEqual({
        fingerprint: sshd.hostFingerprint,
      });
    });

    it('connects when knownHosts lists the node name', async () => {
      const t = target({
        knownHosts: parseKnownHosts(sshd.knownHostsLine(NODE)).entries,
      });
      await expect(t.probe(NODE)).resolves.toEqual({
        fingerprint: sshd.hostFingerprint,
      });
    });

    it('refuses another key, naming the host and the key it saw', async () => {
      const t = target({
        knownHosts: parseKnownHosts(
          sshd.knownHostsLine('127.0.0.1', sshd.otherPublicKey),
        ).entries,
      });
      const error = await t.probe(NODE).then(
        () => undefined,
        e => e as Error,
      );
      expect(error?.message).toContain(`${NODE} (127.0.0.1:${sshd.port})`);
      expect(error?.message).toContain('does not match');
      expect(error?.message).toContain(sshd.hostFingerprint);
    });

    it('refuses a host knownHosts does not list, with the line to add', async () => {
      const t = target({
        knownHosts: parseKnownHosts(`other.example.com ${sshd.hostPublicKey}`)
          .entries,
      });
      await expect(t.probe(NODE)).rejects.toThrow(
        new RegExp(
          `not listed.*presented ssh-ed25519 ${sshd.hostFingerprint.replace(
            /[+/]/g,
            c => `\\${c}`,
          )}.*\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 AAAA`,
        ),
      );
    });

    it('says when the key is refused', async () => {
      const other = path.join(root, 'other');
      execFileSync('ssh-keygen', [
        '-q',
        '-t',
        'ed25519',
        '-N',
        '',
        '-f',
        other,
      ]);
      const t = target({ privateKey: fs.readFileSync(other, 'utf8') });
      await expect(t.probe(NODE)).rejects.toThrow(
        /refused the private key for user root/,
      );
    });
  });

  it('opens one connection per host, reuses it, and closes it', async () => {
    const accepted = () =>
      sshd
        .logTail(10_000)
        .split('\n')
        .filter(l => l.startsWith('Accepted publickey')).length;
    const before = accepted();
    const t = target();
    await Promise.all([t.probe(NODE), t.probe(NODE), t.probe(NODE)]);
    await t.probe(NODE);
    expect(accepted()).toBe(before + 1);
    await t.close();
    await t.probe(NODE);
    expect(accepted()).toBe(before + 2);
  });

  describe('writeFiles (direct mode)', () => {
    it('uploads the process and node files with their modes, atomically', async () => {
      const t = target();
      const request = testRequest(root);
      await t.writeFiles(request, { host: NODE, index: 1 });

      const [node] = request.bundle.nodes;
      const expected = node.files.filter(
        f =>
          !f.path.startsWith('/etc/') &&
          !/-2\.(properties|yml|sh)$/.test(f.path),
      );
      expect(expected.map(f => path.basename(f.path)).sort()).toEqual([
        'jmx-exporter-1.yml',
        'kafka-mirror-log4j-1.properties',
        'kafka-mirror-maker-1.sh',
        'kafka-mirror-maker-consumer.properties',
        'kafka-mirror-maker-producer-1.properties',
        'prometheus-scrape.yml',
      ]);
      for (const file of expected) {
        expect(fs.readFileSync(file.path, 'utf8')).toBe(file.content);
        expect(fs.statSync(file.path).mode & 0o777).toBe(file.mode);
      }
      expect(
        fs.statSync(`${root}/bin/kafka-mirror-maker-1.sh`).mode & 0o777,
      ).toBe(0o755);
      expect(fs.existsSync(`${root}/config/jmx-exporter-2.yml`)).toBe(false);
      expect(listFiles(root).filter(f => f.includes('.tmp-'))).toEqual([]);

      // A second revision replaces the files in place.
      const next = testRequest(root, { jvm: { heap: '512M' } }, 2);
      await t.writeFiles(next, { host: NODE, index: 1 });
      expect(
        fs.readFileSync(`${root}/bin/kafka-mirror-maker-1.sh`, 'utf8'),
      ).toContain('-Xmx512M');
      expect(listFiles(root).filter(f => f.includes('.tmp-'))).toEqual([]);
    }, 30_000);
  });

  describe('direct mode lifecycle', () => {
    it('starts, reports, logs and stops a process whose paths are hostile', async () => {
      const marker = path.join(root, 'pwned');
      const hostile = `dir $(touch ${marker}) \`touch ${marker}\` ;'"|&<>*?`;
      const base = `${root}/${hostile}`;
      const request = withScript(
        testRequest(root, {
          install: {
            kafkaHome: `${base}/kafka`,
            configDir: `${base}/config`,
            binDir: `${base}/bin`,
            logDir: `${base}/logs`,
            jmxExporterJar: `${base}/agent.jar`,
          },
        }),
        FAKE_PROCESS,
      );
      const t = target();
      const process1 = { host: NODE, index: 1 };
      const plan = await t.plan(request);
      expect(plan.map(p => [p.host, p.index, p.metricsUrl])).toEqual([
        [NODE, 1, 'http://127.0.0.1:9991/metrics'],
        [NODE, 2, 'http://127.0.0.1:9992/metrics'],
      ]);
      await t.stopProcess(request.deploymentRef, process1, { timeoutMs: 5000 });
      await t.writeFiles(request, process1);
      await t.startProcess(request, process1);

      const running = await t.status(request.deploymentRef);
      expect(running.map(s => [s.index, s.state])).toEqual([
        [1, 'running'],
        [2, 'stopped'],
      ]);
      expect(running[0].revisionId).toBe('revision-1');
      const pid = running[0].pid!;
      expect(isAlive(pid)).toBe(true);
      expect(fs.readFileSync(`${base}/logs/process-1.pid`, 'utf8').trim()).toBe(
        String(pid),
      );
      await expect(
        t.logs(request.deploymentRef, process1, { lines: 10 }),
      ).resolves.toEqual(['fake mirror maker started']);

      // Starting again replaces the process.
      await t.startProcess(request, process1);
      const [again] = await t.status(request.deploymentRef);
      expect(again.state).toBe('running');
      expect(again.pid).not.toBe(pid);
      expect(isAlive(pid)).toBe(false);

      await t.stopProcess(request.deploymentRef, process1, { timeoutMs: 5000 });
      const [stopped] = await t.status(request.deploymentRef);
      expect(stopped.state).toBe('stopped');
      expect(isAlive(again.pid!)).toBe(false);
      expect(fs.existsSync(`${base}/logs/process-1.pid`)).toBe(false);

      await t.stopDeployment(request.deploymentRef, { timeoutMs: 5000 });
      await expect(t.status(request.deploymentRef)).resolves.toEqual([]);
      expect(fs.existsSync(marker)).toBe(false);
    }, 60_000);

    it('kills a process that ignores SIGTERM once the timeout passes', async () => {
      const request = withScript(
        testRequest(root),
        "#!/usr/bin/env bash\ntrap '' TERM\nwhile :; do sleep 0.2; done\n",
      );
      const t = target();
      const process1 = { host: NODE, index: 1 };
      await t.plan(request);
      await t.writeFiles(request, process1);
      await t.startProcess(request, process1);
      const [running] = await t.status(request.deploymentRef);
      const started = Date.now();
      await t.stopProcess(request.deploymentRef, process1, { timeoutMs: 1000 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(isAlive(running.pid!)).toBe(false);
    }, 30_000);

    it('reports a process that died by itself as failed, with its last lines', async () => {
      const request = withScript(
        testRequest(root),
        '#!/usr/bin/env bash\necho "Exception in thread main: boom" >&2\nexit 3\n',
      );
      const t = target();
      const process1 = { host: NODE, index: 1 };
      await t.plan(request);
      await t.writeFiles(request, process1);
      await t.startProcess(request, process1);
      let status = (await t.status(request.deploymentRef))[0];
      for (let i = 0; i < 20 && status.state === 'running'; i++) {
        await new Promise(r => setTimeout(r, 100));
        status = (await t.status(request.deploymentRef))[0];
      }
      expect(status.state).toBe('failed');
      expect(status.message).toContain('boom');
    }, 30_000);

    it('does not kill a process that took over a stale pid', async () => {
      const request = withScript(testRequest(root), FAKE_PROCESS);
      const t = target();
      const process1 = { host: NODE, index: 1 };
      await t.plan(request);
      fs.mkdirSync(`${root}/logs`, { recursive: true });
      // Our own pid: alive, but not a process of this deployment.
      fs.writeFileSync(`${root}/logs/process-1.pid`, `${process.pid}\n`);
      const [status] = await t.status(request.deploymentRef);
      expect(status.state).toBe('failed');
      await t.stopProcess(request.deploymentRef, process1, { timeoutMs: 500 });
      expect(isAlive(process.pid)).toBe(true);
    }, 30_000);
  });

  describe('rejects hostile requests before running anything', () => {
    function hostileRequest(
      change: (request: DeployRequest) => DeployRequest,
    ): DeployRequest {
      return change(withScript(testRequest(root), FAKE_PROCESS));
    }

    it.each([
      [
        'a deployment name',
        (r: DeployRequest, m: string) => ({
          ...r,
          bundle: { ...r.bundle, name: `x$(touch ${m})` },
        }),
        /deployment name/,
      ],
      [
        'a path with a newline',
        (r: DeployRequest, m: string) => ({
          ...r,
          bundle: {
            ...r.bundle,
            nodes: r.bundle.nodes.map(n => ({
              ...n,
              files: n.files.map(f =>
                f.path.endsWith('consumer.properties')
                  ? { ...f, path: `${root}/x\ntouch ${m}` }
                  : f,
              ),
            })),
          },
        }),
        /not an absolute, normalised path/,
      ],
      [
        'a relative path',
        (r: DeployRequest) => ({
          ...r,
          bundle: {
            ...r.bundle,
            nodes: r.bundle.nodes.map(n => ({
              ...n,
              files: n.files.map(f =>
                f.path.endsWith('consumer.properties')
                  ? { ...f, path: `${root}/../../etc/passwd` }
                  : f,
              ),
            })),
          },
        }),
        /not an absolute, normalised path/,
      ],
      [
        'a setuid mode',
        (r: DeployRequest) => ({
          ...r,
          bundle: {
            ...r.bundle,
            nodes: r.bundle.nodes.map(n => ({
              ...n,
              files: n.files.map(f => ({ ...f, mode: 0o4755 })),
            })),
          },
        }),
        /expected permission bits/,
      ],
    ])('%s', async (_what, change, error) => {
      const marker = path.join(root, 'pwned');
      const request = hostileRequest(r => change(r, marker));
      const t = target();
      await expect(
        t.writeFiles(request, { host: NODE, index: 1 }),
      ).rejects.toThrow(error);
      await expect(
        t.startProcess(request, { host: NODE, index: 1 }),
      ).rejects.toThrow(error);
      expect(fs.existsSync(marker)).toBe(false);
      expect(listFiles(root)).toEqual([]);
    });

    it('a host that is not a node of the bundle', async () => {
      const t = target();
      const request = testRequest(root);
      await expect(
        t.writeFiles(request, { host: '$(touch /tmp/x)', index: 1 }),
      ).rejects.toThrow(/is not a node of deployment dc1-to-dc2/);
      await expect(
        t.writeFiles(request, { host: NODE, index: 3 }),
      ).rejects.toThrow(/process number must be an integer from 1 to 2/);
    });
  });

  describe('systemd mode (shims)', () => {
    let calls: string;

    beforeEach(() => {
      calls = path.join(shims, 'calls.log');
      fs.rmSync(calls, { force: true });
      fs.mkdirSync(path.join(shims, 'bin'), { recursive: true });
      const shim = (name: string, body: string) =>
        fs.writeFileSync(
          path.join(shims, 'bin', name),
          `#!/bin/sh\n${body}\n`,
          { mode: 0o755 },
        );
      shim(
        'sudo',
        `echo "sudo $*" >> ${calls}\n[ "$1" = -n ] || exit 1\nshift\nexec "$@"`,
      );
      shim('chown', `echo "chown $*" >> ${calls}\nexec /bin/chown "$@"`);
      shim(
        'systemctl',
        [
          `echo "systemctl $*" >> ${calls}`,
          'case "$*" in',
          '  *"LoadState --value"*) echo loaded ;;',
          '  *"ActiveState --value"*) echo inactive ;;',
          '  *"-p Id,"*) for u in "$@"; do case "$u" in *.service) printf "Id=%s\\nLoadState=loaded\\nActiveState=active\\nSubState=running\\nMainPID=4242\\nNRestarts=0\\nResult=success\\nStateChangeTimestamp=Thu 2024-05-02 10:11:12 UTC\\n\\n" "$u" ;; esac; done ;;',
          'esac',
        ].join('\n'),
      );
      shim(
        'journalctl',
        `echo "journalctl $*" >> ${calls}\necho "line one"\necho "line two"`,
      );
    });

    afterEach(() => {
      fs.rmSync(path.join(shims, 'bin'), { recursive: true, force: true });
    });

    /** A request whose unit goes to the temp folder, not to /etc/systemd/system. */
    function systemdRequest(): DeployRequest {
      const base = testRequest(root, {
        install: {
          kafkaHome: `${root}/kafka`,
          configDir: `${root}/config`,
          binDir: `${root}/bin`,
          logDir: `${root}/logs`,
          jmxExporterJar: `${root}/agent.jar`,
          user: 'root',
          group: 'root',
        },
      });
      return {
        ...base,
        bundle: {
          ...base.bundle,
          nodes: base.bundle.nodes.map(n => ({
            ...n,
            files: n.files.map(f =>
              f.path.endsWith('.service')
                ? { ...f, path: `${root}/units/${path.basename(f.path)}` }
                : f,
            ),
          })),
        },
      };
    }

    const unit = 'kafka-mirror-maker-dc1-to-dc2-1.service';

    it('installs through sudo, reloads, enables, restarts, stops and disables', async () => {
      const request = systemdRequest();
      const t = target({ serviceManager: 'systemd', sudo: true });
      const process1 = { host: NODE, index: 1 };
      await t.plan(request);
      await t.stopProcess(request.deploymentRef, process1, { timeoutMs: 1000 });
      await t.writeFiles(request, process1);
      await t.startProcess(request, process1);
      const [status] = await t.status(request.deploymentRef);
      expect(status).toMatchObject({
        host: NODE,
        index: 1,
        state: 'running',
        pid: 4242,
        restarts: 0,
        since: '2024-05-02T10:11:12.000Z',
        revisionId: 'revision-1',
      });
      await expect(
        t.logs(request.deploymentRef, process1, { lines: 2 }),
      ).resolves.toEqual(['line one', 'line two']);
      await t.stopDeployment(request.deploymentRef, { timeoutMs: 1000 });

      const log = fs.readFileSync(calls, 'utf8').split('\n');
      const sudo = log.filter(l => l.startsWith('sudo '));
      const installs = sudo.filter(l => l.startsWith('sudo -n install '));
      // Seven files: the unit keeps root, the others go to the unit's user.
      expect(installs).toHaveLength(7);
      expect(
        installs.filter(l => l.includes(' -o root -g root -- ')),
      ).toHaveLength(6);
      expect(installs).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^sudo -n install -m 0644 -- \\S+ ${root}/units/${unit}\\.tmp-`,
          ),
        ),
      );
      expect(sudo.some(l => l.startsWith('sudo -n mv -f -T -- '))).toBe(true);
      expect(sudo).toEqual(
        expect.arrayContaining([
          'sudo -n systemctl daemon-reload',
          `sudo -n systemctl enable --quiet -- ${unit}`,
          `sudo -n systemctl restart -- ${unit}`,
          `sudo -n systemctl stop --no-block -- ${unit}`,
          `sudo -n journalctl -u ${unit} -n 2 --no-pager`,
          `sudo -n systemctl disable --quiet -- ${unit}`,
        ]),
      );
      // Reading state needs no sudo.
      expect(log).toContain(
        `systemctl show -p Id,LoadState,ActiveState,SubState,MainPID,NRestarts,Result,StateChangeTimestamp -- ${unit} ${unit.replace(
          '-1.',
          '-2.',
        )}`,
      );
      expect(log.indexOf('sudo -n systemctl daemon-reload')).toBeLessThan(
        log.indexOf(`sudo -n systemctl restart -- ${unit}`),
      );

      const unitFile = `${root}/units/${unit}`;
      expect(fs.statSync(unitFile).mode & 0o777).toBe(0o644);
      const producer = `${root}/config/kafka-mirror-maker-producer-1.properties`;
      expect(fs.readFileSync(producer, 'utf8')).toContain('client.id');
      expect(fs.existsSync(`${root}/logs`)).toBe(true);
      expect(listFiles(root).filter(f => f.includes('.tmp-'))).toEqual([]);
    }, 60_000);

    it('without sudo, gives the files to the unit user before renaming them', async () => {
      const request = systemdRequest();
      const t = target({ serviceManager: 'systemd' });
      const process1 = { host: NODE, index: 1 };
      await t.writeFiles(request, process1);
      await t.startProcess(request, process1);
      const log = fs.readFileSync(calls, 'utf8').split('\n');
      expect(log.filter(l => l.startsWith('sudo '))).toEqual([]);
      const chowns = log.filter(l => l.startsWith('chown '));
      expect(chowns[0]).toMatch(
        new RegExp(`^chown -- root:root( ${root}/\\S+\\.tmp-[0-9a-f]{12}){6}$`),
      );
      expect(chowns[1]).toBe(`chown -- root:root ${root}/logs`);
      expect(log).toEqual(
        expect.arrayContaining([
          'systemctl daemon-reload',
          `systemctl enable --quiet -- ${unit}`,
          `systemctl restart -- ${unit}`,
        ]),
      );
      expect(fs.existsSync(`${root}/units/${unit}`)).toBe(true);
    }, 60_000);
  });
});
