/**
 * Process-wide bookkeeping of live child JVMs so that none outlives the Node
 * process: on 'exit', and on SIGINT/SIGTERM/SIGHUP when the application has
 * no handler of its own for them, every live child (and its process group)
 * is killed synchronously and registered temporary folders are removed.
 * The handlers are installed only while something is registered, so they
 * never keep a test runner busy or change its signal handling afterwards.
 *
 * This complements the stdin-pipe watchdog in the process wrapper, which also
 * covers the Node process being killed with SIGKILL.
 */

export interface Killable {
  /** Kills the process (and its group) immediately and synchronously. */
  killNow(): void;
}

const liveProcesses = new Set<Killable>();
const exitCleanups = new Set<() => void>();
let installed = false;

function runExitCleanups(): void {
  for (const proc of Array.from(liveProcesses)) {
    try {
      proc.killNow();
    } catch {
      // best effort while exiting
    }
  }
  for (const cleanup of Array.from(exitCleanups)) {
    try {
      cleanup();
    } catch {
      // best effort while exiting
    }
  }
}

function onExit(): void {
  runExitCleanups();
}

function onSignal(signal: NodeJS.Signals): void {
  // If the application handles this signal itself (e.g. a demo that stops
  // its test bed gracefully), leave the shutdown to it; the 'exit' handler
  // and the stdin watchdog still guarantee that no JVM survives.
  if (process.listeners(signal).some(listener => listener !== onSignal)) return;
  runExitCleanups();
  uninstall(true);
  // Nobody else handles it: let the signal take its default course.
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

function uninstall(force = false): void {
  if (!installed) return;
  if (!force && (liveProcesses.size > 0 || exitCleanups.size > 0)) return;
  installed = false;
  process.removeListener('exit', onExit);
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  process.removeListener('SIGHUP', onSignal);
}

/** Tracks a live child process; returns a function that untracks it. */
export function trackProcess(proc: Killable): () => void {
  liveProcesses.add(proc);
  install();
  return () => {
    liveProcesses.delete(proc);
    uninstall();
  };
}

/** Registers a synchronous cleanup to run if the process exits early; returns an unregister function. */
export function registerExitCleanup(cleanup: () => void): () => void {
  exitCleanups.add(cleanup);
  install();
  return () => {
    exitCleanups.delete(cleanup);
    uninstall();
  };
}

/** Number of child processes currently tracked (useful in tests). */
export function liveProcessCount(): number {
  return liveProcesses.size;
}

/** Kills every tracked child process immediately. */
export function killAllProcesses(): void {
  for (const proc of Array.from(liveProcesses)) {
    try {
      proc.killNow();
    } catch {
      // ignore
    }
  }
}
