import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import {
  exampleEntity,
  dc1,
  dc2,
} from '@mirrormaker/plugin-mirror-maker-common/testUtils';
import {
  DeployTarget,
  DeployTargetRegistry,
  ProcessStatus,
} from '@mirrormaker/plugin-mirror-maker-node';
import { applyDatabaseMigrations } from '../database';
import { RolloutStore } from '../database/RolloutStore';
import { LoadedDeployment } from '../service/CatalogDeployments';
import { RolloutEngine } from './RolloutEngine';

/** Processes in memory; `failStart` makes a started process die at once. */
class FakeTarget implements DeployTarget {
  readonly name = 'local';
  processes = new Map<string, ProcessStatus>();
  failStart = false;
  calls: string[] = [];
  /** Resolves the next startProcess only when released (to hold a rollout open). */
  hold?: Promise<void>;

  async checkReadiness() {
    return { ready: true };
  }
  async plan(request: any) {
    return request.input.entity.spec.placement.nodes.flatMap((host: string) =>
      [1, 2].map(index => ({ host, index })),
    );
  }
  async stopProcess(_ref: string, p: { host: string; index: number }) {
    this.calls.push(`stop ${p.host}/${p.index}`);
    const s = this.processes.get(`${p.host}/${p.index}`);
    if (s) s.state = 'stopped';
  }
  async writeFiles(request: any, p: { host: string; index: number }) {
    this.calls.push(`write ${p.host}/${p.index} r${request.revision.number}`);
  }
  async startProcess(request: any, p: { host: string; index: number }) {
    this.calls.push(`start ${p.host}/${p.index}`);
    await this.hold;
    this.processes.set(`${p.host}/${p.index}`, {
      ...p,
      state: this.failStart ? 'failed' : 'running',
      restarts: 0,
      since: new Date().toISOString(),
      revisionId: request.revision.id,
      message: this.failStart ? 'exit code 1' : undefined,
    });
  }
  async status() {
    return [...this.processes.values()];
  }
  async stopDeployment() {
    for (const s of this.processes.values()) s.state = 'stopped';
  }
}

function fakeClusters(created: string[]) {
  const admin = {
    fetchTopicMetadata: async () => ({
      topics: [
        {
          name: 'orders.dc1',
          partitions: [{ replicas: [1] }, { replicas: [1] }, { replicas: [1] }],
        },
      ],
    }),
    describeConfigs: async () => ({
      resources: [
        {
          resourceName: 'orders.dc1',
          configEntries: [
            {
              configName: 'retention.ms',
              configValue: '1000',
              isDefault: false,
            },
          ],
        },
      ],
    }),
    createTopics: async ({ topics }: any) => {
      created.push(
        ...topics.map(
          (t: any) =>
            `${t.topic}:${t.numPartitions}:${JSON.stringify(t.configEntries)}`,
        ),
      );
      return true;
    },
    describeGroups: async () => ({
      groups: [{ state: 'Stable', members: [{}, {}, {}, {}, {}, {}] }],
    }),
  };
  // The target cluster has no topics yet.
  const target = { ...admin, fetchTopicMetadata: async () => ({ topics: [] }) };
  return {
    admin: async (name: string) => (name === 'dc1' ? admin : target),
    describe: async () => ({
      reachable: true,
      brokerCount: 1,
      clusterId: 'x',
    }),
  } as any;
}

