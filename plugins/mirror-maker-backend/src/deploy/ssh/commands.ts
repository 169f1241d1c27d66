import { shellQuote } from '@mirrormaker/plugin-mirror-maker-common';
import { ProcessLayout } from './layout';
import {
  requireCount,
  requireFileMode,
  requireRemotePath,
  requireUnitName,
  requireUnixName,
} from './validate';

/*
 * Every command the ssh target runs on a node is built in this file, from
 * fixed strings and values that were checked (./validate) and then passed
 * through shellQuote, or from integers it formats itself. Nothing from a
 * spec, a bundle or the config reaches a command any other way, so a value
 * such as `$(touch /tmp/pwned)` or `a'; rm -rf /` is one literal argument.
 * The commands are POSIX sh: the SSH user's login shell runs them.
 */

const POLL_MS = 200;
/** How long a SIGKILLed process may take to vanish before stop reports it alive. */
const KILL_WAIT_ROUNDS = 25;
/** How long start waits for the new process to show its command line. */
const START_WAIT_ROUNDS = 25;

function q(value: string): string {
  return shellQuote(value);
}

function path(value: string): string {
  return q(requireRemotePath(value, 'path'));
}

function unit(name: string): string {
  return q(requireUnitName(name));
}

/** `sudo -n ` (never prompt: fail instead) when privileged commands need it. */
function privileged(sudo: boolean): string {
  return sudo ? 'sudo -n ' : '';
}

/** Polls of POLL_MS that fill `timeoutMs`; an integer, since it lands in a command. */
function rounds(timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return 1;
  return Math.min(Math.ceil(timeoutMs / POLL_MS), 1_000_000);
}

/*
 * A process of ours: the pid in its pid file runs (not a zombie, whose
 * command line is empty) with our start script or our producer config as
 * one of its arguments. Checking the command line keeps a stale pid file,
 * whose pid the kernel gave to another program since, from killing it.
 */
const OURS = [
  'ours() {',
  '  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] &&',
  `    tr '\\000' '\\n' 2>/dev/null < "/proc/$pid/cmdline" | grep -qxF -e "$script" -e "$producer"`,
  '}',
  'read_pid() {',
  `  pid=$(tr -dc 0-9 2>/dev/null < "$pidfile" | head -c 10)`,
  '}',
].join('\n');

export function daemonReload(sudo: boolean): string {
  return `${privileged(sudo)}systemctl daemon-reload`;
}

/** Enables the unit for boot and (re)starts it: a start is always a fresh process. */
export function systemdStart(name: string, sudo: boolean): string {
  const p = privileged(sudo);
  const u = unit(name);
  return `${p}systemctl enable --quiet -- ${u} && ${p}systemctl restart -- ${u}`;
}

const ACTIVE_STATE = [
  'state() {',
  '  systemctl show -p ActiveState --value -- "$u" 2>/dev/null',
  '}',
  'busy() {',
  '  case "$(state)" in active|activating|deactivating|reloading) return 0 ;; *) return 1 ;; esac',
  '}',
].join('\n');

/**
 * Stops the unit without waiting on its own TimeoutStopSec: SIGTERM (the
 * unit's KillSignal) now, SIGKILL once `timeoutMs` has passed. A unit that
 * does not exist yet (the first rollout) counts as stopped.
 */
export function systemdStop(
  name: string,
  timeoutMs: number,
  sudo: boolean,
): string {
  const p = privileged(sudo);
  return [
    `u=${unit(name)}`,
    ACTIVE_STATE,
    'if [ "$(systemctl show -p LoadState --value -- "$u" 2>/dev/null)" = not-found ]; then echo absent; exit 0; fi',
    `${p}systemctl stop --no-block -- "$u" || exit 1`,
    'n=0',
    `while busy && [ "$n" -lt ${rounds(
      timeoutMs,
    )} ]; do sleep 0.2; n=$((n + 1)); done`,
    'if busy; then',
    `  ${p}systemctl kill --signal=SIGKILL -- "$u" || exit 1`,
    '  n=0',
    `  while busy && [ "$n" -lt ${KILL_WAIT_ROUNDS} ]; do sleep 0.2; n=$((n + 1)); done`,
    '  if busy; then echo "alive"; exit 1; fi',
    '  echo killed',
    'else',
    '  echo stopped',
    'fi',
  ].join('\n');
}

