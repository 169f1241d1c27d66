import { commentText } from './escape/comment';
import { yamlString } from './escape/yaml';

/** A string Ansible must never template: written as `!unsafe "..."`. */
export interface YamlUnsafe {
  unsafe: string;
}

/** What {@link renderYaml} writes. */
export type YamlValue =
  | string
  | number
  | boolean
  | null
  | YamlUnsafe
  | YamlValue[]
  | { [key: string]: YamlValue };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const YAML11_WORDS = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

function isUnsafe(value: YamlValue): value is YamlUnsafe {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as YamlUnsafe).unsafe === 'string'
  );
}

/** A mapping key as {@link renderYaml} writes it: plain when safe, quoted otherwise. */
export function yamlKey(name: string): string {
  return PLAIN_KEY.test(name) && !YAML11_WORDS.test(name)
    ? name
    : yamlString(name, `key ${name}`);
}

/** A value {@link renderYaml} writes on its key's line, or undefined for a nested one. */
export function yamlScalar(value: YamlValue): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return yamlString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new Error(`cannot write ${value} to YAML`);
    return String(value);
  }
  if (isUnsafe(value)) return `!unsafe ${yamlString(value.unsafe)}`;
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (!Array.isArray(value) && Object.keys(value).length === 0) return '{}';
  return undefined;
}

/**
 * The lines of `value` at `indent`, as {@link renderYaml} writes them; for
 * renderers that assemble a document from pieces built once per deployment.
 */
export function yamlLines(value: YamlValue, indent: string): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const simple = yamlScalar(item);
      if (simple !== undefined) {
        out.push(`${indent}- ${simple}`);
      } else {
        const nested = yamlLines(item, `${indent}  `);
        out.push(
          `${indent}- ${nested[0].slice(indent.length + 2)}`,
          ...nested.slice(1),
        );
      }
    }
    return out;
  }
  for (const [name, item] of Object.entries(
    value as Record<string, YamlValue>,
  )) {
    const simple = yamlScalar(item);
    if (simple !== undefined) {
      out.push(`${indent}${yamlKey(name)}: ${simple}`);
    } else {
      out.push(`${indent}${yamlKey(name)}:`, ...yamlLines(item, `${indent}  `));
    }
  }
  return out;
}

/**
 * Writes a YAML document in block style. Every string goes through
 * {@link yamlString} and every key that is not a plain identifier too, so no
 * value can add a key, a tag, an anchor or a line. Key order is the object's
 * insertion order: callers build objects deterministically.
 */
export function renderYaml(
  value: YamlValue,
  header: string[] = [],
  documentStart = false,
): string {
  const top = yamlScalar(value);
  const body = top !== undefined ? [top] : yamlLines(value, '');
  const comments = yamlComments(header);
  return `${[...(documentStart ? ['---'] : []), ...comments, ...body].join(
    '\n',
  )}\n`;
}

/** The `# ...` comment lines {@link renderYaml} writes for `header`. */
export function yamlComments(header: string[]): string[] {
  return header.map(line => `# ${commentText(line, 'header')}`.trimEnd());
}
