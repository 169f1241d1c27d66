#!/usr/bin/env node
/*
 * Regenerates the typed server router of a backend plugin from its
 * src/schema/openapi.yaml (`backstage-repo-tools package schema openapi
 * generate --server`). repo-tools runs `yarn backstage-cli ...` and
 * `yarn prettier ...` after generating; this repository uses npm
 * workspaces, so a `yarn` shim that forwards to the local binaries is put
 * first on PATH for the run.
 *
 * Usage: node scripts/generate-openapi.js [package dir] [--check]
 *   --check  fails when the committed generated files differ from a fresh
 *            generation (used by `npm test`).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const packageDir = path.resolve(
  root,
  args.find(a => !a.startsWith('--')) ?? 'plugins/mirror-maker-backend',
);
const generatedDir = path.join(packageDir, 'src/schema/openapi');

const shimDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yarn-shim-'));
try {
  fs.writeFileSync(
    path.join(shimDir, 'yarn'),
    `#!/bin/sh\nexec npx --no-install "$@"\n`,
    { mode: 0o755 },
  );
  const before = check ? snapshot(generatedDir) : undefined;
  const run = spawnSync(
    path.join(root, 'node_modules/.bin/backstage-repo-tools'),
    ['package', 'schema', 'openapi', 'generate', '--server'],
    {
      cwd: packageDir,
      stdio: check ? 'pipe' : 'inherit',
      env: { ...process.env, PATH: `${shimDir}:${process.env.PATH}` },
    },
  );
  if (run.status !== 0) {
    if (check) process.stderr.write(`${run.stdout}${run.stderr}`);
    throw new Error(`OpenAPI generation failed (exit ${run.status})`);
  }
  if (check) {
    const after = snapshot(generatedDir);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      f => before.get(f) !== after.get(f),
    );
    if (changed.length > 0) {
      console.error(
        `The generated OpenAPI files are out of date with ${path.relative(
          root,
          path.join(packageDir, 'src/schema/openapi.yaml'),
        )}:\n  ${changed.join(
          '\n  ',
        )}\nRun: node scripts/generate-openapi.js and commit the result.`,
      );
      process.exitCode = 1;
    } else {
      console.log('OpenAPI router is up to date with openapi.yaml');
    }
  }
} finally {
  fs.rmSync(shimDir, { recursive: true, force: true });
}

function snapshot(dir) {
  const files = new Map();
  const walk = d => {
    if (!fs.existsSync(d)) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else files.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return files;
}