/** Keeps the unit from starting at boot (stopDeployment); absent units are fine. */
export function systemdDisable(name: string, sudo: boolean): string {
  const u = unit(name);
  return `if [ "$(systemctl show -p LoadState --value -- ${u} 2>/dev/null)" != not-found ]; then ${privileged(
    sudo,
  )}systemctl disable --quiet -- ${u}; fi`;
}

/** Properties {@link systemdStatus} asks for, parsed by parseSystemdShow. */
export const SYSTEMD_PROPERTIES = [
  'Id',
  'LoadState',
  'ActiveState',
  'SubState',
  'MainPID',
  'NRestarts',
  'Result',
  'StateChangeTimestamp',
];

/**
 * The state of several units in one round trip. Reading needs no
 * privileges; TZ=UTC makes the timestamps parseable.
 */
export function systemdStatus(names: string[]): string {
  return `TZ=UTC systemctl show -p ${SYSTEMD_PROPERTIES.join(',')} -- ${names
    .map(unit)
    .join(' ')}`;
}

export function systemdLogs(
  name: string,
  lines: number,
  sudo: boolean,
): string {
  return `${privileged(sudo)}journalctl -u ${unit(name)} -n ${requireCount(
    lines,
    'lines',
    100_000,
  )} --no-pager`;
}

function processVariables(layout: ProcessLayout): string {
  return `pidfile=${path(layout.pidFile)} script=${path(
    layout.script,
  )} producer=${path(layout.producerConfig)}`;
}

/**
 * Starts the rendered start script in the background, detached from the
 * SSH session (nohup, stdin from /dev/null, output appended to the out
 * file), and records its pid. The script execs the JVM, so the pid is the
 * JVM's. Waits until the process shows its command line, so a status right
 * after start finds it.
 */
export function directStart(layout: ProcessLayout): string {
  return [
    OURS,
    processVariables(layout),
    `mkdir -p -- ${path(layout.logDir)} || exit 1`,
    `nohup bash -- "$script" >> ${path(layout.outFile)} 2>&1 < /dev/null &`,
    'pid=$!',
    'echo "$pid" > "$pidfile" || exit 1',
    'n=0',
    `while ! ours && [ -d "/proc/$pid" ] && [ "$n" -lt ${START_WAIT_ROUNDS} ]; do sleep 0.2; n=$((n + 1)); done`,
    'echo "started $pid"',
  ].join('\n');
}

/**
 * Stops the process of the pid file: SIGTERM, then SIGKILL once
 * `timeoutMs` has passed, then removes the pid file. Prints `none` (no pid
 * file), `gone` (not running), `stopped <pid>` or `killed <pid>`.
 */
export function directStop(layout: ProcessLayout, timeoutMs: number): string {
  return [
    OURS,
    processVariables(layout),
    'if [ ! -f "$pidfile" ]; then echo none; exit 0; fi',
    'read_pid',
    'if ours; then',
    '  kill -TERM "$pid" 2>/dev/null',
    '  n=0',
    `  while ours && [ "$n" -lt ${rounds(
      timeoutMs,
    )} ]; do sleep 0.2; n=$((n + 1)); done`,
    '  if ours; then',
    '    kill -KILL "$pid" 2>/dev/null',
    '    n=0',
    `    while ours && [ "$n" -lt ${KILL_WAIT_ROUNDS} ]; do sleep 0.2; n=$((n + 1)); done`,
    '    if ours; then echo "alive $pid"; exit 1; fi',
    '    result="killed $pid"',
    '  else',
    '    result="stopped $pid"',
    '  fi',
    'else',
    '  result=gone',
    'fi',
    'rm -f -- "$pidfile" || exit 1',
    'echo "$result"',
  ].join('\n');
}

/**
 * The state of several processes on one node in one round trip, a line
 * each: `<i> stopped`, `<i> running <pid> <since>` or `<i> exited <pid>
 * <since>` (pid file left, process gone), the latter followed by the last
 * lines of its out file as `<i> log <line>`.
 */
