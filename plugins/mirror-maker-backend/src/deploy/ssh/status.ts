import { ProcessStatus } from '@mirrormaker/plugin-mirror-maker-node';
import { ProcessLayout } from './layout';

/** What status parsing needs of a known process. */
export interface StatusInput {
  layout: ProcessLayout;
  /** When the target last started or stopped it, for states without a time of their own. */
  since: string;
}

function base(p: StatusInput) {
  return { host: p.layout.host, index: p.layout.index, restarts: 0 };
}

/** `Thu 2024-05-02 10:11:12 UTC` (systemctl under TZ=UTC) as ISO 8601. */
function systemdTime(value: string | undefined): string | undefined {
  const match = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC/.exec(value ?? '');
  return match ? `${match[1]}T${match[2]}.000Z` : undefined;
}

/** Reads `systemctl show` output: blocks of `Key=Value` lines, one per unit. */
export function parseSystemdShow(
  output: string,
  processes: StatusInput[],
): ProcessStatus[] {
  const units = new Map<string, Map<string, string>>();
  for (const block of output.split(/\n\s*\n/)) {
    const properties = new Map<string, string>();
    for (const line of block.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) properties.set(line.slice(0, eq), line.slice(eq + 1));
    }
    const id = properties.get('Id');
    if (id) units.set(id, properties);
  }
  return processes.map((p): ProcessStatus => {
    const properties = units.get(p.layout.unit);
    if (!properties) {
      return {
        ...base(p),
        state: 'failed',
        since: p.since,
        message: `systemctl show said nothing about ${p.layout.unit}`,
      };
    }
    const since =
      systemdTime(properties.get('StateChangeTimestamp')) ?? p.since;
    const restarts = Number(properties.get('NRestarts') ?? 0) || 0;
    const pid = Number(properties.get('MainPID') ?? 0);
    const common = {
      ...base(p),
      restarts,
      since,
      ...(pid > 0 ? { pid } : {}),
    };
    if (properties.get('LoadState') === 'not-found') {
      return {
        ...common,
        state: 'stopped',
        message: `${p.layout.unit} is not installed`,
      };
    }
    const sub = properties.get('SubState');
    switch (properties.get('ActiveState')) {
      case 'active':
      case 'reloading':
        return { ...common, state: 'running' };
      case 'activating':
        return sub === 'auto-restart'
          ? {
              ...common,
              state: 'restarting',
              message: `systemd restarts it after it exited (${properties.get(
                'Result',
              )})`,
            }
          : { ...common, state: 'starting' };
      case 'failed':
        return {
          ...common,
          state: 'failed',
          message: `${p.layout.unit} failed (${properties.get(
            'Result',
          )}); see journalctl -u ${p.layout.unit}`,
        };
      case 'deactivating':
        return { ...common, state: 'stopped', message: 'stopping' };
      default:
        return { ...common, state: 'stopped' };
    }
  });
}

/** Reads the lines of the direct-mode status command (see directStatus). */
export function parseDirectStatus(
  output: string,
  processes: StatusInput[],
): ProcessStatus[] {
  const states = new Map<
    number,
    { state: string; pid: number; since: number }
  >();
  const logs = new Map<number, string[]>();
  for (const line of output.split('\n')) {
    const state = /^(\d+) (stopped|running|exited)(?: (\d+) (\d+))?$/.exec(
      line,
    );
    if (state) {
      states.set(Number(state[1]), {
        state: state[2],
        pid: Number(state[3] ?? 0),
        since: Number(state[4] ?? 0),
      });
      continue;
    }
    const log = /^(\d+) log (.*)$/.exec(line);
    if (log) {
      const index = Number(log[1]);
      logs.set(index, [...(logs.get(index) ?? []), log[2]]);
    }
  }
  return processes.map((p): ProcessStatus => {
    const found = states.get(p.layout.index);
    if (!found) {
      return {
        ...base(p),
        state: 'failed',
        since: p.since,
        message: 'the status command said nothing about it',
      };
    }
    const since =
      found.since > 0 ? new Date(found.since * 1000).toISOString() : p.since;
    if (found.state === 'running') {
      return { ...base(p), state: 'running', pid: found.pid, since };
    }
    if (found.state === 'exited') {
      const tail = logs.get(p.layout.index) ?? [];
      return {
        ...base(p),
        state: 'failed',
        since,
        message: `exited without being stopped (pid ${found.pid})${
          tail.length > 0
            ? `; last lines of ${p.layout.outFile}: ${tail.join(' | ')}`
            : ''
        }`,
      };
    }
    return { ...base(p), state: 'stopped', since: p.since };
  });
}
