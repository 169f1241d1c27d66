import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HOSTILE_VALUES } from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import {
  chownFiles,
  daemonReload,
  directLogs,
  directStart,
  directStatus,
  directStop,
  exporterScrape,
  httpBody,
  ensureLogDir,
  removeStagingDir,
  sudoInstall,
  systemdDisable,
  systemdLogs,
  systemdStart,
  systemdStatus,
  systemdStop,
} from './commands';
import { layoutOf, ProcessLayout } from './layout';
import { NODE, testRequest } from './__testUtils__/requests';

const UNIT = 'kafka-mirror-maker-dc1-to-dc2-1.service';

/** Runs a command the way the node's login shell would. */
function sh(command: string): string {
  return execFileSync('sh', ['-c', command], { encoding: 'utf8' });
}

describe('systemd commands', () => {
  it('prefixes only what changes the system with sudo -n', () => {
    expect(daemonReload(false)).toBe('systemctl daemon-reload');
    expect(daemonReload(true)).toBe('sudo -n systemctl daemon-reload');
    expect(systemdStart(UNIT, true)).toBe(
      `sudo -n systemctl enable --quiet -- ${UNIT} && sudo -n systemctl restart -- ${UNIT}`,
    );
    expect(systemdLogs(UNIT, 100, true)).toBe(
      `sudo -n journalctl -u ${UNIT} -n 100 --no-pager`,
    );
    expect(systemdStatus([UNIT, UNIT.replace('-1.', '-2.')])).toBe(
      `TZ=UTC systemctl show -p Id,LoadState,ActiveState,SubState,MainPID,NRestarts,Result,StateChangeTimestamp -- ${UNIT} kafka-mirror-maker-dc1-to-dc2-2.service`,
    );
    const stop = systemdStop(UNIT, 30_000, true);
    expect(stop).toContain(`u=${UNIT}\n`);
    expect(stop).toContain('sudo -n systemctl stop --no-block -- "$u"');
    expect(stop).toContain('sudo -n systemctl kill --signal=SIGKILL -- "$u"');
    // 30 s in 0.2 s polls.
    expect(stop).toContain('[ "$n" -lt 150 ]');
    expect(stop).not.toMatch(/sudo -n systemctl show/);
    expect(systemdDisable(UNIT, false)).toContain(
      `systemctl disable --quiet -- ${UNIT}`,
    );
  });

  it.each([
    'x.service; touch /tmp/pwned',
    '$(id).service',
    '-h.service',
    'a\nb.service',
    'kafka-mirror-maker-x-1',
    '../x.service',
  ])('rejects the unit name %j', unit => {
    for (const build of [
      () => systemdStart(unit, false),
      () => systemdStop(unit, 1000, false),
      () => systemdStatus([unit]),
      () => systemdLogs(unit, 10, false),
      () => systemdDisable(unit, false),
    ]) {
      expect(build).toThrow(/is not a plain service name/);
    }
  });

  it('rejects a line count that is not a positive integer', () => {
    expect(() => systemdLogs(UNIT, 0, false)).toThrow(
      /lines must be an integer/,
    );
    expect(() => systemdLogs(UNIT, 1.5, false)).toThrow(
      /lines must be an integer/,
    );
  });

  it('parses as POSIX sh', () => {
    for (const command of [
      systemdStop(UNIT, 5000, true),
      systemdDisable(UNIT, true),
      systemdStart(UNIT, false),
    ]) {
      expect(() =>
        execFileSync('sh', ['-n', '-c', command], { stdio: 'pipe' }),
      ).not.toThrow();
    }
  });
});

