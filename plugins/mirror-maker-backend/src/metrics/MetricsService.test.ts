import { summarize } from './MetricsService';

const T0 = Date.parse('2026-11-24T12:00:00Z');

/** A lag series sampled every 10 s: a sawtooth that drops at each 60 s commit. */
function sawtooth(troughs: number[], climb = 600) {
  return troughs.flatMap((trough, c) =>
    Array.from({ length: 6 }, (_, i) => ({
      at: new Date(T0 + (c * 6 + i) * 10_000).toISOString(),
      inPerSec: 60,
      outPerSec: 60,
      lag: trough + i * (climb / 6),
    })),
  );
}

const base = {
  processes: [
    {
      host: 'mm1',
      index: 1,
      source: 'prometheus',
      up: true,
      droppedMessages: 0,
      observedAt: new Date(T0).toISOString(),
    },
  ],
  heartbeat: { deploymentRef: 'mirrormaker:default/a', replicated: true },
  heartbeatLimitMs: 60_000,
  commitIntervalMs: 60_000,
};
const lag = {
  cluster: 'dc1',
  groupId: 'g',
  observedAt: new Date(T0).toISOString(),
  reachable: true,
  totalLag: 0,
  partitionCount: 1,
  partitionsWithoutCommit: 0,
  topics: [],
};

describe('summarize', () => {
  it('calls a steady sawtooth between commits ok, not lagging', () => {
    expect(
      summarize({ ...base, lag, throughput: sawtooth([0, 5, 0, 3, 0, 2]) }),
    ).toEqual({ state: 'ok', messages: [] });
  });

  it('calls rising troughs lagging, with the figures', () => {
    const status = summarize({
      ...base,
      lag,
      throughput: sawtooth([0, 500, 1000, 1500, 2000, 2500]),
    });
    expect(status.state).toBe('lagging');
    expect(status.messages[0]).toMatch(
      /^lag keeps growing: at least 2300 records behind, up from 1500 over 90 s$/,
    );
  });

  it('ranks the worst first and keeps every reason', () => {
    const status = summarize({
      ...base,
      lag: { reachable: false, error: 'cluster "dc1" cannot be reached' },
      throughput: [],
      processes: [
        { ...base.processes[0], up: false, error: 'refused' },
        { ...base.processes[0], index: 2, droppedMessages: 7 },
      ],
      heartbeat: { ...base.heartbeat, lastLatencyMs: 90_000 },
    });
    expect(status.state).toBe('unknown');
    expect(status.messages).toEqual([
      'lag unknown: cluster "dc1" cannot be reached',
      '1 of 2 processes are down',
      '7 records were dropped (not written to the target)',
      'heartbeat latency 90.0 s is above 60 s',
    ]);
  });

  it('says down when no process answers', () => {
    expect(
      summarize({
        ...base,
        lag,
        throughput: [],
        processes: [{ ...base.processes[0], up: false }],
      }).state,
    ).toBe('down');
  });
});
