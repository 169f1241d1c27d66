import * as fs from 'fs';

/** Fields of /proc/<pid>/stat after the command name, which may hold spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  if (!(Number.isInteger(pid) && pid > 0)) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * When the process started, in clock ticks since boot (field 22 of
 * /proc/<pid>/stat). A pid with another start time is another process
 * that got the number after ours ended.
 */
export function processStartTime(pid: number): string | undefined {
  // Fields from 3 on: index 0 is field 3, the state.
  return statFields(pid)?.[22 - 3];
}

/**
 * Whether the process `pid` that started at `startTime` still runs. A
 * zombie has ended (its exit only waits to be collected).
 */
export function isAlive(pid: number, startTime: string | undefined): boolean {
  const fields = statFields(pid);
  if (!fields || fields[0] === 'Z' || fields[0] === 'X') return false;
  return startTime === undefined || fields[22 - 3] === startTime;
}

/** The executable name of a process (what `exec` changes), if it runs. */
export function processName(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
