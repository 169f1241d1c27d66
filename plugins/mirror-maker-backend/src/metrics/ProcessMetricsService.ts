import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  MirrorMakerEntity,
  resolveSpec,
} from '@mirrormaker/plugin-mirror-maker-common';
import {
  DeployTarget,
  DeployTargetRegistry,
  MetricProcess,
  MetricSource,
  MetricSourceRegistry,
  ProcessMetrics,
  ProcessMetricsRequest,
} from '@mirrormaker/plugin-mirror-maker-node';

import { PrometheusExporterSource } from './sources/PrometheusExporterSource';

/** The per-process figures of one deployment, and which source gave them. */
export interface DeploymentProcessMetrics {
  source: string;
  processes: ProcessMetrics[];
}

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Answers "how is each process of this deployment doing": finds the
 * processes (where the deploy target runs them, else where the spec places
 * them) and asks the metric source the spec's monitoring points at.
 */
export class ProcessMetricsService {
  readonly #targets: DeployTargetRegistry;
  readonly #sources: MetricSourceRegistry;
  readonly #logger: LoggerService;
  readonly #fallback = new PrometheusExporterSource();

  constructor(options: {
    targets: DeployTargetRegistry;
    sources: MetricSourceRegistry;
    logger: LoggerService;
  }) {
    this.#targets = options.targets;
    this.#sources = options.sources;
    this.#logger = options.logger;
  }

  async forDeployment(d: {
    ref: string;
    entity: MirrorMakerEntity;
  }): Promise<DeploymentProcessMetrics> {
    const name = d.entity.metadata.name;
    const spec = resolveSpec(d.entity.spec, name);
    const source = this.#sourceFor(spec.monitoring);
    const { processes, readExporter } = await this.#processes(d.ref, spec);
    const running = processes.filter(p => !p.notRunning);
    const request: ProcessMetricsRequest = {
      deploymentRef: d.ref,
      deploymentName: name,
      groupId: spec.groupId,
      processes: running.map(({ notRunning: _, ...p }) => p),
      ...(readExporter ? { readExporter } : {}),
    };
    let answered: ProcessMetrics[];
    try {
      answered = await source.processMetrics(request);
    } catch (error) {
      this.#logger.warn(
        `Metric source ${source.name} failed for ${d.ref}: ${errorText(error)}`,
      );
      const observedAt = new Date().toISOString();
      answered = running.map(p => ({
        host: p.host,
        index: p.index,
        source: source.name,
        up: false,
        error: `the ${
          source.name
        } metric source failed, not the process: ${errorText(error)}`,
        observedAt,
      }));
    }
    // A source from a module may answer out of order or leave processes
    // out; callers rely on one entry per process in rollout order.
    const byAddress = new Map(answered.map(m => [`${m.host}#${m.index}`, m]));
    return {
      source: source.name,
      processes: processes.map(
        p =>
          byAddress.get(`${p.host}#${p.index}`) ?? {
            host: p.host,
            index: p.index,
            source: source.name,
            up: false,
            error: p.notRunning
              ? `process ${p.index} on ${p.host} is not running on the ${p.notRunning} target (not deployed yet, or stopped)`
              : `the ${source.name} metric source gave no figures for process ${p.index} on ${p.host}`,
            observedAt: new Date().toISOString(),
          },
      ),
    };
  }

  /**
   * New Relic only when the spec turned the exporters off: with both on,
   * the exporters answer now while New Relic lags by its sampling interval.
   */
  #sourceFor(monitoring: {
    newRelic: { enabled: boolean };
    prometheus: { enabled: boolean };
  }): MetricSource {
    const newRelic = this.#sources.get('newrelic');
    if (
      monitoring.newRelic.enabled &&
      monitoring.prometheus.enabled === false &&
      newRelic
    ) {
      return newRelic;
    }
    return this.#sources.get('prometheus') ?? this.#fallback;
  }

  async #processes(
    ref: string,
    spec: ReturnType<typeof resolveSpec>,
  ): Promise<{
    processes: (MetricProcess & { notRunning?: string })[];
    readExporter?: ProcessMetricsRequest['readExporter'];
  }> {
    const targetName = spec.deploy?.target ?? 'local';
    const target: DeployTarget | undefined = this.#targets.get(targetName);
    if (target) {
      try {
        const statuses = await target.status(ref);
        if (statuses.length > 0) {
          // Every process the placement asks for, in its order, plus any the
          // target still runs beyond it (a node being removed); a placed one
          // the target does not run is reported as such, not scraped.
          const known = new Map(statuses.map(s => [`${s.host}#${s.index}`, s]));
          const placed = placementOf(spec).map(p => {
            const status = known.get(`${p.host}#${p.index}`);
            known.delete(`${p.host}#${p.index}`);
            return status
              ? {
                  host: p.host,
                  index: p.index,
                  ...(status.metricsUrl
                    ? { metricsUrl: status.metricsUrl }
                    : {}),
                }
              : { host: p.host, index: p.index, notRunning: targetName };
          });
          const extra = [...known.values()].map(s => ({
            host: s.host,
            index: s.index,
            ...(s.metricsUrl ? { metricsUrl: s.metricsUrl } : {}),
          }));
          return {
            processes: [...placed, ...extra],
            ...(target.metrics
              ? { readExporter: p => target.metrics!(ref, p) }
              : {}),
          };
        }
      } catch (error) {
        // The placement still says where the processes should be.
        this.#logger.warn(
          `Deploy target ${targetName} could not list the processes of ${ref}: ${errorText(
            error,
          )}`,
        );
      }
    }
    return { processes: placementOf(spec) };
  }
}

/** The processes the spec places, with where their exporters listen. */
function placementOf(spec: ReturnType<typeof resolveSpec>): MetricProcess[] {
  const processes: MetricProcess[] = [];
  for (const host of spec.placement.nodes) {
    for (let index = 1; index <= spec.placement.processesPerNode; index++) {
      processes.push({
        host,
        index,
        metricsUrl: `http://${urlHost(host)}:${
          spec.jmx.exporterInitialPort + index
        }/metrics`,
      });
    }
  }
  return processes;
}
