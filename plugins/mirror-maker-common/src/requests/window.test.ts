import {
  isInMaintenanceWindow,
  MaintenanceWindow,
  nextMaintenanceWindowStart,
  parseMaintenanceWindow,
} from './window';

function parsed(value: string): MaintenanceWindow {
  const result = parseMaintenanceWindow(value);
  if ('error' in result) throw new Error(result.error);
  return result.window;
}

// 2026-11-28 is a Saturday.
const at = (iso: string) => new Date(iso);

describe('parseMaintenanceWindow', () => {
  it.each([
    ['Sat,Sun 02:00-04:00', [0, 6], 120, 240],
    ['Mon-Fri 22:00-02:00', [1, 2, 3, 4, 5], 1320, 120],
    ['* 00:00-24:00', [0, 1, 2, 3, 4, 5, 6], 0, 1440],
    ['daily 03:30-04:00', [0, 1, 2, 3, 4, 5, 6], 210, 240],
    ['fri-mon 01:00-02:00', [0, 1, 5, 6], 60, 120],
    ['  Mon,Wed-Thu   10:00-11:00 ', [1, 3, 4], 600, 660],
  ])('reads %p', (value, days, start, end) => {
    expect(parseMaintenanceWindow(value)).toEqual({
      window: { days, start, end },
    });
  });

  it.each([
    ['', /not of the form/],
    ['Sat 02:00', /not a time range/],
    ['Someday 02:00-04:00', /"someday" is not a day/],
    ['Mon-Tue-Wed 02:00-04:00', /not a day or a range/],
    ['Sat 2:00-04:00', /not a time range/],
    ['Sat 02:00-24:30', /not a time range/],
    ['Sat 24:00-02:00', /not a time range/],
    ['Sat 02:60-03:00', /not a time range/],
    ['Sat 02:00-02:00', /empty window/],
    ['Sat 02:00-04:00 extra', /not of the form/],
    ['x'.repeat(101), /more than 100/],
  ])('refuses %p, saying what is accepted', (value, message) => {
    const result = parseMaintenanceWindow(value);
    expect(result).toEqual({ error: expect.stringMatching(message) });
    expect((result as { error: string }).error).toContain(
      'Sat,Sun 02:00-04:00',
    );
  });

  it('refuses what is not text', () => {
    expect(parseMaintenanceWindow(42)).toEqual({
      error: expect.stringContaining('is not text'),
    });
  });
});

describe('isInMaintenanceWindow', () => {
  const weekend = parsed('Sat,Sun 02:00-04:00');
  const nights = parsed('Mon-Fri 22:00-02:00');

  it('is inside from the start up to, not including, the end', () => {
    expect(isInMaintenanceWindow(weekend, at('2026-11-28T01:59:59Z'))).toBe(
      false,
    );
    expect(isInMaintenanceWindow(weekend, at('2026-11-28T02:00:00Z'))).toBe(
      true,
    );
    expect(isInMaintenanceWindow(weekend, at('2026-11-29T03:59:59Z'))).toBe(
      true,
    );
    expect(isInMaintenanceWindow(weekend, at('2026-11-29T04:00:00Z'))).toBe(
      false,
    );
    // Monday
    expect(isInMaintenanceWindow(weekend, at('2026-11-30T03:00:00Z'))).toBe(
      false,
    );
  });

  it('follows a window past midnight into the next day', () => {
    // Friday 23:00 and Saturday 01:00 belong to Friday's window.
    expect(isInMaintenanceWindow(nights, at('2026-11-27T23:00:00Z'))).toBe(
      true,
    );
    expect(isInMaintenanceWindow(nights, at('2026-11-28T01:00:00Z'))).toBe(
      true,
    );
    // Saturday 23:00: no window starts on Saturday.
    expect(isInMaintenanceWindow(nights, at('2026-11-28T23:00:00Z'))).toBe(
      false,
    );
    // Monday 01:00: Sunday opened no window.
    expect(isInMaintenanceWindow(nights, at('2026-11-30T01:00:00Z'))).toBe(
      false,
    );
    expect(isInMaintenanceWindow(nights, at('2026-11-30T12:00:00Z'))).toBe(
      false,
    );
  });
});

describe('nextMaintenanceWindowStart', () => {
  it('finds the next opening, later today or days ahead', () => {
    const weekend = parsed('Sat,Sun 02:00-04:00');
    expect(
      nextMaintenanceWindowStart(
        weekend,
        at('2026-11-28T01:00:00Z'),
      ).toISOString(),
    ).toBe('2026-11-28T02:00:00.000Z');
    expect(
      nextMaintenanceWindowStart(
        weekend,
        at('2026-11-28T02:00:00Z'),
      ).toISOString(),
    ).toBe('2026-11-29T02:00:00.000Z');
    expect(
      nextMaintenanceWindowStart(
        weekend,
        at('2026-11-30T10:00:00Z'),
      ).toISOString(),
    ).toBe('2026-12-05T02:00:00.000Z');
  });

  it('finds the same day a week ahead when that is the only day', () => {
    const monday = parsed('Mon 10:00-11:00');
    expect(
      nextMaintenanceWindowStart(
        monday,
        at('2026-11-30T10:30:00Z'),
      ).toISOString(),
    ).toBe('2026-12-07T10:00:00.000Z');
  });
});
