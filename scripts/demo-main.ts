/**
 * The demo: two single-node KRaft clusters (dc1, dc2) with a few suffixed
 * topics, and Backstage with SQLite in memory pointed at them. Started by
 * scripts/demo.js after installing what is missing.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Producer } from 'kafkajs';
import {
  createKafkaClient,
  createTopics,
  findJmxExporterAgent,
  killMirrorMakersIn,
  resolveKafkaHome,
  startKafkaClusters,
  TestBed,
} from '../test/testbed';

const ROOT = path.resolve(__dirname, '..');
const DEMO_DIR = path.join(ROOT, '.demo');
const PORT = Number(process.env.MIRROR_MAKER_DEMO_PORT ?? 7007);
/** Where the local deploy target keeps the MirrorMaker processes' files. */
const LOCAL_DIR = path.join(DEMO_DIR, 'local');
const DEPLOYMENTS = ['dc1-to-dc2', 'dc2-to-dc1'];
/** Whom the sign-in page offers (examples/org.yaml has them). */
const DEMO_USERS = [
  {
    userEntityRef: 'user:default/alice',
    title: 'Alice (team-dc2)',
    description:
      'Product team member: owns payments-service and requests replication of its topics',
  },
  {
    userEntityRef: 'user:default/kim',
    title: 'Kim (kafka-platform)',
    description:
      'Platform engineer: owns the MirrorMaker deployments, approves requests and deploys',
  },
];

function log(message: string) {
  process.stdout.write(`[demo] ${message}\n`);
}

async function waitForHealth(
  url: string,
  backend: ChildProcess,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (backend.exitCode !== null) {
      throw new Error(
        `Backstage exited with code ${backend.exitCode} before it was ready`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    `Backstage did not answer ${url} within ${timeoutMs / 1000} s`,
  );
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM to the whole process group (backstage-cli and the backend it
 * runs), SIGKILL after the timeout; resolves once no process of the group is
 * left, so the port is free when the demo says it stopped.
 */
async function stopProcessGroup(pgid: number, timeoutMs: number) {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) {
      signal('SIGKILL');
    }
    await new Promise(r => setTimeout(r, 200));
  }
}

function demoConfig(bed: TestBed): string {
  // JSON is valid YAML; every value here is ours, nothing comes from input.
  return JSON.stringify(
    {
      app: {
        baseUrl: `http://localhost:${PORT}`,
        demoSignIn: { users: DEMO_USERS },
      },
      auth: {
        providers: {
          demoUsers: { users: DEMO_USERS.map(u => u.userEntityRef) },
        },
      },
      backend: {
        baseUrl: `http://localhost:${PORT}`,
        listen: { port: PORT, host: '127.0.0.1' },
      },
      mirrorMaker: {
        clusters: {
          dc1: {
            brokers: [bed.bootstrap('dc1')],
            dataCentre: 'dc1',
            topicSuffix: 'dc1',
          },
          dc2: {
            brokers: [bed.bootstrap('dc2')],
            dataCentre: 'dc2',
            topicSuffix: 'dc2',
          },
        },
        // Livelier charts than the default 10 s.
        metrics: { sampleSeconds: 5 },
        deploy: {
          local: {
            workDir: LOCAL_DIR,
            kafkaHome: resolveKafkaHome(),
            jmxExporterJar: findJmxExporterAgent(),
            maxHeap: '256m',
          },
        },
      },
    },
    null,
    2,
  );
}

/** The example topics, on their home cluster. */
const TRAFFIC: { cluster: 'dc1' | 'dc2'; topic: string }[] = [
  { cluster: 'dc1', topic: 'orders.dc1' },
  { cluster: 'dc1', topic: 'shipments.dc1' },
  { cluster: 'dc2', topic: 'payments.dc2' },
];
/** Records per second per topic, so the metrics have something to show. */
const TRAFFIC_RATE = Number(process.env.MIRROR_MAKER_DEMO_RATE ?? 20);

/**
 * A small steady producer on the example topics: lag, throughput and
 * heartbeat charts move as they would in production. Returns its stop.
 */
async function startTraffic(bed: TestBed): Promise<() => Promise<void>> {
  const producers = new Map<string, Producer>();
  for (const cluster of ['dc1', 'dc2'] as const) {
    const producer = createKafkaClient(bed.bootstrap(cluster)).producer();
    await producer.connect();
    producers.set(cluster, producer);
  }
  let sequence = 0;
  let busy = false;
  const perTick = Math.max(1, Math.round(TRAFFIC_RATE / 5));
  const timer = setInterval(() => {
    if (busy) return; // a slow broker skips ticks instead of piling them up
    busy = true;
    Promise.all(
      TRAFFIC.map(({ cluster, topic }) =>
        producers.get(cluster)!.send({
          topic,
          messages: Array.from({ length: perTick }, () => {
            sequence += 1;
            return {
              key: `demo-${sequence % 100}`,
              value: JSON.stringify({ sequence, at: new Date().toISOString() }),
            };
          }),
        }),
      ),
    )
      .catch(error => log(`traffic: ${error.message ?? error}`))
      .finally(() => {
        busy = false;
      });
  }, 200);
  log(
    `producing ${perTick * 5} records/s to each of ${TRAFFIC.map(
      t => t.topic,
    ).join(', ')} (MIRROR_MAKER_DEMO_RATE)`,
  );
  return async () => {
    clearInterval(timer);
    await Promise.all(
      [...producers.values()].map(p => p.disconnect().catch(() => undefined)),
    );
  };
}

