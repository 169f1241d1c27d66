import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_DATA_CENTRES,
  DeploymentMetrics,
  MetricsStatus,
  MIRROR_MAKER_KIND,
  resolveSpec,
  ServiceMetrics,
} from '@mirrormaker/plugin-mirror-maker-common';

export type { DeploymentMetrics, MetricsStatus, ServiceMetrics };
import { ProcessMetrics } from '@mirrormaker/plugin-mirror-maker-node';
import {
  CatalogDeployments,
  LoadedDeployment,
} from '../service/CatalogDeployments';
import { TopologyService } from '../service/TopologyService';
import { MetricFamily, renderExposition } from './exposition';
import { GroupLag, LagService } from './LagService';
import { HeartbeatService, HeartbeatStatus } from './Heartbeat';
import { ProcessMetricsService } from './ProcessMetricsService';
import { ThroughputPoint, ThroughputSampler } from './ThroughputSampler';

/**
 * What the metrics routes serve, put together from the lag service (now),
 * the sampled series in the database, the processes' own figures and the
 * heartbeat. Every part that cannot be read says why; none fails the whole.
 */
export class MetricsService {
  constructor(
    private readonly options: {
      deployments: CatalogDeployments;
      topology: TopologyService;
      lag: LagService;
      sampler: ThroughputSampler;
      heartbeat: HeartbeatService;
      processes: ProcessMetricsService;
      /** Loads an entity by ref as the caller may see it (the service's system). */
      loadEntity?: (
        ref: string,
        credentials: BackstageCredentials,
      ) => Promise<Entity | undefined>;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Lag of a checked deployment now; unknown clusters are an answer, not a throw. */
  lagOf(
    d: LoadedDeployment,
  ): Promise<GroupLag | { reachable: false; error: string }> {
    return this.options.lag.deploymentLag(d);
  }

  async deploymentMetrics(
    entity: Entity,
    credentials: BackstageCredentials,
    windowMs: number,
  ): Promise<DeploymentMetrics> {
    if (entity.kind !== MIRROR_MAKER_KIND) {
      throw new InputError(
        `${entity.kind} ${entity.metadata.name} is not a MirrorMaker; deployment metrics exist for MirrorMaker entities only (a Component with the mirrormaker.io/topics annotation gets its topics' metrics instead)`,
      );
    }
    const d = await this.options.deployments.check(entity, credentials);
    const to = this.now();
    const from = to - windowMs;
    const [lag, throughput, processes, heartbeat, series] = await Promise.all([
      this.lagOf(d),
      this.options.sampler.series(d.ref, from),
      this.options.processes
        .forDeployment(d)
        .catch(e => ({ source: 'none', processes: [], error: messageOf(e) })),
      this.options.heartbeat.status(d),
      this.options.heartbeat.series(d.ref, from),
    ]);
    const spec = resolveSpec(d.entity.spec, d.entity.metadata.name);
    return {
      entityRef: d.ref,
      window: {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        seconds: Math.round(windowMs / 1000),
      },
      status: summarize({
        lag,
        throughput,
        processes: processes.processes,
        heartbeat,
        heartbeatLimitMs: spec.monitoring.alerts.heartbeatLatencySeconds * 1000,
        commitIntervalMs: spec.offsetCommitIntervalMs,
      }),
      lag,
      throughput,
      processes: {
        source: processes.source,
        items: processes.processes,
        ...('error' in processes && processes.error
          ? { error: processes.error }
          : {}),
      },
      heartbeat: { ...heartbeat, series },
    };
  }

  /** For a service: where each of its topics goes, with lag and latency per writer. */
  async serviceMetrics(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<ServiceMetrics> {
    const view = (await this.options.topology.entityTopology(
      entity,
      credentials,
    )) as {
      entityRef: string;
      role: string;
      topics?: {
        topic: string;
        suffix?: string;
        problem?: string;
        home?: { cluster: string; dataCentre: string; exists?: boolean };
        reaches: {
          cluster: string;
          dataCentre: string;
          writers: string[];
          exists?: boolean;
        }[];
      }[];
    };
    if (view.role !== 'service' || !view.topics) {
      throw new InputError(
        `${view.entityRef} has no topics of its own; service metrics need the mirrormaker.io/topics annotation`,
      );
    }
    const [snapshot, required] = await Promise.all([
      this.options.deployments.snapshot(credentials),
      this.requiredDataCentres(entity, credentials),
    ]);
    const byRef = new Map(snapshot.deployments.map(d => [d.ref, d]));
    const writerRefs = new Set(
      view.topics.flatMap(t => t.reaches.flatMap(r => r.writers)),
    );
    const lags = new Map<
      string,
      Awaited<ReturnType<MetricsService['lagOf']>>
    >();
    const beats = new Map<string, HeartbeatStatus>();
    await Promise.all(
      [...writerRefs].map(async ref => {
        const d = byRef.get(ref);
        if (!d) return;
        const [lag, beat] = await Promise.all([
          this.lagOf(d),
          this.options.heartbeat.status(d),
        ]);
        lags.set(ref, lag);
        beats.set(ref, beat);
      }),
    );
    return {
      entityRef: view.entityRef,
      ...(required ? { requiredDataCentres: required.dataCentres } : {}),
      observedAt: new Date(this.now()).toISOString(),
      topics: view.topics.map(t => {
        const warnings: string[] = [];
        if (t.problem) warnings.push(t.problem);
        if (!t.suffix) {
          warnings.push(
            `${t.topic} has no data-centre suffix, so no deployment replicates it by suffix`,
          );
        }
        if (t.home?.exists === false) {
          warnings.push(`${t.topic} does not exist on ${t.home.cluster}`);
        }
        if (t.home && t.reaches.length === 0) {
          warnings.push(
            `${t.topic} is not replicated out of ${t.home.dataCentre}`,
          );
        }
        if (required && t.home) {
          const reached = new Set([
            t.home.dataCentre,
            ...t.reaches.map(r => r.dataCentre),
          ]);
          const missing = required.dataCentres.filter(dc => !reached.has(dc));
          if (missing.length > 0) {
            warnings.push(
              `${t.topic} does not reach ${missing.join(', ')}, where system ${
                required.system
              } needs it (annotation ${ANNOTATION_DATA_CENTRES})`,
            );
          }
        }
        return {
          topic: t.topic,
          ...(t.suffix ? { suffix: t.suffix } : {}),
          ...(t.home
            ? {
                home: {
                  cluster: t.home.cluster,
                  dataCentre: t.home.dataCentre,
                },
              }
            : {}),
          reaches: t.reaches.map(r => ({
            cluster: r.cluster,
            dataCentre: r.dataCentre,
            writers: r.writers.map(ref => {
              const lag = lags.get(ref);
              const beat = beats.get(ref);
              const base = {
                deploymentRef: ref,
                ...(beat?.lastLatencyMs !== undefined
                  ? { heartbeatLatencyMs: beat.lastLatencyMs }
                  : {}),
              };
              if (!lag || !lag.reachable) {
                return {
                  ...base,
                  lag: null,
                  partitionsWithoutCommit: 0,
                  error: lag
                    ? (lag as { error?: string }).error
                    : `${ref} is not visible`,
                };
              }
              const topicLag = (lag as GroupLag).topics.find(
                x => x.topic === t.topic,
              );
              return {
                ...base,
                lag: topicLag ? topicLag.lag : null,
                partitionsWithoutCommit: topicLag?.partitionsWithoutCommit ?? 0,
                ...(topicLag
                  ? {}
                  : {
                      error: `no partition of ${t.topic} was found on the source`,
                    }),
              };
            }),
          })),
          warnings,
        };
      }),
    };
  }

  /**
   * The data centres the entity's system lists in its annotation, if the
   * entity has a system the caller may see and the system sets any.
   */
  private async requiredDataCentres(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<{ system: string; dataCentres: string[] } | undefined> {
    const system = (entity.spec as { system?: unknown } | undefined)?.system;
    if (typeof system !== 'string' || !this.options.loadEntity) {
      return undefined;
    }
    const ref = system.includes(':')
      ? system
      : `system:${entity.metadata.namespace ?? 'default'}/${system}`;
    const found = await this.options.loadEntity(ref, credentials);
    const value = found?.metadata.annotations?.[ANNOTATION_DATA_CENTRES];
    if (!found || !value) return undefined;
    const dataCentres = [
      ...new Set(
        value
          .split(',')
          .map(dc => dc.trim())
          .filter(Boolean),
      ),
    ];
    return dataCentres.length > 0
      ? { system: found.metadata.name, dataCentres }
      : undefined;
  }

  /**
   * The derived figures of every deployment the caller can see, in the
   * Prometheus text format: lag per partition and in total, partitions
   * without a commit, heartbeat latency (the name the rendered alert rules
   * use) and the sampled throughput.
   */
  async prometheus(credentials: BackstageCredentials): Promise<string> {
    const snapshot = await this.options.deployments.snapshot(credentials);
    const checked = snapshot.deployments.filter(d => d.source && d.target);
    const since = this.now() - 5 * 60_000;
    const rows = await Promise.all(
      checked.map(async d => ({
        d,
        lag: await this.lagOf(d),
        beat: await this.options.heartbeat.status(d),
        throughput: await this.options.sampler.series(d.ref, since),
      })),
    );
    const family = (
      name: string,
      help: string,
      samples: MetricFamily['samples'],
    ): MetricFamily => ({ name, help, type: 'gauge', samples });
    const base = (d: LoadedDeployment) => ({
      deployment: d.entity.metadata.name,
      namespace: d.entity.metadata.namespace ?? 'default',
      source_cluster: d.source!.name,
      target_cluster: d.target!.name,
    });
    const lastOf = (points: ThroughputPoint[], key: 'inPerSec' | 'outPerSec') =>
      [...points].reverse().find(p => p[key] !== null)?.[key] ?? undefined;
    return renderExposition([
      family(
        'mirror_maker_source_reachable',
        'Whether the source cluster answered the last lag read (1) or not (0).',
        rows.map(r => ({ labels: base(r.d), value: r.lag.reachable ? 1 : 0 })),
      ),
      family(
        'mirror_maker_lag_records',
        'Records of a source partition not yet committed by the MirrorMaker group (log-end offset minus committed offset).',
        rows.flatMap(r =>
          r.lag.reachable
            ? (r.lag as GroupLag).topics.flatMap(t =>
                t.partitions
                  .filter(p => p.lag !== null)
                  .map(p => ({
                    labels: {
                      ...base(r.d),
                      topic: t.topic,
                      partition: String(p.partition),
                    },
                    value: p.lag!,
                  })),
              )
            : [],
        ),
      ),
      family(
        'mirror_maker_lag_total_records',
        'Sum of the lag over every replicated partition that has a commit.',
        rows
          .filter(r => r.lag.reachable)
          .map(r => ({
            labels: base(r.d),
            value: (r.lag as GroupLag).totalLag,
          })),
      ),
      family(
        'mirror_maker_partitions_without_commit',
        'Replicated source partitions for which the group has committed no offset yet.',
        rows
          .filter(r => r.lag.reachable)
          .map(r => ({
            labels: base(r.d),
            value: (r.lag as GroupLag).partitionsWithoutCommit,
          })),
      ),
      family(
        'mirror_maker_heartbeat_latency_seconds',
        'Time from producing the last heartbeat record on the source to reading it on the target.',
        rows
          .filter(r => r.beat.lastLatencyMs !== undefined)
          .map(r => ({
            labels: base(r.d),
            value: r.beat.lastLatencyMs! / 1000,
          })),
      ),
      family(
        'mirror_maker_records_in_per_second',
        'Records per second appended to the replicated topics on the source (last sample).',
        rows.flatMap(r => {
          const v = lastOf(r.throughput, 'inPerSec');
          return v === undefined ? [] : [{ labels: base(r.d), value: v }];
        }),
      ),
      family(
        'mirror_maker_records_out_per_second',
        'Records per second appended to the same topics on the target (last sample).',
        rows.flatMap(r => {
          const v = lastOf(r.throughput, 'outPerSec');
          return v === undefined ? [] : [{ labels: base(r.d), value: v }];
        }),
      ),
    ]);
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Folds the parts into one state, worst first, with every reason. */
export function summarize(args: {
  lag: GroupLag | { reachable: false; error: string };
  throughput: ThroughputPoint[];
  processes: ProcessMetrics[];
  heartbeat: HeartbeatStatus;
  heartbeatLimitMs: number;
  /** The group's offset commit interval: committed lag only moves at commits. */
  commitIntervalMs: number;
}): MetricsStatus {
  const messages: string[] = [];
  let state: MetricsStatus['state'] = 'ok';
  const worse = (s: MetricsStatus['state']) => {
    const order = ['ok', 'lagging', 'degraded', 'down', 'unknown'];
    if (order.indexOf(s) > order.indexOf(state)) state = s;
  };

  if (!args.lag.reachable) {
    worse('unknown');
    messages.push(
      `lag unknown: ${(args.lag as { error?: string }).error ?? 'unreachable'}`,
    );
  }
  const up = args.processes.filter(p => p.up).length;
  if (args.processes.length > 0 && up === 0) {
    worse('down');
    messages.push(`no process of ${args.processes.length} is up`);
  } else if (up < args.processes.length) {
    worse('degraded');
    messages.push(
      `${args.processes.length - up} of ${
        args.processes.length
      } processes are down`,
    );
  }
  const dropped = args.processes.reduce(
    (n, p) => n + (p.droppedMessages ?? 0),
    0,
  );
  if (dropped > 0) {
    worse('degraded');
    messages.push(
      `${dropped} records were dropped (not written to the target)`,
    );
  }
  const beat = args.heartbeat.lastLatencyMs;
  if (beat !== undefined && beat > args.heartbeatLimitMs) {
    worse('degraded');
    messages.push(
      `heartbeat latency ${(beat / 1000).toFixed(1)} s is above ${
        args.heartbeatLimitMs / 1000
      } s`,
    );
  }
  // Committed lag is a sawtooth: it climbs between two commits of the group
  // and drops at each. Compare the troughs of the two halves of a span that
  // holds several commits, not neighbouring samples.
  const span = Math.max(3 * args.commitIntervalMs, 60_000);
  const end = args.throughput.length
    ? Date.parse(args.throughput[args.throughput.length - 1].at)
    : 0;
  const recent = args.throughput.filter(
    p => p.lag !== null && Date.parse(p.at) > end - span,
  );
  const older = recent.filter(p => Date.parse(p.at) <= end - span / 2);
  const newer = recent.filter(p => Date.parse(p.at) > end - span / 2);
  if (older.length > 0 && newer.length > 0) {
    const trough = (points: ThroughputPoint[]) =>
      Math.min(...points.map(p => p.lag!));
    const before = trough(older);
    const now = trough(newer);
    if (now > before + Math.max(100, before / 10)) {
      worse('lagging');
      messages.push(
        `lag keeps growing: at least ${now} records behind, up from ${before} over ${Math.round(
          span / 2000,
        )} s`,
      );
    }
  }
  return { state, messages };
}
