/**
 * Checks on the values that reach a remote command or an SFTP path. The
 * renderer has checked them already; they are checked again here because a
 * DeployRequest can come from anywhere (a module, a stored revision), and a
 * value that fails is rejected before anything runs on a node.
 */

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

/** A host name, IPv4 address or unbracketed IPv6 address. */
export function isHost(value: string): boolean {
  return HOST_NAME.test(value) || (value.includes(':') && IPV6.test(value));
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Half of a surrogate pair on its own: not writable as UTF-8. */
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * An absolute, normalised path without control characters: what a file of
 * the bundle, the log directory or a staging path may be.
 */
export function requireRemotePath(path: string, what: string): string {
  if (
    typeof path !== 'string' ||
    !path.startsWith('/') ||
    path === '/' ||
    path.length > 4096 ||
    CONTROL.test(path) ||
    LONE_SURROGATE.test(path) ||
    path
      .slice(1)
      .split('/')
      .some(s => s === '' || s === '.' || s === '..')
  ) {
    throw new Error(
      `${what} ${JSON.stringify(
        path,
      )} is not an absolute, normalised path without control characters; the ssh target runs nothing with it`,
    );
  }
  return path;
}

/** `metadata.name` as the renderer accepts it; it names units and files. */
export function requireDeploymentName(name: string): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(name)) {
    throw new Error(
      `deployment name ${JSON.stringify(
        name,
      )} is not a valid entity name (1 to 63 letters, digits, "-", "_" and "."); the ssh target runs nothing for it`,
    );
  }
  return name;
}

/** A systemd service unit name as the renderer writes them. */
export function requireUnitName(unit: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,250}\.service$/.test(unit)) {
    throw new Error(
      `systemd unit name ${JSON.stringify(
        unit,
      )} is not a plain service name; the ssh target runs nothing with it`,
    );
  }
  return unit;
}

/** A Unix user or group name (for chown). */
export function requireUnixName(name: string, what: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(name)) {
    throw new Error(
      `${what} ${JSON.stringify(name)} is not a valid user or group name`,
    );
  }
  return name;
}

/** Permission bits of a file: no setuid, setgid or sticky bit. */
export function requireFileMode(mode: number, path: string): number {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    throw new Error(
      `file ${path} has mode ${String(
        mode,
      )}; expected permission bits from 0 to 0o777`,
    );
  }
  return mode;
}

/** A process number or line count: a positive integer up to `max`. */
export function requireCount(value: number, what: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(
      `${what} must be an integer from 1 to ${max}, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}
