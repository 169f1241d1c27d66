import { RenderContext } from '../context';
import { assignOwnProperties } from '../ownProperties';
import { yamlKey } from '../yamlWriter';

/** An open value of a label template: the index into the values filled in later. */
export class Slot {
  constructor(readonly index: number) {}
}

/** Where the host goes among the open values of a label template. */
export const HOST_SLOT = new Slot(0);
/** Where the process goes among the open values of a label template. */
export const PROCESS_SLOT = new Slot(1);

/**
 * Constant labels of every Prometheus series of a process, with the host
 * and process left open ({@link HOST_SLOT}, {@link PROCESS_SLOT}).
 */
export function prometheusLabelSlots(
  ctx: RenderContext,
): Record<string, string | Slot> {
  const slots: Record<string, string | Slot> = assignOwnProperties(
    {},
    ctx.spec.monitoring.labels,
  );
  slots.deployment = ctx.name;
  slots.host = HOST_SLOT;
  slots.process = PROCESS_SLOT;
  return slots;
}

/**
 * {@link newRelicLabels} with the node and process name left open
 * ({@link HOST_SLOT}, {@link PROCESS_SLOT}).
 */
export function newRelicLabelSlots(
  ctx: RenderContext,
): Record<string, string | Slot> {
  const slots: Record<string, string | Slot> = assignOwnProperties(
    { env: ctx.target.name },
    ctx.spec.monitoring.labels,
  );
  slots.deployment = ctx.name;
  slots.mirrorMakerNode = HOST_SLOT;
  slots.mirrorMakerProcessName = PROCESS_SLOT;
  slots.sourceCluster = ctx.source.name;
  slots.targetCluster = ctx.target.name;
  return slots;
}

/** Labels of the New Relic samples of process `i` on `host` (the infrastructure agent prefixes them with `label.`). */
export function newRelicLabels(
  ctx: RenderContext,
  host: string,
  i: number,
): Record<string, string> {
  const labels: Record<string, string> = assignOwnProperties(
    { env: ctx.target.name },
    ctx.spec.monitoring.labels,
  );
  labels.deployment = ctx.name;
  labels.mirrorMakerNode = host;
  labels.mirrorMakerProcessName = `kafka-mirror-maker-${i}`;
  labels.sourceCluster = ctx.source.name;
  labels.targetCluster = ctx.target.name;
  return sortKeys(labels);
}

export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key];
  return sorted;
}

/**
 * A sorted label mapping written as YAML lines (each starting with "\n"),
 * with the values of some labels left open: `parts` holds the text between
 * them and `slots` which value goes after each part but the last. Every
 * fixed key and value is escaped here, once per deployment.
 */
export interface LabelLines {
  parts: string[];
  slots: number[];
}

/**
 * Builds {@link LabelLines} for `labels`, where a {@link Slot} stands for an
 * open value (its index into the values given to {@link fillLabelLines}). Keys
 * are sorted as {@link sortKeys} sorts them; `value` escapes a fixed value
 * as the open ones must be escaped by the caller.
 */
export function labelLines(
  labels: Record<string, string | Slot>,
  indent: string,
  value: (text: string) => string | undefined,
): LabelLines {
  const parts: string[] = [];
  const slots: number[] = [];
  let text = '';
  for (const name of Object.keys(labels).sort()) {
    const given = labels[name];
    text += `\n${indent}${yamlKey(name)}: `;
    if (given instanceof Slot) {
      parts.push(text);
      slots.push(given.index);
      text = '';
    } else {
      const written = value(given);
      if (written === undefined) {
        throw new Error(`label ${JSON.stringify(name)} must be a string`);
      }
      text += written;
    }
  }
  parts.push(text);
  return { parts, slots };
}

/** The lines of `template` with its open values filled from `values` (already escaped). */
export function fillLabelLines(template: LabelLines, values: string[]): string {
  const { parts, slots } = template;
  let text = parts[0];
  for (let k = 0; k < slots.length; k++) {
    text += values[slots[k]] + parts[k + 1];
  }
  return text;
}
