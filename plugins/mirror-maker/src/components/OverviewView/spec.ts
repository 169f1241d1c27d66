import type { Entity } from '@backstage/catalog-model';
import {
  effectiveTopics,
  MirrorMakerSpec,
  MirrorMakerTopics,
  resolveSpec,
} from '@mirrormaker/plugin-mirror-maker-common';

/** What the overview reads of a MirrorMaker spec, each part undefined when the spec lacks or garbles it. */
export interface SpecSummary {
  source?: string;
  target?: string;
  topics?: MirrorMakerTopics;
  /** The `--include` pattern the rule becomes, when it compiles. */
  include?: string;
  placement?: {
    nodes: string[];
    processesPerNode: number;
    numStreams: number;
    /** Per node, process i listens on the i-th of each. */
    jmxPorts: number[];
    exporterPorts: number[];
  };
}

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';

function topicsOf(value: unknown): MirrorMakerTopics | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const t = value as Record<string, unknown>;
  const topics: MirrorMakerTopics = {};
  if (isString(t.suffix)) topics.suffix = t.suffix;
  if (isString(t.include)) topics.include = t.include;
  if (Array.isArray(t.names)) topics.names = t.names.filter(isString);
  if (isString(t.exclude)) topics.exclude = t.exclude;
  return topics.suffix || topics.include || topics.names ? topics : undefined;
}

/**
 * Reads the spec without trusting it: the catalog may hold an entity that
 * failed validation, and the overview must still show what it can.
 */
export function summarizeSpec(entity: Entity): SpecSummary {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const summary: SpecSummary = {};
  if (isString(spec.source)) summary.source = spec.source;
  if (isString(spec.target)) summary.target = spec.target;
  summary.topics = topicsOf(spec.topics);
  if (summary.topics) {
    try {
      summary.include = effectiveTopics(summary.topics).include;
    } catch {
      // A pattern RE2 cannot read; the findings say why.
    }
  }
  const placement = spec.placement as { nodes?: unknown } | undefined;
  if (
    placement &&
    typeof placement === 'object' &&
    Array.isArray(placement.nodes) &&
    placement.nodes.every(isString)
  ) {
    try {
      const resolved = resolveSpec(
        spec as unknown as MirrorMakerSpec,
        entity.metadata.name,
      );
      const { processesPerNode, numStreams } = resolved.placement;
      const count =
        Number.isInteger(processesPerNode) && processesPerNode > 0
          ? processesPerNode
          : 0;
      const ports = (first: number) =>
        Number.isInteger(first)
          ? Array.from({ length: count }, (_, i) => first + i + 1)
          : [];
      summary.placement = {
        nodes: resolved.placement.nodes,
        processesPerNode,
        numStreams,
        jmxPorts: ports(resolved.jmx.initialPort),
        exporterPorts: ports(resolved.jmx.exporterInitialPort),
      };
    } catch {
      // Left undefined: the view says the placement cannot be read.
    }
  }
  return summary;
}

/** `9981`, `9981-9984` or `9981, 9983` for a list of ports. */
export function portRange(ports: number[]): string {
  if (ports.length === 0) return 'none';
  const contiguous = ports.every((p, i) => i === 0 || p === ports[i - 1] + 1);
  if (ports.length === 1) return String(ports[0]);
  return contiguous
    ? `${ports[0]}–${ports[ports.length - 1]}`
    : ports.join(', ');
}
