import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  Bundle,
  formatProblems,
  MirrorMakerEntity,
  redactBundle,
  renderBundle,
  RenderInput,
  resolveSpec,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  DeployRequest,
  DeployTarget,
  DeployTargetRegistry,
  ProcessStatus,
} from '@mirrormaker/plugin-mirror-maker-node';
import { createHash } from 'crypto';
import {
  Revision,
  RevisionFile,
  Rollout,
  RolloutStore,
} from '../database/RolloutStore';
import { ClusterRegistry } from '../kafka';
import { listFiles } from '../service/BundleService';
import { LoadedDeployment } from '../service/CatalogDeployments';
import { ensureDestinationTopics } from './destinationTopics';
import { DEFAULT_GATE, GateOptions, healthGate } from './HealthGate';

export interface RolloutEngineOptions {
  store: RolloutStore;
  clusters: ClusterRegistry;
  targets: DeployTargetRegistry;
  logger: LoggerService;
  /** Identifies this backend instance in the locks it holds. */
  instanceId: string;
  /** Resolves a revision's entity snapshot to its clusters again (for rollbacks). */
  resolve: (entity: MirrorMakerEntity) => Promise<LoadedDeployment>;
  gate?: Partial<GateOptions>;
  /** SIGTERM to SIGKILL. Default 30 s. */
  stopTimeoutMs?: number;
  /** A lock not renewed for this long is free again. Default 30 s. */
  lockTtlMs?: number;
  /**
   * Runs before the destination topics are created, e.g. to create the
   * heartbeat topic on the source so the first process already replicates
   * it. A failure is recorded as an event and does not stop the rollout.
   */
  prepare?: (deployment: LoadedDeployment) => Promise<void>;
}

/** The name of the target a deployment runs on. */
export function targetNameOf(entity: MirrorMakerEntity): string {
  return entity.spec.deploy?.target ?? 'local';
}

function hashFiles(files: RevisionFile[]): string {
  return createHash('sha256').update(JSON.stringify(files)).digest('hex');
}

/** What a revision stores: the files with secrets redacted (diffable, safe to show). */
export function revisionFiles(bundle: Bundle): RevisionFile[] {
  return listFiles(redactBundle(bundle)).map(f => ({
    path: f.path,
    mode: f.mode,
    content: f.content,
  }));
}

interface Running {
  rollout: Rollout;
  /** Why the rollout must end before its next step, if it must. */
  cancelled?: { reason: string; status: 'stopped' | 'failed' };
  done: Promise<void>;
}

/**
 * Revisions and rollouts. A deploy renders the bundle, stores it as a
 * revision (reused when nothing changed), takes the deployment's lock in the
 * database (so a second backend instance cannot roll out the same
 * deployment at once) and rolls it out in the background one process at a
 * time: stop, write, start, health gate. Every step is an event. A failed
 * gate stops the rollout where it is: processes already rolled keep the new
 * revision, the others keep running the old one.
 */
export class RolloutEngine {
  private readonly running = new Map<string, Running>();
  private readonly gate: GateOptions;
  private readonly stopTimeoutMs: number;
  private readonly lockTtlMs: number;

  constructor(private readonly options: RolloutEngineOptions) {
    this.gate = { ...DEFAULT_GATE, ...options.gate };
    this.stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
  }

  private target(entity: MirrorMakerEntity): DeployTarget {
    const name = targetNameOf(entity);
    const target = this.options.targets.get(name);
    if (!target) {
      throw new InputError(
        `spec.deploy.target: no deploy target "${name}"; registered: ${
          this.options.targets
            .list()
            .map(t => t.name)
            .join(', ') || 'none'
        }`,
      );
    }
    return target;
  }

  private request(
    ref: string,
    revision: { id: string; number: number },
    checked: LoadedDeployment,
  ): DeployRequest {
    if (!checked.source || !checked.target) {
      throw new ConflictError(
        `${ref} cannot be deployed: ${formatProblems(
          checked.problems.filter(p => p.severity === 'error'),
        )}`,
      );
    }
    const input: RenderInput = {
      entity: checked.entity,
      source: checked.source,
      target: checked.target,
      approvedTopics: checked.approvedTopics ?? [],
    };
    return {
      deploymentRef: ref,
      revision,
      input,
      bundle: renderBundle(input),
    };
  }