/** Deploys the example MirrorMaker deployments with the plugin's own API. */
async function deployExamples() {
  const base = `http://127.0.0.1:${PORT}/api`;
  const signIn = async () => {
    const session = await fetch(`${base}/auth/guest/refresh?env=development`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    return ((await session.json()) as any).backstageIdentity.token as string;
  };
  // The catalog reads examples/ in the background after start; the guest's
  // groups (which make it an admin) count only once its User entity is in.
  const wanted = [
    ...DEPLOYMENTS.map(name => `mirrormaker/default/${name}`),
    'user/default/guest',
  ];
  const early = { Authorization: `Bearer ${await signIn()}` };
  const deadline = Date.now() + 120_000;
  for (const entity of wanted) {
    while (
      (
        await fetch(`${base}/catalog/entities/by-name/${entity}`, {
          headers: early,
        })
      ).status !== 200
    ) {
      if (Date.now() > deadline) {
        log(`${entity} is not in the catalog after 120 s; not deploying`);
        return;
      }
      await new Promise(r => setTimeout(r, 1000));
    }
  }
  const token = await signIn();
  for (const name of DEPLOYMENTS) {
    const res = await fetch(
      `${base}/mirror-maker/entities/mirrormaker/default/${name}/deployments`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ reason: 'demo start' }),
      },
    );
    const body = (await res.json()) as any;
    if (res.status !== 202) {
      log(`deploying ${name} failed: ${res.status} ${body.error?.message}`);
      continue;
    }
    log(
      `deploying ${name} with the local target: ${base}/mirror-maker/deployments/${body.id}`,
    );
  }
}

async function main() {
  let bed: TestBed | undefined;
  let backend: ChildProcess | undefined;
  let stopping = false;
  let stopTraffic: (() => Promise<void>) | undefined;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping ...');
    await stopTraffic?.();
    if (backend?.pid) {
      await stopProcessGroup(backend.pid, 30_000);
    }
    // The backend stops its MirrorMaker processes on shutdown; should it
    // have been killed first, none may outlive the demo.
    killMirrorMakersIn(LOCAL_DIR);
    await bed?.stop();
    fs.rmSync(LOCAL_DIR, { recursive: true, force: true });
    log('stopped: no Kafka or Backstage process is left running');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    fs.mkdirSync(DEMO_DIR, { recursive: true });
    // Fresh clusters every run: processes of a previous run must not come back.
    fs.rmSync(LOCAL_DIR, { recursive: true, force: true });
    log('starting Kafka clusters dc1 and dc2 ...');
    const t0 = Date.now();
    bed = await startKafkaClusters(['dc1', 'dc2']);
    log(`Kafka data in ${bed.dir}`);
    log(
      `dc1 at ${bed.bootstrap('dc1')}, dc2 at ${bed.bootstrap('dc2')} ` +
        `(${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    await createTopics(bed.bootstrap('dc1'), [
      { topic: 'orders.dc1', numPartitions: 3 },
      { topic: 'shipments.dc1', numPartitions: 2 },
    ]);
    await createTopics(bed.bootstrap('dc2'), [
      { topic: 'payments.dc2', numPartitions: 3 },
      // Not replicated yet: the replication-request walk asks for it.
      { topic: 'refunds.dc2', numPartitions: 2 },
    ]);

    const configFile = path.join(DEMO_DIR, 'app-config.demo.yaml');
    fs.writeFileSync(configFile, demoConfig(bed));

    log('starting Backstage (SQLite in memory) ...');
    const t1 = Date.now();
    backend = spawn(
      'npx',
      [
        '--no-install',
        'backstage-cli',
        'package',
        'start',
        '--config',
        path.join(ROOT, 'app-config.yaml'),
        '--config',
        configFile,
      ],
      {
        cwd: path.join(ROOT, 'packages', 'backend'),
        // The guest sign-in works in development mode only; an inherited
        // NODE_ENV (test runners set "test") must not switch it off.
        env: { ...process.env, NODE_ENV: 'development' },
        stdio: ['ignore', 'inherit', 'inherit'],
        detached: true, // its own process group, so stop() ends all of it
      },
    );
    backend.on('exit', code => {
      if (!stopping) {
        log(`Backstage exited (code ${code})`);
        void stop(1);
      }
    });
    await waitForHealth(
      `http://127.0.0.1:${PORT}/api/mirror-maker/health`,
      backend,
      180_000,
    );
    log(`Backstage is ready in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    await deployExamples();
    stopTraffic = await startTraffic(bed);
    log(
      `open http://localhost:${PORT} (sign in as guest, Alice or Kim); Ctrl-C stops everything`,
    );
  } catch (error) {
    process.stderr.write(
      `[demo] ${error instanceof Error ? error.message : error}\n`,
    );
    await stop(1);
  }
}

void main();
