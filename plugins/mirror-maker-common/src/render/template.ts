/**
 * Text rendered once, at module load, with a marker where each
 * per-deployment value goes, then cut at the markers: `parts` holds the
 * text between them and `slots` which value goes after each part but the
 * last. Filling a template joins the parts with values escaped by the
 * caller for the syntax around their slot, so a file that is mostly
 * constant costs one join per deployment instead of being built and
 * escaped from scratch.
 */
export interface Template {
  parts: string[];
  slots: number[];
}

/**
 * The marker of slot `index`: letters and digits between `@` signs, which
 * every escaping function used for the templates leaves as they are.
 */
export function marker(index: number): string {
  return `@@slot${index}@@`;
}

/**
 * Cuts `text` at the markers of slots `0..count-1` (see {@link marker}).
 * Throws if a marker is missing, so a template cannot silently lose a value.
 */
export function splitTemplate(text: string, count: number): Template {
  const pattern = /@@slot(\d+)@@/g;
  const parts: string[] = [];
  const slots: number[] = [];
  const seen = new Set<number>();
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const index = Number(match[1]);
    if (index >= count) throw new Error(`unknown template slot ${index}`);
    parts.push(text.slice(last, match.index));
    slots.push(index);
    seen.add(index);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  if (seen.size !== count) throw new Error('a template slot is missing');
  return { parts, slots };
}

/** The text of `template` with each slot filled from `values` (already escaped). */
export function fillTemplate(template: Template, values: string[]): string {
  const { parts, slots } = template;
  let text = parts[0];
  for (let k = 0; k < slots.length; k++) {
    text += values[slots[k]] + parts[k + 1];
  }
  return text;
}

/**
 * `value` escaped as inside a JSON string (JSON.stringify without the
 * quotes). JSON.stringify escapes each character on its own (a surrogate
 * pair stays together), so a string made of this and constant ASCII text
 * between the quotes is exactly what JSON.stringify gives for the whole.
 */
export function jsonInner(value: string): string {
  const json = JSON.stringify(value);
  return json.slice(1, -1);
}
