#!/usr/bin/env node
/*
 * Fetches the Kafka runtime (broker, MirrorMaker 1, tools) used by the local
 * test bed into test/kafka-runtime/{libs,agents} by running Maven on
 * test/kafka-runtime/pom.xml.
 *
 * - No-op when the runtime is already complete: libs/.complete holds the
 *   sha256 of pom.xml written after the last successful fetch.
 * - Maven writes into a staging folder next to libs/ which is renamed into
 *   place only after Maven succeeded, so an interrupted fetch never leaves a
 *   half-filled libs/ behind that looks complete.
 *
 * Usage: node scripts/fetch-kafka-runtime.js [--force] [--quiet]
 */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const REPO_ROOT = path.resolve(__dirname, '..');
const RUNTIME_DIR = path.join(REPO_ROOT, 'test', 'kafka-runtime');
const POM = path.join(RUNTIME_DIR, 'pom.xml');
const LIBS_DIR = path.join(RUNTIME_DIR, 'libs');
const AGENTS_DIR = path.join(RUNTIME_DIR, 'agents');
const MARKER = path.join(LIBS_DIR, '.complete');
const STAGING_PREFIX = '.fetch-';
const IS_WINDOWS = process.platform === 'win32';

const args = new Set(process.argv.slice(2));
const force = args.has('--force');

function log(message) {
  process.stdout.write(`[fetch:kafka] ${message}\n`);
}

function fail(message, code = 1) {
  process.stderr.write(`[fetch:kafka] ERROR: ${message}\n`);
  process.exit(code);
}

function rel(p) {
  return path.relative(REPO_ROOT, p) || '.';
}

function sha256(file) {
  return crypto
    .createHash('sha256')
    .update(fs.readFileSync(file))
    .digest('hex');
}

function readVersion(pomText, property, fallback) {
  const match = pomText.match(
    new RegExp(`<${property.replace(/\./g, '\\.')}>([^<]+)</`),
  );
  return match ? match[1].trim() : fallback;
}

function listJars(dir) {
  try {
    return fs.readdirSync(dir).filter(name => name.endsWith('.jar'));
  } catch {
    return [];
  }
}

function isComplete(pomHash) {
  try {
    const marker = fs.readFileSync(MARKER, 'utf8').trim();
    return marker === pomHash && listJars(AGENTS_DIR).length > 0;
  } catch {
    return false;
  }
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Removes staging folders left behind by fetches that were killed. */
function removeStaleStaging() {
  for (const name of fs.readdirSync(RUNTIME_DIR)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const pid = Number(name.slice(STAGING_PREFIX.length));
    if (Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) continue;
    fs.rmSync(path.join(RUNTIME_DIR, name), { recursive: true, force: true });
  }
}

function requireTool(command, versionArgs, installHint) {
  const result = spawnSync(command, versionArgs, {
    stdio: 'ignore',
    shell: IS_WINDOWS,
    timeout: 60_000,
  });
  if (result.error && result.error.code === 'ENOENT') {
    fail(`'${command}' was not found on PATH. ${installHint}`);
  }
  if (result.error || result.status !== 0) {
    fail(
      `'${command} ${versionArgs.join(' ')}' failed (${
        result.error ? result.error.message : `exit code ${result.status}`
      }). ${installHint}`,
    );
  }
}

function runMaven(mavenArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', mavenArgs, {
      cwd: RUNTIME_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: IS_WINDOWS,
    });
    // Maven's quiet output is only interesting when it fails.
    const output = [];
    child.stdout.on('data', chunk => output.push(chunk));
    child.stderr.on('data', chunk => output.push(chunk));
    const forward = signal => {
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.removeListener('SIGINT', forward);
      process.removeListener('SIGTERM', forward);
      if (code === 0) {
        resolve();
        return;
      }
      // Strip ANSI colour codes some Maven builds print even in batch mode.
      const text = Buffer.concat(output)
        .toString('utf8')
        .replace(/\u001b\[[0-9;]*m/g, '')
        .trim();
      if (text) process.stderr.write(`${text}\n`);
      reject(
        new Error(
          `Maven failed (${signal ? `signal ${signal}` : `exit code ${code}`})`,
        ),
      );
    });
  });
}

/** Replaces `target` with `source` (both directories on the same filesystem). */
function swapIn(source, target) {
  const old = path.join(
    RUNTIME_DIR,
    `${STAGING_PREFIX}old-${process.pid}-${path.basename(target)}`,
  );
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(source, target);
  fs.rmSync(old, { recursive: true, force: true });
}

async function main() {
  if (!fs.existsSync(POM)) fail(`${rel(POM)} not found`);
  const pomText = fs.readFileSync(POM, 'utf8');
  const pomHash = sha256(POM);
  const kafkaVersion = readVersion(pomText, 'kafka.version', 'unknown');

  if (!force && isComplete(pomHash)) {
    log(
      `Kafka ${kafkaVersion} runtime already present in ${rel(RUNTIME_DIR)} (${
        listJars(LIBS_DIR).length
      } jars)`,
    );
    return;
  }

  requireTool(
    'java',
    ['-version'],
    'Install a Java runtime (17 or newer), e.g. `apt-get install openjdk-17-jre-headless`, or put it on PATH.',
  );
  requireTool(
    'mvn',
    ['-v'],
    'Install Apache Maven 3.6 or newer, e.g. `apt-get install maven`, or put it on PATH.',
  );

  removeStaleStaging();
  const staging = path.join(RUNTIME_DIR, `${STAGING_PREFIX}${process.pid}`);
  const stagingLibs = path.join(staging, 'libs');
  const stagingAgents = path.join(staging, 'agents');
  fs.mkdirSync(staging, { recursive: true });
  const cleanup = () => fs.rmSync(staging, { recursive: true, force: true });
  process.on('exit', cleanup);

  log(
    `fetching Kafka ${kafkaVersion} runtime via Maven into ${rel(
      RUNTIME_DIR,
    )} ...`,
  );
  const started = Date.now();
  try {
    await runMaven([
      '-B',
      '-q',
      '-Dstyle.color=never',
      '-f',
      POM,
      `-Dkafka.runtime.libs=${stagingLibs}`,
      `-Dkafka.runtime.agents=${stagingAgents}`,
      'package',
    ]);
  } catch (e) {
    fail(`${e.message}; ${rel(LIBS_DIR)} was left unchanged.`);
  }

  const jars = listJars(stagingLibs);
  if (jars.length === 0 || listJars(stagingAgents).length === 0) {
    fail(
      'Maven succeeded but produced no jars; check test/kafka-runtime/pom.xml.',
    );
  }

  // Another fetch may have finished meanwhile; keep its result.
  if (!force && isComplete(pomHash)) {
    log(`runtime was completed concurrently; discarding this download`);
    return;
  }

  fs.writeFileSync(path.join(stagingLibs, '.complete'), `${pomHash}\n`);
  // agents/ first: a libs/ carrying the marker implies agents/ is in place.
  swapIn(stagingAgents, AGENTS_DIR);
  swapIn(stagingLibs, LIBS_DIR);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(
    `done: ${jars.length} jars in ${rel(LIBS_DIR)}, agent in ${rel(
      AGENTS_DIR,
    )} (${seconds}s)`,
  );
}

main().catch(e => fail(e && e.stack ? e.stack : String(e)));
