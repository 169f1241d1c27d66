import { assertSingleLine, describeChar } from './escape/chars';

/**
 * Structural checks on the values rendering relies on. Validation rejects
 * these earlier with friendlier context; rendering checks again so that no
 * input, validated or not, can produce a file that does something else.
 */

function firstBad(value: string, allowed: RegExp): string {
  const bad = [...value].find(c => !allowed.test(c));
  return bad === undefined ? '' : ` (contains ${describeChar(bad)})`;
}

/** An absolute, normalised path: no `.` or `..` segment, no empty segment, no trailing `/`. */
export function requireAbsolutePath(path: string, field: string): string {
  assertSingleLine(path, field, 'a file path');
  if (!path.startsWith('/')) {
    throw new Error(
      `${field} must be an absolute path (start with "/"), got ${JSON.stringify(
        path,
      )}`,
    );
  }
  const segments = path.slice(1).split('/');
  if (path === '/' || segments.some(s => s === '' || s === '.' || s === '..')) {
    throw new Error(
      `${field} must be a normalised absolute path without "//", "." or ".." segments or a trailing "/", got ${JSON.stringify(
        path,
      )}`,
    );
  }
  return path;
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/** A host name, IPv4 address or (unbracketed) IPv6 address. */
export function requireHost(host: string, field: string): string {
  if (
    HOST_NAME.test(host) ||
    (host.includes(':') && IPV6.test(host) && host.length <= 45)
  ) {
    return host;
  }
  throw new Error(
    `${field} is not a host name or IP address${firstBad(
      host,
      /[A-Za-z0-9.:-]/,
    )}: ${JSON.stringify(
      host,
    )}; use letters, digits, "-" and "." (or an IPv6 address)`,
  );
}

/** A Kafka bootstrap server, `host:port` or `[ipv6]:port`. */
export function requireBroker(broker: string, field: string): string {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(broker);
  const port = match ? Number(match[3]) : 0;
  if (!match || port < 1 || port > 65535) {
    throw new Error(
      `${field} must be host:port (or [ipv6]:port) with a port from 1 to 65535, got ${JSON.stringify(
        broker,
      )}`,
    );
  }
  if (match[2] !== undefined) requireHost(match[2], field);
  return broker;
}

/** An integer within bounds. */
export function requireInteger(
  value: number,
  field: string,
  min: number,
  max: number,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

/**
 * The deployment name as it appears in unit names and paths: a Backstage
 * entity name (letters, digits, `-`, `_`, `.`; starting and ending with a
 * letter or digit), which is also a legal systemd unit name part.
 */
export function requireDeploymentName(name: string, field: string): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(name)) {
    throw new Error(
      `${field} ${JSON.stringify(name)} is not a valid entity name${firstBad(
        name,
        /[A-Za-z0-9._-]/,
      )}; use 1 to 63 letters, digits, "-", "_" and "." starting and ending with a letter or digit`,
    );
  }
  return name;
}

/** A Unix user or group name as systemd accepts it. */
export function requireUnixName(name: string, field: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(name)) {
    throw new Error(
      `${field} ${JSON.stringify(
        name,
      )} is not a valid user or group name${firstBad(
        name,
        /[A-Za-z0-9_.-]/,
      )}; use up to 32 letters, digits, "_", "." and "-", not starting with a digit, "." or "-"`,
    );
  }
  return name;
}

/** A Prometheus label name that is not reserved (`__` prefix). */
export function requireLabelName(name: string, field: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.startsWith('__')) {
    throw new Error(
      `${field}: label name ${JSON.stringify(
        name,
      )} is invalid; use letters, digits and "_", not starting with a digit or "__"`,
    );
  }
  return name;
}

/** Replaces every character outside `[A-Za-z0-9._-]` by `_` (for client ids built from host names). */
export function sanitizeIdPart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_');
}
