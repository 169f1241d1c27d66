import { InputError } from '@backstage/errors';
import * as path from 'path';

const MAX_SEGMENT = 200;

/**
 * Checks that `value` can be one folder name under the work directory:
 * nothing that climbs out of it (`..`, a slash) or that the file system
 * cannot hold (NUL, other control characters).
 */
export function safeSegment(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x1f\x7f/\\]/.exec(value);
  let reason: string | undefined;
  if (value.length === 0 || value === '.') reason = 'it is empty';
  else if (value.includes('..')) reason = 'it contains ".."';
  else if (bad) reason = `it contains ${JSON.stringify(bad[0])}`;
  else if (value.length > MAX_SEGMENT) {
    reason = `it is longer than ${MAX_SEGMENT} characters`;
  }
  if (reason) {
    throw new InputError(
      `${what} ${JSON.stringify(
        value,
      )} cannot name a folder of the local deploy target: ${reason}; use letters, digits, ".", "-" and "_"`,
    );
  }
  return value;
}

/**
 * The folder name of a deployment: `mirrormaker:default/dc1-to-dc2` becomes
 * `mirrormaker.default.dc1-to-dc2`. Lower case, because entity refs compare
 * without case. Kind and namespace hold no dots, so names cannot collide.
 */
export function deploymentDirName(deploymentRef: string): string {
  const match = /^(?:([^:/]*):)?(?:([^/]*)\/)?(.*)$/s.exec(deploymentRef)!;
  const [, kind = 'mirrormaker', namespace = 'default', name] = match;
  const what = `deployment ref ${JSON.stringify(deploymentRef)}:`;
  return [
    safeSegment(kind, `${what} kind`),
    safeSegment(namespace, `${what} namespace`),
    safeSegment(name, `${what} name`),
  ]
    .join('.')
    .toLowerCase();
}

/** Where the files of one node of a deployment live on this host. */
export interface NodePaths {
  /** `<workDir>/<deployment>/<host>` */
  root: string;
  configDir: string;
  binDir: string;
  logDir: string;
  runDir: string;
  /** Free ports remembered for the node. */
  portsFile: string;
  script(index: number): string;
  /** stdout and stderr of the start script and the JVM. */
  outFile(index: number): string;
  /** The log4j file the rendered configuration writes. */
  logFile(index: number): string;
  stateFile(index: number): string;
}

export function nodePaths(
  workDir: string,
  deploymentDir: string,
  host: string,
): NodePaths {
  const root = path.join(
    workDir,
    deploymentDir,
    safeSegment(host, 'spec.placement.nodes entry'),
  );
  const configDir = path.join(root, 'config');
  const binDir = path.join(root, 'bin');
  const logDir = path.join(root, 'logs');
  const runDir = path.join(root, 'run');
  return {
    root,
    configDir,
    binDir,
    logDir,
    runDir,
    portsFile: path.join(runDir, 'ports.json'),
    script: i => path.join(binDir, `kafka-mirror-maker-${i}.sh`),
    outFile: i => path.join(logDir, `process-${i}.out`),
    logFile: i => path.join(logDir, `kafka-mirror-maker-${i}.log`),
    stateFile: i => path.join(runDir, `process-${i}.json`),
  };
}

/** Whether `file` lies inside `dir` (both absolute). */
export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, path.resolve(file));
  return (
    relative.length > 0 &&
    !relative.startsWith('..') &&
    !path.isAbsolute(relative)
  );
}
