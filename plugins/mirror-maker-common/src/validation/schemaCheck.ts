import { closest, error, ValidationProblem } from './problems';

/**
 * The subset of JSON schema the kind's schemas use: type, required,
 * properties, additionalProperties, items, minItems, minLength, enum. A small
 * walker instead of a schema compiler keeps this package free of code
 * generation (no eval in the browser) and gives messages that name the field
 * and what is accepted.
 */
export interface SchemaNode {
  type?: string | readonly string[];
  required?: readonly string[];
  properties?: Readonly<Record<string, SchemaNode>>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  minItems?: number;
  minLength?: number;
  enum?: readonly unknown[];
  description?: string;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function join(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

export function checkSchema(
  schema: SchemaNode,
  value: unknown,
  path: string,
  problems: ValidationProblem[] = [],
): ValidationProblem[] {
  const actual = typeOf(value);
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(
      error(
        path,
        `must be one of ${schema.enum.map(v => JSON.stringify(v)).join(', ')}`,
      ),
    );
    return problems;
  }
  if (schema.type) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some(t => typeMatches(t, actual))) {
      problems.push(
        error(path, `must be ${types.join(' or ')}, not ${actual}`),
      );
      return problems;
    }
  }
  if (
    actual === 'string' &&
    schema.minLength &&
    (value as string).length < schema.minLength
  ) {
    problems.push(error(path, 'must not be empty'));
  }
  if (actual === 'array') {
    const items = value as unknown[];
    if (schema.minItems && items.length < schema.minItems) {
      problems.push(
        error(path, `must list at least ${schema.minItems} item(s)`),
      );
    }
    if (schema.items) {
      items.forEach((item, i) =>
        checkSchema(schema.items!, item, `${path}[${i}]`, problems),
      );
    }
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (object[key] === undefined) {
        problems.push(error(join(path, key), 'is required'));
      }
    }
    const known = schema.properties ?? {};
    for (const [key, child] of Object.entries(object)) {
      if (child === undefined) continue;
      if (known[key]) {
        checkSchema(known[key], child, join(path, key), problems);
      } else if (schema.additionalProperties === false) {
        const hint = closest(key, Object.keys(known));
        problems.push(
          error(
            join(path, key),
            `is not a known field${
              hint ? `; did you mean "${hint}"?` : ''
            }. Accepted: ${Object.keys(known).join(', ')}`,
          ),
        );
      } else if (typeof schema.additionalProperties === 'object') {
        checkSchema(
          schema.additionalProperties,
          child,
          join(path, key),
          problems,
        );
      }
    }
  }
  return problems;
}
