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
import {
  consumeRecords,
  createKafkaClient,
  produceRecords,
  registerLz4Codec,
  sleep,
  withAdmin,
} from '../testbed';

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

/**
 * Waits until `topic` exists on the cluster (the rollout creates it), then
 * reads it from the start; resolves with the time the first record keyed
 * `marker` arrived.
 */
async function waitForFirstRecord(
  bootstrap: string,
  topic: string,
  marker: string,
): Promise<number> {
  const deadline = Date.now() + 300_000;
  while (
    !(await withAdmin(bootstrap, admin => admin.listTopics())).includes(topic)
  ) {
    if (Date.now() > deadline) throw new Error(`${topic} never appeared`);
    await sleep(500);
  }
  const consumer = createKafkaClient(bootstrap).consumer({
    groupId: `e2e-first-record-${Date.now()}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no record keyed ${marker} on ${topic}`)),
        Math.max(1000, deadline - Date.now()),
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            if (message.key?.toString() === marker) {
              clearTimeout(timer);
              resolve(Date.now());
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
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

  it('takes a replication request from a team member through the template, approval by an owner and the rollout to records arriving in the other data centre', async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const [, dc1, dc2] =
      output.match(/\[demo\] dc1 at (\S+), dc2 at (\S+) /) ?? [];
    expect(dc1 && dc2).toBeTruthy();
    registerLz4Codec(); // MirrorMaker's producer writes LZ4 batches
    const base = `http://localhost:${port}`;
    const browser = await launchBrowser();
    const shoot = async (page: Page, name: string) => {
      await page.screenshot({
        path: path.join(SCREENSHOTS, `${name}.png`),
        fullPage: true,
      });
    };
    try {
      // Alice (team-dc2) asks for refunds.dc2, which only dc2 has, in dc1.
      const alice = await (
        await browser.newContext({ viewport: { width: 1400, height: 1000 } })
      ).newPage();
      await alice.goto(`${base}/create/templates/default/request-replication`);
      await signInAs(alice, 'Alice (team-dc2)');
      await alice
        .getByText('Whose topics')
        .first()
        .waitFor({ timeout: 60_000 });
      // Her only group: the picker chooses it by itself.
      const team = alice.locator('#OwnershipEntityRefPicker-dropdown');
      await alice.waitForFunction(
        () =>
          (
            document.querySelector(
              '#OwnershipEntityRefPicker-dropdown',
            ) as HTMLInputElement | null
          )?.value === 'team-dc2',
        undefined,
        { timeout: 30_000 },
      );
      expect(await team.inputValue()).toBe('team-dc2');
      await alice.getByLabel('Service').first().click();
      await alice.getByRole('option', { name: /payments-service/ }).click();
      await alice.getByLabel('refunds.dc2').check({ timeout: 30_000 });
      await alice.getByRole('button', { name: 'Next' }).click();
      await alice
        .locator('select[data-testid="dc-picker-root_sourceDataCentre"]')
        .selectOption('dc2');
      await alice
        .locator('select[data-testid="dc-picker-root_targetDataCentre"]')
        .selectOption('dc1');
      await alice
        .getByLabel('Reason')
        .fill('the ledger in dc1 reconciles refunds');
      await shoot(alice, '11-request-form');
      await alice.getByRole('button', { name: 'Review' }).click();
      await alice.getByRole('button', { name: 'Create' }).click();
      const link = alice.getByRole('link', { name: 'Replication request' });
      await link.waitFor({ timeout: 60_000 });
      const href = (await link.getAttribute('href')) ?? '';
      const id = href.match(/\/mirror-maker\/requests\/([^/?#]+)/)?.[1];
      expect(id).toBeTruthy();
      await shoot(alice, '12-request-filed');
      await alice.goto(`${base}/mirror-maker/requests/${id}`);
      const aliceStatus = alice.getByTestId(`request-status-${id}`);
      await aliceStatus.waitFor({ timeout: 60_000 });
      expect(await aliceStatus.textContent()).toBe('pending');
      // Not hers to approve: she is no owner of dc2-to-dc1. The page says
      // so once the permission is decided, and offers her Cancel instead.
      await alice
        .getByText(/You lack the permission mirrorMaker\.request\.approve/)
        .first()
        .waitFor({ timeout: 30_000 });
      expect(
        await alice.getByRole('button', { name: 'Approve' }).isDisabled(),
      ).toBe(true);
      expect(
        await alice.getByRole('button', { name: 'Cancel' }).isEnabled(),
      ).toBe(true);
      await shoot(alice, '13-request-pending');

      // Kim (kafka-platform, the deployment's owner) approves it.
      const kim = await (
        await browser.newContext({ viewport: { width: 1400, height: 1000 } })
      ).newPage();
      await kim.goto(`${base}/mirror-maker`);
      await signInAs(kim, 'Kim (kafka-platform)');
      const row = kim.getByTestId(`request-row-${id}`);
      await row.waitFor({ timeout: 60_000 });
      await row.getByRole('button', { name: 'Approve' }).click();
      const approvedAt = Date.now();
      await kim
        .getByRole('dialog')
        .getByRole('button', { name: 'Approve request' })
        .click();

      // From the approval on, a record every 200 ms on dc2; the first
      // replicated one on dc1 gives the approval-to-first-record time.
      const marker = `e2e-${Date.now()}`;
      let sent = 0;
      let producing = true;
      const producer = (async () => {
        while (producing) {
          sent += 1;
          await produceRecords(dc2, 'refunds.dc2', [
            { key: marker, value: `${marker}-${sent}` },
          ]);
          await sleep(200);
        }
      })();
      const status = kim.getByTestId(`request-status-${id}`);
      await kim.waitForFunction(
        requestId =>
          ['approved', 'applied'].includes(
            document
              .querySelector(`[data-testid="request-status-${requestId}"]`)
              ?.textContent?.trim() ?? '',
          ),
        id,
        { timeout: 60_000, polling: 500 },
      );
      await shoot(kim, '14-request-approved');
      // The rollout: followed on the deployment's own page.
      const rolloutLink = kim.getByTestId(`request-rollout-${id}`);
      await rolloutLink.waitFor({ timeout: 60_000 });
      try {
        const first = await waitForFirstRecord(dc1, 'refunds.dc2', marker);
        // eslint-disable-next-line no-console
        console.log(
          `[demo] request ${id}: approval to the first replicated record on dc1: ${(
            (first - approvedAt) /
            1000
          ).toFixed(1)} s`,
        );
        await kim.waitForFunction(
          requestId =>
            document
              .querySelector(`[data-testid="request-status-${requestId}"]`)
              ?.textContent?.trim() === 'applied',
          id,
          { timeout: 300_000, polling: 1000 },
        );
        expect(await status.textContent()).toBe('applied');
        await shoot(kim, '15-request-applied');
      } finally {
        producing = false;
        await producer;
      }
      // Every record produced after the approval reaches dc1.
      const copied = await consumeRecords(dc1, 'refunds.dc2', sent, {
        timeoutMs: 120_000,
      });
      const values = new Set(
        copied.filter(r => r.key === marker).map(r => r.value),
      );
      for (let i = 1; i <= sent; i++) {
        expect(values.has(`${marker}-${i}`)).toBe(true);
      }

      await kim.getByTestId(`request-rollout-${id}`).click();
      await kim
        .getByTestId('rollout-progress')
        .getByText('succeeded', { exact: true })
        .waitFor({ timeout: 60_000 });
      await shoot(kim, '16-request-rollout');

      // Alice sees her request applied, on payments-service too.
      await alice.goto(`${base}/catalog/default/component/payments-service`);
      await alice
        .getByTestId(`request-status-${id}`)
        .getByText('applied', { exact: true })
        .waitFor({ timeout: 60_000 });
      await shoot(alice, '17-service-requests');
    } finally {
      await browser.close();
    }
  }, 900_000);

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
