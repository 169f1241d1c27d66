import { assertSingleLine, describeChar } from './chars';

const UNIT_SYNTAX = 'a systemd unit file line';

/**
 * Quotes one argument of a systemd `ExecStart=` command line: double-quoted,
 * `\` and `"` backslash-escaped (systemd C-unescapes quoted words), `$`
 * doubled (environment variable substitution) and `%` doubled (specifiers).
 *
 * @throws if `arg` holds a control character or line break: a unit file
 *   line cannot carry it.
 */
export function systemdQuote(arg: string, field = 'value'): string {
  assertSingleLine(arg, field, UNIT_SYNTAX);
  const escaped = arg
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\$/g, '$$$$')
    .replace(/%/g, '%%');
  return `"${escaped}"`;
}

/**
 * Escapes the value of a unit file directive other than a command line
 * (`Description=`, `User=`, ...): `%` is doubled so specifiers never expand.
 *
 * @throws if `value` holds a control character or line break, starts or
 *   ends with whitespace (systemd strips it) or ends with `\` (systemd would
 *   join the next line to it).
 */
export function systemdValue(value: string, field = 'value'): string {
  assertSingleLine(value, field, UNIT_SYNTAX);
  if (value.trim() !== value) {
    throw new Error(
      `${field} starts or ends with whitespace, which systemd strips from a directive's value; remove it`,
    );
  }
  if (value.endsWith('\\')) {
    throw new Error(
      `${field} ends with "\\", which systemd reads as a line continuation; remove it`,
    );
  }
  return value.replace(/%/g, '%%');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One quoted assignment for `Environment=`: `"NAME=value"` with `\` and `"`
 * escaped and `%` doubled. `$` is left alone: systemd does not expand
 * variables in `Environment=`, so doubling it would change the value.
 *
 * @throws if the name is not a shell variable name or the value holds a
 *   control character or line break.
 */
export function systemdEnvironment(
  name: string,
  value: string,
  field = 'value',
): string {
  if (!ENV_NAME.test(name)) {
    const bad = [...name].find(c => !/[A-Za-z0-9_]/.test(c));
    throw new Error(
      `environment variable name ${JSON.stringify(name)} is invalid${
        bad ? ` (contains ${describeChar(bad)})` : ''
      }; use letters, digits and "_", not starting with a digit`,
    );
  }
  assertSingleLine(value, field, UNIT_SYNTAX);
  const escaped = `${name}=${value}`
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/%/g, '%%');
  return `"${escaped}"`;
}