export function directStatus(layouts: ProcessLayout[]): string {
  const calls = layouts.map(
    l =>
      `status_of ${requireCount(l.index, 'process number', 1000)} ${path(
        l.pidFile,
      )} ${path(l.script)} ${path(l.producerConfig)} ${path(l.outFile)}`,
  );
  return [
    OURS,
    'status_of() {',
    '  i=$1 pidfile=$2 script=$3 producer=$4 out=$5',
    '  if [ ! -f "$pidfile" ]; then echo "$i stopped"; return 0; fi',
    '  read_pid',
    '  since=$(stat -c %Y -- "$pidfile" 2>/dev/null || echo 0)',
    '  if ours; then echo "$i running $pid $since"; return 0; fi',
    '  echo "$i exited ${pid:-0} $since"',
    '  if [ -f "$out" ]; then tail -n 5 -- "$out" | sed "s/^/$i log /"; fi',
    '}',
    ...calls,
  ].join('\n');
}

export function directLogs(layout: ProcessLayout, lines: number): string {
  const out = path(layout.outFile);
  return `if [ -f ${out} ]; then tail -n ${requireCount(
    lines,
    'lines',
    100_000,
  )} -- ${out}; fi`;
}

function owner(user: string, group: string): string {
  return q(
    `${requireUnixName(user, 'spec.install.user')}:${requireUnixName(
      group,
      'spec.install.group',
    )}`,
  );
}

/** Gives uploaded files to the user the unit runs as (before they are renamed into place). */
export function chownFiles(
  paths: string[],
  user: string,
  group: string,
  sudo: boolean,
): string {
  return `${privileged(sudo)}chown -- ${owner(user, group)} ${paths
    .map(path)
    .join(' ')}`;
}

/** The log directory, writable by the unit's user. */
export function ensureLogDir(
  logDir: string,
  user: string,
  group: string,
  sudo: boolean,
): string {
  const p = privileged(sudo);
  const dir = path(logDir);
  return `${p}mkdir -p -- ${dir} && ${p}chown -- ${owner(user, group)} ${dir}`;
}

/** A private staging directory of the SSH user, for installs through sudo. */
export const MAKE_STAGING_DIR = 'mktemp -d';

export function removeStagingDir(dir: string): string {
  return `rm -rf -- ${path(dir)}`;
}

/** A file staged by SFTP, to be installed through sudo. */
export interface StagedFile {
  staged: string;
  /** The temporary name beside the destination. */
  temporary: string;
  destination: string;
  mode: number;
  /** Owner for files the unit's user reads; root keeps the rest. */
  owner?: { user: string; group: string };
}

function parentOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/')) || '/';
}

/**
 * Installs staged files with sudo: copied with their mode (and owner)
 * beside the destination, then renamed over it, so a reader sees the old
 * file or the new one, never a part.
 */
export function sudoInstall(files: StagedFile[]): string {
  const p = privileged(true);
  const lines = files.map(f => {
    const tmp = path(f.temporary);
    const mode = requireFileMode(f.mode, f.destination)
      .toString(8)
      .padStart(4, '0');
    const ownership = f.owner
      ? ` -o ${q(requireUnixName(f.owner.user, 'spec.install.user'))} -g ${q(
          requireUnixName(f.owner.group, 'spec.install.group'),
        )}`
      : '';
    return [
      `${p}mkdir -p -- ${path(parentOf(f.destination))} &&`,
      `${p}install -m ${mode}${ownership} -- ${path(f.staged)} ${tmp} &&`,
      `${p}mv -f -T -- ${tmp} ${path(f.destination)} ||`,
      `{ ${p}rm -f -- ${tmp}; exit 1; }`,
    ].join(' ');
  });
  return lines.join('\n');
}

/**
 * Reads a process's JMX exporter on the node itself (it listens on
 * 127.0.0.1 only), with bash's /dev/tcp so no HTTP client is needed there.
 * The port is the only variable part and must be an integer port number.
 */
export function exporterScrape(port: number): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`exporter port ${port} is not a port number (1-65535)`);
  }
  const script = [
    `exec 3<>/dev/tcp/127.0.0.1/${port}`,
    `printf 'GET /metrics HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' >&3`,
    'cat <&3',
  ].join(' && ');
  return `bash -c ${q(script)}`;
}

/** The body of a raw HTTP/1.0 answer, or undefined unless it is a 200. */
export function httpBody(raw: string): string | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0 || !/^HTTP\/1\.[01] 200/.test(raw)) return undefined;
  return raw.slice(end + 4);
}
