import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { JavaProcess, watchdogBashArgs } from './javaProcess';

export interface ScriptProcessOptions {
  /** The script to run with bash, e.g. a rendered kafka-mirror-maker-1.sh. */
  script: string;
  args?: string[];
  name?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** File that receives the script's stdout and stderr. */
  outFile?: string;
}

/**
 * Runs a start script (one that ends in `exec java ...`) under the same
 * stdin watchdog as the test bed's own JVMs, so the JVM it becomes cannot
 * outlive the test run.
 */
export function startScriptProcess(options: ScriptProcessOptions): JavaProcess {
  let outFd: number | undefined;
  if (options.outFile) {
    fs.mkdirSync(path.dirname(options.outFile), { recursive: true });
    outFd = fs.openSync(options.outFile, 'a');
  }
  const command = ['bash', options.script, ...(options.args ?? [])];
  let child: ChildProcess;
  try {
    child = spawn('bash', watchdogBashArgs(command), {
      cwd: options.cwd ?? path.dirname(options.script),
      env: { ...process.env, ...(options.env ?? {}) },
      detached: true,
      stdio: ['pipe', outFd ?? 'pipe', outFd ?? 'pipe'],
    });
  } finally {
    if (outFd !== undefined) fs.closeSync(outFd);
  }
  return new JavaProcess(child, {
    name: options.name ?? path.basename(options.script),
    mainClass: 'kafka.tools.MirrorMaker',
    outFile: options.outFile,
    command,
  });
}
