import { layoutOf } from './layout';
import { parseDirectStatus, parseSystemdShow, StatusInput } from './status';
import { NODE, testRequest } from './__testUtils__/requests';

const SINCE = '2024-01-01T00:00:00.000Z';
const request = testRequest('/srv/mm');
const processes: StatusInput[] = [1, 2].map(index => ({
  layout: layoutOf(request, { host: NODE, index }),
  since: SINCE,
}));

function show(unit: string, properties: Record<string, string>): string {
  return [
    `Id=${unit}`,
    ...Object.entries(properties).map(([k, v]) => `${k}=${v}`),
  ].join('\n');
}

describe('parseSystemdShow', () => {
  const unit = (i: number) => `kafka-mirror-maker-dc1-to-dc2-${i}.service`;

  it('maps unit states to process states', () => {
    const cases: [Record<string, string>, object][] = [
      [
        {
          LoadState: 'loaded',
          ActiveState: 'active',
          SubState: 'running',
          MainPID: '4242',
          NRestarts: '0',
          StateChangeTimestamp: 'Thu 2024-05-02 10:11:12 UTC',
        },
        {
          state: 'running',
          pid: 4242,
          restarts: 0,
          since: '2024-05-02T10:11:12.000Z',
        },
      ],
      [
        {
          LoadState: 'loaded',
          ActiveState: 'activating',
          SubState: 'auto-restart',
          NRestarts: '3',
          Result: 'exit-code',
        },
        {
          state: 'restarting',
          restarts: 3,
          message: expect.stringContaining('exit-code'),
        },
      ],
      [
        { LoadState: 'loaded', ActiveState: 'activating', SubState: 'start' },
        { state: 'starting' },
      ],
      [
        {
          LoadState: 'loaded',
          ActiveState: 'failed',
          SubState: 'failed',
          Result: 'exit-code',
          NRestarts: '5',
        },
        {
          state: 'failed',
          restarts: 5,
          message: expect.stringContaining('journalctl -u'),
        },
      ],
      [
        {
          LoadState: 'not-found',
          ActiveState: 'inactive',
          SubState: 'dead',
          MainPID: '0',
        },
        {
          state: 'stopped',
          message: `${unit(1)} is not installed`,
          since: SINCE,
        },
      ],
      [
        {
          LoadState: 'loaded',
          ActiveState: 'inactive',
          SubState: 'dead',
          MainPID: '0',
          StateChangeTimestamp: '',
        },
        { state: 'stopped', since: SINCE },
      ],
    ];
    for (const [properties, expected] of cases) {
      const [status] = parseSystemdShow(
        show(unit(1), properties),
        processes.slice(0, 1),
      );
      expect(status).toMatchObject({ host: NODE, index: 1, ...expected });
      const pid = Number(properties.MainPID ?? 0);
      expect(status.pid).toBe(pid > 0 ? pid : undefined);
    }
  });

  it('reads several blocks, in any order, and notices a missing one', () => {
    const output = `${show(unit(2), { ActiveState: 'active' })}\n\n${show(
      unit(9),
      {},
    )}\n`;
    const statuses = parseSystemdShow(output, processes);
    expect(statuses.map(s => [s.index, s.state])).toEqual([
      [1, 'failed'],
      [2, 'running'],
    ]);
    expect(statuses[0].message).toBe(
      `systemctl show said nothing about ${unit(1)}`,
    );
  });
});

describe('parseDirectStatus', () => {
  it('reads running, stopped and exited processes', () => {
    const output = [
      'some banner from a login script',
      '1 running 777 1714644672',
      '2 exited 778 1714644600',
      '2 log java.lang.OutOfMemoryError: Java heap space',
      '2 log 1 log that looks like a status',
      '',
    ].join('\n');
    expect(parseDirectStatus(output, processes)).toEqual([
      {
        host: NODE,
        index: 1,
        state: 'running',
        pid: 777,
        restarts: 0,
        since: '2024-05-02T10:11:12.000Z',
      },
      {
        host: NODE,
        index: 2,
        state: 'failed',
        restarts: 0,
        since: '2024-05-02T10:10:00.000Z',
        message:
          'exited without being stopped (pid 778); last lines of /srv/mm/logs/process-2.out: java.lang.OutOfMemoryError: Java heap space | 1 log that looks like a status',
      },
    ]);
    expect(parseDirectStatus('1 stopped\n', processes)).toEqual([
      { host: NODE, index: 1, state: 'stopped', restarts: 0, since: SINCE },
      {
        host: NODE,
        index: 2,
        state: 'failed',
        restarts: 0,
        since: SINCE,
        message: 'the status command said nothing about it',
      },
    ]);
  });
});
