import * as fs from 'fs';
import * as path from 'path';
import {
  redactBundle,
  renderBundle,
} from '@mirrormaker/plugin-mirror-maker-common';
import { formatFileProblems, loadAndCheck } from '../load';
import { CommandResult } from './validate';

/** Joins a bundle path under `root`, refusing anything that would land outside it. */
export function safeJoin(root: string, file: string): string {
  const target = path.resolve(root, file.replace(/^\/+/, ''));
  if (target !== root && !target.startsWith(`${root}${path.sep}`)) {
    throw new Error(`refusing to write ${file}: it would land outside ${root}`);
  }
  return target;
}

/**
 * `mirror-maker render <file> --out <dir>`: writes every deployment's bundle
 * to `<dir>/<deployment>/` (per-node files under `nodes/<host>/`), with the
 * files' modes.
 */
export function renderCommand(
  file: string,
  options: { out: string; config: string[]; entity?: string; redact?: boolean },
): CommandResult {
  const checked = loadAndCheck([file], options.config);
  const wanted = (name: string) => !options.entity || name === options.entity;
  const deployments = checked.deployments.filter(d =>
    wanted(d.entity.metadata.name),
  );
  const problems = checked.problems.filter(
    p => p.problem.severity === 'error' && (!p.entity || wanted(p.entity)),
  );
  if (problems.length > 0) {
    return {
      exitCode: 1,
      stdout: `${formatFileProblems(problems)}\nnothing written\n`,
    };
  }
  if (deployments.length === 0) {
    return {
      exitCode: 1,
      stdout: options.entity
        ? `no MirrorMaker entity named ${options.entity} in ${file}\n`
        : `no MirrorMaker entity in ${file}\n`,
    };
  }
  const out = path.resolve(options.out);
  const lines: string[] = [];
  for (const d of deployments) {
    let bundle = renderBundle({
      entity: d.entity,
      source: d.source!,
      target: d.target!,
    });
    if (options.redact) bundle = redactBundle(bundle);
    const root = safeJoin(out, bundle.name);
    const writes: { target: string; mode: number; content: string }[] = [];
    for (const node of bundle.nodes) {
      const nodeRoot = safeJoin(root, path.join('nodes', node.host));
      for (const f of node.files) {
        writes.push({
          target: safeJoin(nodeRoot, f.path),
          mode: f.mode,
          content: f.content,
        });
      }
    }
    for (const f of bundle.files) {
      writes.push({
        target: safeJoin(root, f.path),
        mode: f.mode,
        content: f.content,
      });
    }
    for (const w of writes) {
      fs.mkdirSync(path.dirname(w.target), { recursive: true });
      fs.writeFileSync(w.target, w.content, { mode: w.mode });
      fs.chmodSync(w.target, w.mode); // the umask must not loosen or tighten it
    }
    lines.push(`${bundle.name}: ${writes.length} file(s) in ${root}`);
  }
  return { exitCode: 0, stdout: `${lines.join('\n')}\n` };
}
