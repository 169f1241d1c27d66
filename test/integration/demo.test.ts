/**
 * `npm run demo` end to end: it brings up two Kafka clusters and Backstage,
 * the catalog lists the example entities, the Replication page renders in a
 * real browser, and Ctrl-C (SIGINT to the process group) leaves nothing
 * running.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';

/** Screenshots of each view, for a person to look at (git-ignored). */
const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.MIRROR_MAKER_CHROMIUM ?? '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The demo's sign-in page: pick a person; the guest then enters through the
 * guest provider's own page.
 */
async function signInAs(page: Page, title: string) {
  await page
    .getByRole('button', { name: `Sign in as ${title}` })
    .click({ timeout: 60_000 });
  if (title === 'Guest') {
    await page.getByRole('button', { name: 'Enter' }).click();
  }
}

function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function processesMatching(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', text], { encoding: 'utf8' })
      .split('\n')
      .filter(line => line.trim() && !line.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('npm run demo', () => {
  let demo: ChildProcess | undefined;
  let output = '';
  let port = 0;

  const waitForOutput = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const deadline = setTimeout(
        () =>
          reject(
            new Error(
              `demo did not print ${pattern} in time:\n${output.slice(-3000)}`,
            ),
          ),
        timeoutMs,
      );
      const check = () => {
        const match = output.match(pattern);
        if (match) {
          clearTimeout(deadline);
          resolve(match);
          return true;
        }
        return false;
      };
      if (check()) return;
      const onData = () => {
        if (check()) demo?.stdout?.off('data', onData);
      };
      demo?.stdout?.on('data', onData);
      demo?.once('exit', code => {
        clearTimeout(deadline);
        if (!check()) {
          reject(
            new Error(`demo exited with ${code}:\n${output.slice(-3000)}`),
          );
        }
      });
    });

  beforeAll(async () => {
    port = await freePort();
    demo = spawn(process.execPath, [path.join(ROOT, 'scripts', 'demo.js')], {
      cwd: ROOT,
      env: { ...process.env, MIRROR_MAKER_DEMO_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // like a terminal: Ctrl-C goes to the whole group
    });
    demo.stdout!.on('data', chunk => {
      output += chunk.toString();
    });
    demo.stderr!.on('data', chunk => {
      output += chunk.toString();
    });
    await waitForOutput(/\[demo\] open http:\/\/localhost:\d+/, 300_000);
  }, 320_000);

  afterAll(async () => {
    if (demo?.pid && demo.exitCode === null) {
      try {
        process.kill(-demo.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('answers the health check', async () => {
    const response = await fetch(
      `http://127.0.0.1:${port}/api/mirror-maker/health`,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      database: { ok: true },
    });
  });

  it('lists the example entities in the catalog', async () => {
    const auth = await fetch(
      `http://127.0.0.1:${port}/api/auth/guest/refresh?env=development`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    expect(auth.status).toBe(200);
    const token = (await auth.json()).backstageIdentity.token;
    // The catalog reads its locations after start-up; give it a moment.
    const expected = [
      'Resource:kafka-dc1',
      'Resource:kafka-dc2',
      'MirrorMaker:dc1-to-dc2',
      'MirrorMaker:dc2-to-dc1',
      'Component:orders-service',
      'Component:payments-service',
      'Group:kafka-platform',
      'Group:team-dc1',
      'Group:team-dc2',
    ];
    let names: string[] = [];
    for (let i = 0; i < 60; i++) {
      const response = await fetch(
        `http://127.0.0.1:${port}/api/catalog/entities?fields=kind,metadata.name`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      expect(response.status).toBe(200);
      const entities: { kind: string; metadata: { name: string } }[] =
        await response.json();
      names = entities.map(e => `${e.kind}:${e.metadata.name}`);
      if (expected.every(n => names.includes(n))) break;
      await new Promise(r => setTimeout(r, 1000));
    }
    expect(names).toEqual(expect.arrayContaining(expected));
  });

  it('shows live metrics: the traffic generator and both deployments at work', async () => {
    const auth = await fetch(
      `http://127.0.0.1:${port}/api/auth/guest/refresh?env=development`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    const token = (await auth.json()).backstageIdentity.token;
    let last: any;
    for (let i = 0; i < 90 && !live(last); i++) {
      if (i > 0) await new Promise(r => setTimeout(r, 2000));
      const response = await fetch(
        `http://127.0.0.1:${port}/api/mirror-maker/entities/mirrormaker/default/dc1-to-dc2/metrics?window=5m`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      expect(response.status).toBe(200);
      last = await response.json();
    }
    function live(m: any): boolean {
      return (
        m?.throughput?.some((p: any) => p.inPerSec > 0 && p.outPerSec > 0) &&
        m.heartbeat?.lastLatencyMs !== undefined &&
        m.processes?.items?.every((p: any) => p.up)
      );
    }
    // eslint-disable-next-line no-console
    console.log(
      `[demo] dc1-to-dc2: status ${last?.status?.state}, lag ${last?.lag?.totalLag}, heartbeat ${last?.heartbeat?.lastLatencyMs} ms, ${last?.processes?.items?.length} processes`,
    );
    expect(live(last)).toBe(true);
    expect(last.lag.reachable).toBe(true);
  }, 240_000);

  it('renders the Replication page in a real browser', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`http://localhost:${port}/mirror-maker`);
      await signInAs(page, 'Guest');
      await page
        .getByText('Kafka replication')
        .first()
        .waitFor({ timeout: 60_000 });
      await page.getByText('Database reachable').waitFor({ timeout: 30_000 });
      const shot = path.join(os.tmpdir(), 'mirror-maker-demo-page.png');
      await page.screenshot({ path: shot });
      expect(fs.statSync(shot).size).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('shows a MirrorMaker, its live metrics, a deploy to done, a service card and a 20-DC topology in a real browser', async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const browser = await launchBrowser();
    const shoot = async (page: any, name: string) => {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(fs.statSync(file).size).toBeGreaterThan(0);
    };
    try {
      const page = await browser.newPage({
        viewport: { width: 1400, height: 1000 },
      });
      const base = `http://localhost:${port}`;
      await page.goto(`${base}/catalog/default/mirrormaker/dc1-to-dc2`);
      await signInAs(page, 'Guest');
      const tab = (name: string) => page.getByRole('tab', { name });

      await tab('Overview').waitFor({ timeout: 60_000 });
      await page.getByText('Placement').first().waitFor({ timeout: 30_000 });
      await shoot(page, '1-overview');

      await tab('Topology').click();
      await page
        .locator('svg [data-cluster]')
        .first()
        .waitFor({ timeout: 30_000 });
      expect(await page.locator('svg [data-cluster]').count()).toBe(2);
      await shoot(page, '2-topology');

      await tab('Suffix map').click();
      await page.getByText('dc1').first().waitFor({ timeout: 30_000 });
      await shoot(page, '3-suffix-map');

      // The demo's traffic generator writes 20 records/s per topic: the
      // figures refresh every 10 s until "In" shows a rate above zero.
      await tab('Metrics').click();
      await page.getByText('Total lag').first().waitFor({ timeout: 30_000 });
      await page.waitForFunction(
        () => {
          const figure = document.querySelector('[data-figure="In"]');
          const value = figure?.children[1]?.textContent ?? '';
          return Number(value.replace(/[^0-9.]/g, '')) > 0;
        },
        undefined,
        { timeout: 90_000, polling: 1000 },
      );
      await shoot(page, '4-metrics');

      await tab('Files').click();
      await page
        .getByRole('button', { name: /tar\.gz/ })
        .first()
        .waitFor({ timeout: 30_000 });
      await shoot(page, '5-files');

      await tab('Deployments').click();
      const deploy = page.getByRole('button', { name: 'Deploy', exact: true });
      await deploy.first().waitFor({ timeout: 30_000 });
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('button')].some(
            b => b.textContent?.trim() === 'Deploy' && !b.disabled,
          ),
        undefined,
        { timeout: 240_000, polling: 1000 },
      );
      await deploy.first().click();
      await page.getByLabel('Reason').fill('redeploy from the browser test');
      await page
        .getByRole('dialog')
        .getByRole('button', { name: 'Deploy' })
        .click();
      const progress = page.getByTestId('rollout-progress');
      await progress.waitFor({ timeout: 30_000 });
      await shoot(page, '6-deploying');
      await progress
        .getByText('succeeded', { exact: true })
        .waitFor({ timeout: 240_000 });
      await shoot(page, '7-deployed');

      await page.goto(`${base}/catalog/default/component/orders-service`);
      await page
        .getByText('Topic replication')
        .first()
        .waitFor({ timeout: 60_000 });
      await page.getByText('orders.dc1').first().waitFor({ timeout: 30_000 });
      await shoot(page, '8-service');

      await page.goto(`${base}/catalog/default/resource/kafka-dc1`);
      await page
        .getByText(/Flows out/)
        .first()
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole('link', { name: 'dc1-to-dc2' })
        .first()
        .waitFor({ timeout: 30_000 });
      await shoot(page, '9-cluster');

      // Layout and drawing of a generated 20-DC, 200-flow catalog, measured
      // in the page (printed, not asserted).
      const started = Date.now();
      await page.goto(`${base}/mirror-maker?preview=20x200`);
      const drawn = page.getByTestId('topology-preview-time');
      await drawn.getByText(/drawn in/).waitFor({ timeout: 60_000 });
      // eslint-disable-next-line no-console
      console.log(
        `[demo] topology 20 DCs x 200 flows: ${await drawn.textContent()} in the page; ${
          Date.now() - started
        } ms from navigation`,
      );
      expect(await page.locator('svg [data-cluster]').count()).toBe(26);
      await shoot(page, '10-topology-20x200');
    } finally {
      await browser.close();
    }
  }, 600_000);

  it('stops everything it started on Ctrl-C', async () => {
    const kafkaDir = output.match(/\[demo\] Kafka data in (\S+)/)?.[1];
    expect(kafkaDir).toBeDefined();
    expect(processesMatching(kafkaDir!).length).toBeGreaterThan(0);

    const exited = new Promise<number | null>(resolve =>
      demo!.once('exit', code => resolve(code)),
    );
    process.kill(-demo!.pid!, 'SIGINT');
    expect(await exited).toBe(0);

    expect(output).toContain('[demo] stopped');
    expect(processesMatching(kafkaDir!)).toEqual([]);
    expect(await portOpen(port)).toBe(false);
    expect(fs.existsSync(kafkaDir!)).toBe(false);
  }, 60_000);
});