describe('RolloutEngine', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let store: RolloutStore;
  let target: FakeTarget;
  let engine: RolloutEngine;
  let created: string[];

  const checked = (spec = {}): LoadedDeployment => ({
    ref: 'mirrormaker:default/dc1-to-dc2',
    entity: exampleEntity({
      placement: { nodes: ['mm1'], processesPerNode: 2 },
      ...spec,
    }),
    source: dc1,
    target: dc2,
    problems: [],
  });

  beforeEach(async () => {
    const knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    store = RolloutStore.fromKnex(knex);
    target = new FakeTarget();
    const targets = new DeployTargetRegistry();
    targets.addDeployTarget(target);
    created = [];
    engine = new RolloutEngine({
      store,
      clusters: fakeClusters(created),
      targets,
      logger: mockServices.logger.mock(),
      instanceId: 'test',
      resolve: async entity => ({ ...checked(), entity }),
      gate: { timeoutMs: 2000, pollMs: 10, windowMs: 10 },
    });
  });

  it('creates destination topics first, then stops, writes, starts and gates each process', async () => {
    const rollout = await engine.deploy({
      checked: checked(),
      actor: 'user:default/alice',
      reason: 'first',
    });
    await engine.settled(rollout.id);
    const done = await store.getRollout(rollout.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      totalSteps: 2,
      doneSteps: 2,
    });
    expect(created).toEqual([
      'orders.dc1:3:[{"name":"retention.ms","value":"1000"}]',
    ]);
    expect(target.calls).toEqual([
      'stop mm1/1',
      'write mm1/1 r1',
      'start mm1/1',
      'stop mm1/2',
      'write mm1/2 r1',
      'start mm1/2',
    ]);
    const kinds = (await store.listEvents(rollout.id)).map(e => e.kind);
    expect(kinds).toEqual([
      'started',
      'topics',
      'stop',
      'write',
      'start',
      'gate-passed',
      'stop',
      'write',
      'start',
      'gate-passed',
      'succeeded',
    ]);
    expect(
      await store.getLock('mirrormaker:default/dc1-to-dc2'),
    ).toBeUndefined();
  });

  it('reuses the revision when nothing changed and makes a new one when the spec did', async () => {
    const a = await engine.deploy({
      checked: checked(),
      actor: 'u',
      reason: 'a',
    });
    await engine.settled(a.id);
    const b = await engine.deploy({
      checked: checked(),
      actor: 'u',
      reason: 'b',
    });
    await engine.settled(b.id);
    expect(b.revisionId).toBe(a.revisionId);
    const c = await engine.deploy({
      checked: checked({ topics: { suffix: 'dc1', exclude: 'tmp\\..*' } }),
      actor: 'u',
      reason: 'c',
    });
    await engine.settled(c.id);
    expect(c.revisionNumber).toBe(2);
    expect(c.previousRevisionId).toBe(a.revisionId);
  });

  it('refuses a second rollout of the same deployment while one runs', async () => {
    let release!: () => void;
    target.hold = new Promise(r => {
      release = r;
    });
    const first = await engine.deploy({
      checked: checked(),
      actor: 'u',
      reason: 'a',
    });
    await expect(
      engine.deploy({ checked: checked(), actor: 'u', reason: 'b' }),
    ).rejects.toThrow(ConflictError);
    await expect(
      engine.deploy({ checked: checked(), actor: 'u', reason: 'b' }),
    ).rejects.toThrow(/already running/);
    release();
    await engine.settled(first.id);
  });

  it('stops at the first failing gate and rolls back automatically when asked', async () => {
    const good = await engine.deploy({
      checked: checked(),
      actor: 'u',
      reason: 'good',
    });
    await engine.settled(good.id);
    target.failStart = true;
    const bad = await engine.deploy({
      checked: checked({ topics: { suffix: 'dc1', exclude: 'x' } }),
      actor: 'u',
      reason: 'bad',
      autoRollback: true,
    });
    await engine.settled(bad.id);
    const failed = await store.getRollout(bad.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.doneSteps).toBe(0);
    expect(failed?.message).toMatch(
      /health gate failed at step 1 of 2: process 1 on mm1 exited after start: exit code 1/,
    );
    // Process 2 was never touched by the bad rollout.
    expect(target.processes.get('mm1/2')?.revisionId).toBe(good.revisionId);

    target.failStart = false;
    const rollouts = await store.listRollouts('mirrormaker:default/dc1-to-dc2');
    const back = rollouts.find(r => r.kind === 'rollback')!;
    expect(back.revisionId).toBe(good.revisionId);
    await engine.settled(back.id);
    expect((await store.getRollout(back.id))?.status).toBe('succeeded');
    expect(target.processes.get('mm1/1')?.revisionId).toBe(good.revisionId);
  });

  it('marks rollouts whose backend went away as failed, with where they stopped', async () => {
    const revision = await store.createRevision({
      deploymentRef: 'mirrormaker:default/dc1-to-dc2',
      contentHash: 'x',
      entity: {},
      files: [],
      actor: 'u',
      reason: 'r',
    });
    const orphan = await store.createRollout({
      deploymentRef: 'mirrormaker:default/dc1-to-dc2',
      revisionId: revision.id,
      kind: 'deploy',
      reason: 'r',
      actor: 'u',
      autoRollback: false,
    });
    await store.updateRollout(orphan.id, {
      status: 'running',
      totalSteps: 4,
      doneSteps: 1,
    });
    await store.acquireLock('mirrormaker:default/dc1-to-dc2', {
      rolloutId: orphan.id,
      owner: 'gone',
      ttlMs: 1000,
      now: Date.now() - 5000,
    });
    const recovered = await engine.recoverInterrupted();
    expect(recovered.map(r => r.id)).toEqual([orphan.id]);
    const after = await store.getRollout(orphan.id);
    expect(after?.status).toBe('failed');
    expect(after?.message).toMatch(/interrupted: .* step 2 of 4/);
    expect(
      await store.getLock('mirrormaker:default/dc1-to-dc2'),
    ).toBeUndefined();
  });
});