  /** Starts a rollout of the deployment's current spec; answers once it is queued. */
  async deploy(args: {
    checked: LoadedDeployment;
    actor: string;
    reason: string;
    autoRollback?: boolean;
  }): Promise<Rollout> {
    const { checked } = args;
    const errors = checked.problems.filter(p => p.severity === 'error');
    if (errors.length > 0 || !checked.source || !checked.target) {
      throw new ConflictError(
        `${checked.ref} cannot be deployed until it is fixed: ${formatProblems(
          errors,
        )}`,
      );
    }
    const target = this.target(checked.entity);
    const approvedTopics = checked.approvedTopics ?? [];
    const bundle = renderBundle({
      entity: checked.entity,
      source: checked.source,
      target: checked.target,
      approvedTopics,
    });
    const files = revisionFiles(bundle);
    const hash = hashFiles(files);
    const latest = await this.options.store.latestRevision(checked.ref);
    const revision =
      latest && latest.contentHash === hash
        ? latest
        : await this.options.store.createRevision({
            deploymentRef: checked.ref,
            contentHash: hash,
            entity: checked.entity as unknown as JsonObject,
            files,
            actor: args.actor,
            reason: args.reason,
            approvedTopics,
          });
    return this.start({
      kind: 'deploy',
      revision,
      checked,
      target,
      actor: args.actor,
      reason: args.reason,
      autoRollback: args.autoRollback ?? false,
    });
  }

  /**
   * Rolls back: a new rollout of an older revision, by default the one that
   * ran before the given rollout. The revision is rendered again from its
   * snapshot with today's cluster settings; if those changed the files
   * would differ from the revision, so the rollback is refused.
   */
  async rollback(args: {
    rolloutId: string;
    revisionId?: string;
    actor: string;
    reason: string;
  }): Promise<Rollout> {
    const from = await this.options.store.getRollout(args.rolloutId);
    if (!from) throw new NotFoundError(`No deployment ${args.rolloutId}`);
    const revisionId = args.revisionId ?? from.previousRevisionId;
    if (!revisionId) {
      throw new ConflictError(
        `Deployment ${from.id} has no earlier revision to roll back to (it was the first of ${from.deploymentRef}); pass revisionId to pick one`,
      );
    }
    const revision = await this.options.store.getRevision(revisionId);
    if (!revision || revision.deploymentRef !== from.deploymentRef) {
      throw new NotFoundError(
        `revisionId: no revision ${revisionId} of ${from.deploymentRef}`,
      );
    }
    // The revision's own approved topics, not today's: a rollback restores
    // what ran then.
    const checked = {
      ...(await this.options.resolve(
        revision.entity as unknown as MirrorMakerEntity,
      )),
      approvedTopics: revision.approvedTopics,
    };
    const target = this.target(checked.entity);
    const request = this.request(from.deploymentRef, revision, checked);
    if (hashFiles(revisionFiles(request.bundle)) !== revision.contentHash) {
      throw new ConflictError(
        `Revision ${revision.number} of ${from.deploymentRef} renders differently today (the cluster settings changed since it was made); deploy the current spec instead`,
      );
    }
    return this.start({
      kind: 'rollback',
      revision,
      checked,
      target,
      actor: args.actor,
      reason: args.reason,
      autoRollback: false,
    });
  }

  private async start(args: {
    kind: 'deploy' | 'rollback';
    revision: Revision;
    checked: LoadedDeployment;
    target: DeployTarget;
    actor: string;
    reason: string;
    autoRollback: boolean;
  }): Promise<Rollout> {
    const { store } = this.options;
    const ref = args.checked.ref;
    const held = await store.getLock(ref);
    if (held && held.expiresAt > Date.now()) {
      const other = await store.getRollout(held.rolloutId);
      throw new ConflictError(
        `A rollout of ${ref} is already running (${held.rolloutId}${
          other
            ? `, started by ${other.actor}, step ${other.doneSteps} of ${other.totalSteps}`
            : ''
        }); wait for it or stop it`,
      );
    }
    const previous = await store.lastSucceededRevision(ref);
    const rollout = await store.createRollout({
      deploymentRef: ref,
      revisionId: args.revision.id,
      previousRevisionId:
        previous && previous.id !== args.revision.id ? previous.id : undefined,
      kind: args.kind,
      reason: args.reason,
      actor: args.actor,
      autoRollback: args.autoRollback,
    });
    const locked = await store.acquireLock(ref, {
      rolloutId: rollout.id,
      owner: this.options.instanceId,
      ttlMs: this.lockTtlMs,
    });
    if (!locked) {
      await store.updateRollout(rollout.id, {
        status: 'failed',
        finishedAt: new Date().toISOString(),
        message:
          'refused: another rollout of this deployment started at the same moment',
      });
      throw new ConflictError(
        `Another rollout of ${ref} started at the same moment; try again when it is done`,
      );
    }
    const request = this.request(ref, args.revision, args.checked);
    const entry: Running = { rollout, done: Promise.resolve() };
    entry.done = this.run(entry, request, args.target, args.checked).finally(
      () => this.running.delete(rollout.id),
    );
    this.running.set(rollout.id, entry);
    return rollout;
  }