describe('direct commands with hostile paths', () => {
  let root: string;
  let marker: string;
  let layout: ProcessLayout;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-ssh-commands-'));
    marker = path.join(root, 'pwned');
    const hostile = `x $(touch ${marker}) \`touch ${marker}\`;touch ${marker}'"$HOME|&<>*?!`;
    layout = layoutOf(
      testRequest(root, {
        install: {
          configDir: `${root}/${hostile}/config`,
          binDir: `${root}/${hostile}/bin`,
          logDir: `${root}/${hostile}/logs`,
        },
      }),
      { host: NODE, index: 1 },
    );
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps every path one literal word', () => {
    // Nothing started: the status and log commands report so.
    expect(sh(directStatus([layout]))).toBe('1 stopped\n');
    expect(sh(directLogs(layout, 10))).toBe('');
    expect(sh(directStop(layout, 1000))).toBe('none\n');

    // The script does not exist, so bash exits at once and says why.
    expect(sh(directStart(layout))).toMatch(/^started \d+\n$/);
    expect(fs.existsSync(layout.pidFile)).toBe(true);
    // The background bash writes its complaint a moment later.
    const until = Date.now() + 10_000;
    while (
      !fs.readFileSync(layout.outFile, 'utf8').includes('No such file') &&
      Date.now() < until
    ) {
      execFileSync('sleep', ['0.05']);
    }
    expect(fs.readFileSync(layout.outFile, 'utf8')).toContain(
      `${layout.script}: No such file or directory`,
    );
    expect(sh(directStatus([layout]))).toMatch(
      new RegExp(`^1 exited \\d+ \\d+\\n1 log .*No such file or directory\\n$`),
    );
    expect(sh(directLogs(layout, 1))).toContain('No such file or directory');
    expect(sh(directStop(layout, 1000))).toBe('gone\n');
    expect(fs.existsSync(layout.pidFile)).toBe(false);

    expect(fs.existsSync(marker)).toBe(false);
  });

  it.each(
    // eslint-disable-next-line no-control-regex
    HOSTILE_VALUES.filter(v => !/[\u0000-\u001f\u0085\u2028\u2029]/.test(v)),
  )('quotes the value %j as one argument', value => {
    const dir = `${root}/${value.replace(/\//g, '_') || 'empty'}`;
    const quoted = chownFiles([`${dir}/a`], 'kafka', 'kafka', false);
    // Same quoting, read back by the shell.
    const echoed = sh(quoted.replace(/^chown -- kafka:kafka /, 'printf %s '));
    expect(echoed).toBe(`${dir}/a`);
  });

  it('rejects paths a shell or SFTP would read differently', () => {
    const current = layout;
    for (const bad of [
      'relative/path',
      '/a/../b',
      '/a//b',
      '/a/b/',
      '/a\nb',
      '/a\u0000b',
      '/a\ud800b',
      '/',
    ]) {
      expect(() => removeStagingDir(bad)).toThrow(
        /not an absolute, normalised path/,
      );
      expect(() => directLogs({ ...current, outFile: bad }, 10)).toThrow(
        /not an absolute, normalised path/,
      );
    }
  });
});

describe('file commands', () => {
  it('installs staged files through sudo: copy beside, rename over', () => {
    expect(
      sudoInstall([
        {
          staged: '/tmp/tmp.abc/0',
          temporary: "/etc/mm/it's.tmp-1",
          destination: "/etc/mm/it's",
          mode: 0o600,
          owner: { user: 'kafka', group: 'kafka' },
        },
        {
          staged: '/tmp/tmp.abc/1',
          temporary: '/etc/systemd/system/x.service.tmp-2',
          destination: '/etc/systemd/system/x.service',
          mode: 0o644,
        },
      ]),
    ).toBe(
      [
        `sudo -n mkdir -p -- /etc/mm && sudo -n install -m 0600 -o kafka -g kafka -- /tmp/tmp.abc/0 '/etc/mm/it'\\''s.tmp-1' && sudo -n mv -f -T -- '/etc/mm/it'\\''s.tmp-1' '/etc/mm/it'\\''s' || { sudo -n rm -f -- '/etc/mm/it'\\''s.tmp-1'; exit 1; }`,
        'sudo -n mkdir -p -- /etc/systemd/system && sudo -n install -m 0644 -- /tmp/tmp.abc/1 /etc/systemd/system/x.service.tmp-2 && sudo -n mv -f -T -- /etc/systemd/system/x.service.tmp-2 /etc/systemd/system/x.service || { sudo -n rm -f -- /etc/systemd/system/x.service.tmp-2; exit 1; }',
      ].join('\n'),
    );
  });

  it('gives the log directory to the unit user', () => {
    expect(ensureLogDir('/var/log/mm x', 'kafka', 'kafka', true)).toBe(
      "sudo -n mkdir -p -- '/var/log/mm x' && sudo -n chown -- kafka:kafka '/var/log/mm x'",
    );
  });

  it('rejects owners and modes that are not plain', () => {
    expect(() => chownFiles(['/a'], 'kafka;id', 'kafka', false)).toThrow(
      /spec\.install\.user "kafka;id" is not a valid user or group name/,
    );
    expect(() =>
      sudoInstall([
        { staged: '/s', temporary: '/d.tmp', destination: '/d', mode: 0o4755 },
      ]),
    ).toThrow(/expected permission bits from 0 to 0o777/);
  });
});

describe('exporterScrape', () => {
  it('takes only a port number and quotes the whole script for bash', () => {
    expect(exporterScrape(9991)).toBe(
      `bash -c 'exec 3<>/dev/tcp/127.0.0.1/9991 && printf '\\''GET /metrics HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n'\\'' >&3 && cat <&3'`,
    );
    for (const bad of [0, 65536, 1.5, NaN, -1]) {
      expect(() => exporterScrape(bad)).toThrow(/not a port number/);
    }
  });

  it('keeps the body of a 200 answer only', () => {
    expect(httpBody('HTTP/1.1 200 OK\r\nA: b\r\n\r\nmetric 1\n')).toBe(
      'metric 1\n',
    );
    expect(httpBody('HTTP/1.1 404 Not Found\r\n\r\nnope')).toBeUndefined();
    expect(httpBody('garbage')).toBeUndefined();
  });
});
