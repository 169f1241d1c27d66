import type { Config } from '@backstage/config';
import { utils } from 'ssh2';
import { parseKnownHosts, KnownHostEntry } from './knownHosts';
import { isHost } from './validate';

/** Where `SshDeployTarget.fromConfig` reads its settings. */
export const SSH_CONFIG_KEY = 'mirrorMaker.deploy.ssh';

/** How the processes on a node are run. */
export type ServiceManager = 'systemd' | 'direct';

/** The `mirrorMaker.deploy.ssh` block with its defaults applied. */
export interface SshTargetSettings {
  user: string;
  port: number;
  /** PEM or OpenSSH text of the private key. */
  privateKey?: string;
  /** Path of the private key file on the Backstage host, read at each connect. */
  privateKeyFile?: string;
  passphrase?: string;
  /** The parsed `knownHosts` lines; empty leaves the target not ready. */
  knownHosts: KnownHostEntry[];
  /** Node name to the address (and port) the backend reaches it at. */
  hosts: Record<string, { address: string; port?: number }>;
  serviceManager: ServiceManager;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  sudo: boolean;
}

export const SSH_DEFAULTS = {
  user: 'root',
  port: 22,
  serviceManager: 'systemd' as ServiceManager,
  connectTimeoutMs: 10_000,
  commandTimeoutMs: 60_000,
  sudo: false,
};

const UNIX_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

function field(key: string): string {
  return `${SSH_CONFIG_KEY}.${key}`;
}

function integer(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${field(key)} must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

function parseHosts(raw: unknown): SshTargetSettings['hosts'] {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(
      `${field(
        'hosts',
      )} must be a map from node name to { address, port }, e.g. { mm1.example.com: { address: 10.0.0.5, port: 2222 } }`,
    );
  }
  const hosts: SshTargetSettings['hosts'] = {};
  for (const [name, value] of Object.entries(raw)) {
    const at = `${field('hosts')}["${name}"]`;
    if (!isHost(name)) {
      throw new Error(
        `${at}: ${JSON.stringify(name)} is not a host name or IP address`,
      );
    }
    const entry = value as { address?: unknown; port?: unknown } | null;
    if (typeof entry !== 'object' || entry === null) {
      throw new Error(`${at} must be an object with address and port`);
    }
    const address = entry.address ?? name;
    if (typeof address !== 'string' || !isHost(address)) {
      throw new Error(
        `${at}.address must be a host name or IP address, got ${JSON.stringify(
          entry.address,
        )}`,
      );
    }
    let port: number | undefined;
    if (entry.port !== undefined) {
      port = Number(entry.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(
          `${at}.port must be an integer from 1 to 65535, got ${JSON.stringify(
            entry.port,
          )}`,
        );
      }
    }
    hosts[name] = port === undefined ? { address } : { address, port };
  }
  return hosts;
}

/**
 * Reads `mirrorMaker.deploy.ssh`. Returns undefined when the block is
 * absent; throws an error naming the key for a value that is malformed.
 * What is merely missing (knownHosts, a key) is left for checkReadiness to
 * report, so a backend that never deploys over SSH still starts.
 */
export function readSshSettings(
  config: Config | undefined,
): SshTargetSettings | undefined {
  if (!config) return undefined;
  const user = config.getOptionalString('user') ?? SSH_DEFAULTS.user;
  if (!UNIX_NAME.test(user)) {
    throw new Error(
      `${field('user')} ${JSON.stringify(
        user,
      )} is not a valid user name; use up to 32 letters, digits, "_", "." and "-", not starting with a digit, "." or "-"`,
    );
  }
  const privateKey = config.getOptionalString('privateKey');
  const privateKeyFile = config.getOptionalString('privateKeyFile');
  if (privateKey !== undefined && privateKeyFile !== undefined) {
    throw new Error(
      `${field('privateKey')} and ${field(
        'privateKeyFile',
      )} are both set; keep one`,
    );
  }
  if (privateKeyFile !== undefined && !privateKeyFile.startsWith('/')) {
    throw new Error(
      `${field(
        'privateKeyFile',
      )} must be an absolute path, got ${JSON.stringify(privateKeyFile)}`,
    );
  }
  const serviceManager =
    config.getOptionalString('serviceManager') ?? SSH_DEFAULTS.serviceManager;
  if (serviceManager !== 'systemd' && serviceManager !== 'direct') {
    throw new Error(
      `${field(
        'serviceManager',
      )} must be "systemd" or "direct", got ${JSON.stringify(serviceManager)}`,
    );
  }
  const { entries, problems } = parseKnownHosts(
    config.getOptionalString('knownHosts') ?? '',
  );
  if (problems.length > 0) {
    throw new Error(
      `${field(
        'knownHosts',
      )} has lines that are not known_hosts entries:\n${problems
        .map(p => `  ${p}`)
        .join('\n')}`,
    );
  }
  return {
    user,
    port: integer(config, 'port', SSH_DEFAULTS.port, 1, 65535),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(privateKeyFile !== undefined ? { privateKeyFile } : {}),
    ...(config.has('passphrase')
      ? { passphrase: config.getString('passphrase') }
      : {}),
    knownHosts: entries,
    hosts: parseHosts(config.getOptional('hosts')),
    serviceManager,
    connectTimeoutMs: integer(
      config,
      'connectTimeoutMs',
      SSH_DEFAULTS.connectTimeoutMs,
      100,
      600_000,
    ),
    commandTimeoutMs: integer(
      config,
      'commandTimeoutMs',
      SSH_DEFAULTS.commandTimeoutMs,
      1_000,
      3_600_000,
    ),
    sudo: config.getOptionalBoolean('sudo') ?? SSH_DEFAULTS.sudo,
  };
}

/** The private key text, from `privateKey` or read from `privateKeyFile`. */
export async function loadPrivateKey(
  settings: SshTargetSettings,
  readFile: (path: string) => Promise<string>,
): Promise<string> {
  if (settings.privateKey !== undefined) return settings.privateKey;
  if (settings.privateKeyFile === undefined) {
    throw new Error(
      `neither ${field('privateKey')} nor ${field('privateKeyFile')} is set`,
    );
  }
  try {
    return await readFile(settings.privateKeyFile);
  } catch (e) {
    throw new Error(
      `${field('privateKeyFile')} ${settings.privateKeyFile} cannot be read: ${
        (e as Error).message
      }`,
    );
  }
}

/**
 * Throws unless `text` is a private key ssh2 can sign with, naming the
 * config key; a wrong or missing passphrase is the usual cause.
 */
export function checkPrivateKey(text: string, passphrase?: string): void {
  const source =
    passphrase === undefined
      ? field('privateKey')
      : `${field('privateKey')} with ${field('passphrase')}`;
  const key = utils.parseKey(text, passphrase);
  if (key instanceof Error) {
    throw new Error(`${source} is not a usable private key: ${key.message}`);
  }
  if (!key.isPrivateKey()) {
    throw new Error(`${source} is a public key; give the private key`);
  }
}
