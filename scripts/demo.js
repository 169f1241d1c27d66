#!/usr/bin/env node
// `npm run demo`: installs what is missing, builds the app, then starts two
// local Kafka clusters (dc1, dc2) and Backstage (scripts/demo-main.ts).
// Ctrl-C stops everything it started.
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const setup = require('./lib/setup');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory()
      ? newestMtime(full)
      : fs.statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

function ensureAppBuilt() {
  const appDir = path.join(setup.ROOT, 'packages', 'app');
  const index = path.join(appDir, 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(path.join(appDir, 'src')),
    newestMtime(path.join(setup.ROOT, 'plugins', 'mirror-maker', 'src')),
    newestMtime(path.join(setup.ROOT, 'plugins', 'mirror-maker-common', 'src')),
  );
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs > sources) {
    setup.log('the app is built');
    return;
  }
  setup.log('building the app (packages/app) ...');
  const started = Date.now();
  const status = setup.run(
    'npx',
    ['--no-install', 'backstage-cli', 'package', 'build'],
    {
      cwd: appDir,
      // A production build; an inherited NODE_ENV=test (from a test runner)
      // would select a browserslist environment the bundler cannot use.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (status !== 0)
    throw new Error(`building the app failed with exit code ${status}`);
  setup.log(`app built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function main() {
  setup.ensureInstall();
  setup.ensureKafkaRuntime();
  ensureAppBuilt();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(__dirname, 'demo-main.ts'),
      ...process.argv.slice(2),
    ],
    { cwd: setup.ROOT, stdio: 'inherit' },
  );
  // The terminal's Ctrl-C reaches the child too; it stops everything and exits.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

try {
  main();
} catch (error) {
  process.stderr.write(`npm run demo: ${error.message}\n`);
  process.exit(1);
}
