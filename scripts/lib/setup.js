// Shared steps of `npm run demo` and `npm test`. Plain Node, no npm
// dependencies: these run before `npm install` has.
'use strict';

const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

function log(message) {
  process.stdout.write(`[setup] ${message}\n`);
}

/** Runs a command with inherited output; exits the process when it fails. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    stdio: 'inherit',
    ...options,
  });
  if (result.error) {
    throw new Error(`could not run ${command}: ${result.error.message}`);
  }
  return result.status ?? 1;
}

function listWorkspaceManifests() {
  const manifests = [path.join(ROOT, 'package.json')];
  for (const dir of ['packages', 'plugins']) {
    const base = path.join(ROOT, dir);
    if (!fs.existsSync(base)) continue;
    for (const name of fs.readdirSync(base).sort()) {
      const manifest = path.join(base, name, 'package.json');
      if (fs.existsSync(manifest)) manifests.push(manifest);
    }
  }
  manifests.push(path.join(ROOT, 'test', 'package.json'));
  const lock = path.join(ROOT, 'package-lock.json');
  if (fs.existsSync(lock)) manifests.push(lock);
  return manifests;
}

function installStamp() {
  const hash = crypto.createHash('sha256');
  hash.update(process.version);
  for (const file of listWorkspaceManifests()) {
    hash.update(path.relative(ROOT, file));
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

/**
 * Runs `npm install` unless node_modules already matches every package.json
 * and the lock file (a stamp of their hashes is kept in node_modules).
 */
function ensureInstall() {
  const stampFile = path.join(
    ROOT,
    'node_modules',
    '.mirror-maker-install-stamp',
  );
  const wanted = installStamp();
  if (
    fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, 'utf8') === wanted
  ) {
    log('npm packages are installed');
    return;
  }
  const env = { ...process.env };
  // better-sqlite3 compiles with node-gyp, which needs Node's headers and
  // cannot download them here.
  if (!env.npm_config_nodedir && fs.existsSync('/usr/include/node/node.h')) {
    env.npm_config_nodedir = '/usr';
  }
  log(
    'installing npm packages (npm install; a first install takes a few minutes) ...',
  );
  const started = Date.now();
  // `npm ci` refuses lock files that lack other platforms' optional binaries;
  // `npm install` honours the lock file all the same.
  const status = run('npm', ['install', '--no-audit', '--no-fund'], { env });
  if (status !== 0) {
    throw new Error(`npm install failed with exit code ${status}`);
  }
  // npm install may rewrite the lock file; stamp what is there now.
  fs.writeFileSync(stampFile, installStamp());
  log(`npm install done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function ensureKafkaRuntime() {
  const status = run(process.execPath, [
    path.join(ROOT, 'scripts', 'fetch-kafka-runtime.js'),
  ]);
  if (status !== 0) {
    throw new Error('fetching the Kafka runtime failed (see above)');
  }
}

function canConnect(host, port, timeoutMs = 2000) {
  return new Promise(resolve => {
    const socket = net.connect({ host, port });
    const done = ok => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Makes sure PostgreSQL answers on 127.0.0.1:5432, starting the machine's
 * cluster when it is installed but stopped. Returns the connection string.
 */
async function ensurePostgres() {
  const url =
    process.env.MIRROR_MAKER_TEST_POSTGRES_URL ||
    'postgresql://postgres@127.0.0.1:5432';
  const { hostname, port } = new URL(url);
  const portNumber = Number(port || 5432);
  if (await canConnect(hostname, portNumber)) {
    log(`PostgreSQL answers on ${hostname}:${portNumber}`);
    return url;
  }
  const versions = fs.existsSync('/etc/postgresql')
    ? fs.readdirSync('/etc/postgresql')
    : [];
  if (versions.length > 0) {
    log(`starting PostgreSQL ${versions[0]} (pg_ctlcluster) ...`);
    run('pg_ctlcluster', [
      '--skip-systemctl-redirect',
      versions[0],
      'main',
      'start',
    ]);
    for (let i = 0; i < 30; i++) {
      if (await canConnect(hostname, portNumber)) {
        log(`PostgreSQL answers on ${hostname}:${portNumber}`);
        return url;
      }
      await new Promise(r => setTimeout(r, 1000));
    }
  }
  throw new Error(
    `PostgreSQL does not answer on ${hostname}:${portNumber}. Start it, or point ` +
      'MIRROR_MAKER_TEST_POSTGRES_URL at one (e.g. postgresql://user:password@host:5432); ' +
      'the user needs CREATEDB.',
  );
}

/**
 * Installs Debian packages that are missing (by the file each provides), with
 * apt-get when running as root; otherwise says what to install.
 */
function ensureAptPackages(packages) {
  const missing = Object.entries(packages).filter(
    ([, file]) => !fs.existsSync(file),
  );
  if (missing.length === 0) {
    log(`found ${Object.keys(packages).join(', ')}`);
    return;
  }
  const names = missing.map(([name]) => name);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `missing ${names.join(', ')}; install ${
        names.length > 1 ? 'them' : 'it'
      } ` + `(Debian/Ubuntu: sudo apt-get install -y ${names.join(' ')})`,
    );
  }
  log(`installing ${names.join(', ')} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env }) !== 0) {
    throw new Error('apt-get update failed');
  }
  if (
    run(
      'apt-get',
      ['install', '-y', '-qq', '--no-install-recommends', ...names],
      { env },
    ) !== 0
  ) {
    throw new Error(`apt-get install ${names.join(' ')} failed`);
  }
}

module.exports = {
  ensureAptPackages,
  ROOT,
  log,
  run,
  ensureInstall,
  ensureKafkaRuntime,
  ensurePostgres,
  canConnect,
};