  private async run(
    entry: Running,
    request: DeployRequest,
    target: DeployTarget,
    checked: LoadedDeployment,
  ): Promise<void> {
    const { store, logger, clusters } = this.options;
    const { rollout } = entry;
    const ref = rollout.deploymentRef;
    const spec = resolveSpec(checked.entity.spec, checked.entity.metadata.name);
    let step = 0;
    let total = 0;
    const event = (
      kind: string,
      message: string,
      extra: { host?: string; processIndex?: number; durationMs?: number } = {},
    ) =>
      store
        .appendEvent({
          rolloutId: rollout.id,
          step,
          total,
          kind,
          message,
          ...extra,
        })
        .catch((error: unknown) =>
          logger.warn(`Rollout ${rollout.id}: event not stored: ${error}`),
        );
    const heartbeat = setInterval(() => {
      store
        .renewLock(ref, rollout.id, this.lockTtlMs)
        .catch((error: unknown) =>
          logger.warn(`Rollout ${rollout.id}: lock not renewed: ${error}`),
        );
    }, Math.max(1000, Math.floor(this.lockTtlMs / 3)));
    const timed = async <T>(fn: () => Promise<T>) => {
      const t0 = Date.now();
      const value = await fn();
      return { value, durationMs: Date.now() - t0 };
    };
    let failure: string | undefined;
    try {
      await store.updateRollout(rollout.id, {
        status: 'running',
        startedAt: new Date().toISOString(),
      });
      await event(
        'started',
        `${rollout.kind === 'rollback' ? 'Rollback' : 'Rollout'} of revision ${
          request.revision.number
        } to target ${target.name}: ${rollout.reason}`,
      );

      if (this.options.prepare) {
        try {
          await this.options.prepare(checked);
        } catch (error) {
          await event(
            'prepare',
            `Preparing ${checked.ref} failed, going on without it: ${
              error instanceof Error ? error.message : String(error)
            }`,
          );
        }
      }

      const topics = await timed(async () =>
        ensureDestinationTopics({
          source: await clusters.admin(checked.source!.name),
          target: await clusters.admin(checked.target!.name),
          topics: checked.entity.spec.topics,
          approvedTopics: checked.approvedTopics,
          targetBrokerCount: await clusters
            .describe(checked.target!.name)
            .then(d => (d.reachable ? d.brokerCount : 1)),
        }),
      );
      const t = topics.value;
      await event(
        'topics',
        `${t.matched} source topics match; created on ${
          checked.target!.name
        }: ${
          t.created
            .map(c => `${c.topic} (${c.partitions} partitions)`)
            .join(', ') || 'none needed'
        }${
          t.partitionMismatches.length > 0
            ? `; fewer partitions on the target: ${t.partitionMismatches
                .map(m => `${m.topic} ${m.target} < ${m.source}`)
                .join(', ')}`
            : ''
        }`,
        { durationMs: topics.durationMs },
      );

      const plan = await target.plan(request);
      total = plan.length;
      await store.updateRollout(rollout.id, {
        totalSteps: total,
        doneSteps: 0,
      });
      const source = await clusters.admin(checked.source!.name);
      for (const proc of plan) {
        step += 1;
        const at = { host: proc.host, processIndex: proc.index };
        if (entry.cancelled) throw new Error(entry.cancelled.reason);
        const stopped = await timed(() =>
          target.stopProcess(ref, proc, { timeoutMs: this.stopTimeoutMs }),
        );
        await event('stop', `stopped process ${proc.index} on ${proc.host}`, {
          ...at,
          durationMs: stopped.durationMs,
        });
        const written = await timed(() => target.writeFiles(request, proc));
        await event(
          'write',
          `wrote the files of revision ${request.revision.number}`,
          {
            ...at,
            durationMs: written.durationMs,
          },
        );
        const started = await timed(() => target.startProcess(request, proc));
        await event('start', `started process ${proc.index} on ${proc.host}`, {
          ...at,
          durationMs: started.durationMs,
        });
        const gate = await timed(() =>
          healthGate({
            deploymentRef: ref,
            process: proc,
            target,
            source,
            groupId: spec.groupId,
            numStreams: spec.placement.numStreams,
            options: this.gate,
            cancelled: () => entry.cancelled !== undefined,
            onWait: what => {
              void event('gate-wait', `waiting for ${what}`, at);
            },
          }),
        );
        if (!gate.value.ok) {
          // Read again: the gate awaited, so a stop may have come meanwhile.
          const cancelled = entry.cancelled as Running['cancelled'];
          failure = cancelled
            ? `${cancelled.reason} (step ${step} of ${total}, process ${proc.index} on ${proc.host})`
            : `health gate failed at step ${step} of ${total}: ${gate.value.reason}`;
          await event('gate-failed', gate.value.reason, {
            ...at,
            durationMs: gate.durationMs,
          });
          break;
        }
        await event('gate-passed', gate.value.message, {
          ...at,
          durationMs: gate.durationMs,
        });
        await store.updateRollout(rollout.id, { doneSteps: step });
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      failure =
        step === 0
          ? `failed before any process was touched: ${reason}`
          : `step ${step} of ${total} failed: ${reason}`;
      logger.error(`Rollout ${rollout.id} of ${ref}: ${failure}`);
    } finally {
      clearInterval(heartbeat);
    }

    const finishedAt = new Date().toISOString();
    if (failure) {
      const status = entry.cancelled?.status ?? 'failed';
      await store.updateRollout(rollout.id, {
        status,
        finishedAt,
        message: `${failure}. Processes already rolled run revision ${
          request.revision.number
        }; the others keep what they ran.${
          rollout.previousRevisionId
            ? ' Roll back to restore the previous revision.'
            : ''
        }`,
      });
      await event(status, failure);
    } else {
      await store.updateRollout(rollout.id, {
        status: 'succeeded',
        finishedAt,
      });
      await event(
        'succeeded',
        `revision ${request.revision.number} runs on every process`,
      );
    }
    await store.releaseLock(ref, rollout.id);

    if (
      failure &&
      !entry.cancelled &&
      rollout.autoRollback &&
      rollout.previousRevisionId
    ) {
      try {
        const back = await this.rollback({
          rolloutId: rollout.id,
          actor: rollout.actor,
          reason: `automatic rollback after ${failure}`,
        });
        await event('rollback', `automatic rollback started: ${back.id}`);
      } catch (error) {
        await event('rollback', `automatic rollback could not start: ${error}`);
      }
    }
  }

  /** Stops the deployment's running rollout (between steps) and every process. */
  async stop(ref: string, entity: MirrorMakerEntity): Promise<ProcessStatus[]> {
    for (const entry of this.running.values()) {
      if (entry.rollout.deploymentRef === ref) {
        entry.cancelled = {
          reason: 'the rollout was stopped',
          status: 'stopped',
        };
      }
    }
    const target = this.target(entity);
    await target.stopDeployment(ref, { timeoutMs: this.stopTimeoutMs });
    return target.status(ref);
  }

  async processes(
    entity: MirrorMakerEntity,
    ref: string,
  ): Promise<ProcessStatus[]> {
    const target = this.options.targets.get(targetNameOf(entity));
    return target ? target.status(ref) : [];
  }

  /** Waits for a rollout this instance runs (tests, shutdown). */
  async settled(rolloutId: string): Promise<void> {
    await this.running.get(rolloutId)?.done;
  }

  /**
   * Marks rollouts whose backend went away (their lock expired or is gone)
   * as failed, with where they stopped. Run at start and on a schedule.
   */
  async recoverInterrupted(now = Date.now()): Promise<Rollout[]> {
    const { store } = this.options;
    const recovered: Rollout[] = [];
    for (const r of await store.listRolloutsByStatus(['pending', 'running'])) {
      if (this.running.has(r.id)) continue;
      const lock = await store.getLock(r.deploymentRef);
      if (lock && lock.rolloutId === r.id && lock.expiresAt > now) continue;
      const message = `interrupted: the backend running it stopped at step ${
        r.doneSteps + 1
      } of ${
        r.totalSteps || '?'
      }; processes already rolled run the new revision, the others what they ran before. Deploy again or roll back.`;
      recovered.push(
        await store.updateRollout(r.id, {
          status: 'failed',
          finishedAt: new Date(now).toISOString(),
          message,
        }),
      );
      await store.appendEvent({
        rolloutId: r.id,
        step: r.doneSteps,
        total: r.totalSteps,
        kind: 'failed',
        message,
      });
      if (lock && lock.rolloutId === r.id) {
        await store.releaseLock(r.deploymentRef, r.id);
      }
    }
    return recovered;
  }

  /** Stops running rollouts between steps and waits for them to record where they stopped. */
  async shutdown(): Promise<void> {
    for (const entry of this.running.values()) {
      entry.cancelled = {
        reason: 'the backend shut down during the rollout',
        status: 'failed',
      };
    }
    await Promise.all([...this.running.values()].map(e => e.done));
  }
}
