#!/usr/bin/env node
// `npm test`: installs what is missing, then runs the type check, lint, unit
// tests and integration tests (real Kafka, real PostgreSQL), and prints one
// summary line.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const setup = require('./lib/setup');

async function main() {
  const started = Date.now();
  setup.ensureInstall();
  setup.ensureKafkaRuntime();
  setup.ensureAptPackages({
    chromium: '/usr/bin/chromium', // the demo test's browser
    shellcheck: '/usr/bin/shellcheck', // generated start scripts
    systemd: '/usr/bin/systemd-analyze', // generated units (verify only; nothing runs)
    prometheus: '/usr/bin/promtool', // generated alert rules and scrape config
    'ansible-core': '/usr/bin/ansible', // generated inventory and group_vars
    'python3-yaml': '/usr/lib/python3/dist-packages/yaml/__init__.py', // YAML 1.1 read-back
    'openssh-server': '/usr/sbin/sshd', // the ssh deploy target's test, on a loopback port
  });
  const postgresUrl = await setup.ensurePostgres();

  const env = {
    ...process.env,
    CI: 'true', // jest without watch mode
    BACKSTAGE_TEST_DISABLE_DOCKER: '1',
    BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ||
      postgresUrl,
  };
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-test-'));
  const npx = (...args) => ['npx', ['--no-install', ...args]];
  const steps = [
    // Emits declarations to dist-types, which the build step packages.
    { name: 'type check', cmd: npx('tsc') },
    { name: 'lint', cmd: npx('backstage-cli', 'repo', 'lint') },
    {
      // openapi.yaml and the generated typed router must agree; regenerate
      // with `node scripts/generate-openapi.js`.
      name: 'openapi',
      cmd: npx('backstage-repo-tools', 'repo', 'schema', 'openapi', 'validate'),
      env: { NODE_OPTIONS: '--import tsx' },
    },
    {
      name: 'format',
      cmd: npx('prettier', '--check', '--loglevel', 'warn', '.'),
    },
    { name: 'build', cmd: npx('backstage-cli', 'repo', 'build', '--all') },
    {
      name: 'unit tests',
      report: path.join(reportDir, 'unit.json'),
      cmd: npx(
        'backstage-cli',
        'repo',
        'test',
        '--json',
        `--outputFile=${path.join(reportDir, 'unit.json')}`,
      ),
    },
    {
      name: 'integration tests',
      report: path.join(reportDir, 'integration.json'),
      cmd: [
        'npm',
        [
          '--workspace',
          '@mirrormaker/e2e-tests',
          'run',
          'test:integration',
          '--',
          '--json',
          `--outputFile=${path.join(reportDir, 'integration.json')}`,
        ],
      ],
    },
  ];

  const results = [];
  let passed = 0;
  let failed = 0;
  for (const step of steps) {
    setup.log(`--- ${step.name} ---`);
    const t0 = Date.now();
    const status = setup.run(step.cmd[0], step.cmd[1], {
      env: { ...env, ...step.env },
    });
    const seconds = (Date.now() - t0) / 1000;
    results.push({ name: step.name, ok: status === 0, seconds });
    if (step.report && fs.existsSync(step.report)) {
      const report = JSON.parse(fs.readFileSync(step.report, 'utf8'));
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      if (status === 0 && report.numTotalTests === 0) {
        results[results.length - 1].ok = false;
        setup.log(`${step.name}: no test ran`);
      }
    } else if (step.report) {
      failed += 1; // the runner died before writing its report
    }
  }

  setup.log('--- summary ---');
  for (const r of results) {
    setup.log(
      `${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(0)} s)`,
    );
  }
  setup.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
  process.exit(results.every(r => r.ok) && failed === 0 ? 0 : 1);
}

main().catch(error => {
  process.stderr.write(`npm test: ${error.message}\n`);
  process.exit(1);
});
