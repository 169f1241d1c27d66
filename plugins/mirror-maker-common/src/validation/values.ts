/** Rules for the plain values that reach generated files. */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Describes the first control character in a value, if any. */
export function controlCharacterProblem(value: string): string | undefined {
  const match = CONTROL.exec(value);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0).toString(16).padStart(4, '0');
  return `contains the control character U+${code} at position ${match.index}; control characters and line breaks are not accepted`;
}

const HOST_LABEL = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+$/;

/** Checks a host name or IP address; returns a message when it is not one. */
export function hostProblem(host: string): string | undefined {
  if (host.length === 0) return 'is empty; give a host name or IP address';
  if (host.length > 253) return 'is longer than 253 characters';
  if (IPV4.test(host)) return undefined;
  if (host.includes(':')) {
    return IPV6.test(host) && host.split(':').length >= 3
      ? undefined
      : `"${printable(host)}" is not a valid IPv6 address`;
  }
  if (host.split('.').every(label => HOST_LABEL.test(label))) return undefined;
  return `"${printable(
    host,
  )}" is not a host name; use letters, digits, "-" and "." (RFC 1123) or an IP address`;
}

/** Checks `host:port` (IPv6 as `[addr]:port`). */
export function hostPortProblem(value: string): string | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  if (!match) {
    return `"${printable(
      value,
    )}" is not host:port (e.g. kafka1.dc1.example.com:9092, [2001:db8::1]:9093)`;
  }
  const hostIssue = hostProblem(match[1] ?? match[2]);
  if (hostIssue) return hostIssue;
  return portProblem(Number(match[3]));
}

export function portProblem(port: number): string | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return `${port} is not a port; use 1 to 65535`;
  }
  return undefined;
}

const ABSOLUTE_PATH = /^\/[A-Za-z0-9._+@/-]*$/;

/** Paths reach shell scripts, systemd units and log4j files: keep them plain. */
export function absolutePathProblem(path: string): string | undefined {
  if (!ABSOLUTE_PATH.test(path)) {
    return `"${printable(
      path,
    )}" is not accepted; use an absolute path of letters, digits and . _ + @ / - only`;
  }
  if (path.split('/').some(part => part === '..' || part === '.')) {
    return `"${printable(
      path,
    )}" contains a "." or ".." segment; give the resolved path`;
  }
  if (path.length > 1 && path.endsWith('/')) {
    return `"${printable(path)}" ends with "/"; leave the slash out`;
  }
  if (path.includes('//')) return `"${printable(path)}" contains "//"`;
  return undefined;
}

const UNIX_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

export function unixNameProblem(name: string): string | undefined {
  return UNIX_NAME.test(name)
    ? undefined
    : `"${printable(
        name,
      )}" is not a Unix user or group name; use a lower-case letter or _ followed by up to 31 of [a-z0-9_-]`;
}

/** Shows a value in a message without letting it break the message. */
export function printable(value: string, max = 80): string {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped.length > max ? `${escaped.slice(0, max)}...` : escaped;
}
