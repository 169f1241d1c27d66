import {
  EXTRA_HOSTILE_VALUES,
  HOSTILE_VALUES,
  NUL_VALUES,
} from '../testing/hostile';
import {
  checkRequestInput,
  formatRequestProblems,
  isCalendarDate,
  parseEntityRefInput,
} from './input';

const TODAY = '2026-11-24';
const LEGAL = /^[A-Za-z0-9 ._-]*$/;

function hasLineBreakOrControl(text: string): boolean {
  return [...text].some(c => {
    const code = c.charCodeAt(0);
    return (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2028 ||
      code === 0x2029
    );
  });
}

const valid = {
  team: 'group:default/team-dc2',
  service: 'orders-service',
  topics: ['orders.dc1', 'payments.dc1'],
  sourceDataCentre: 'dc1',
  targetDataCentre: 'dc2',
  reason: 'The dc2 billing job reads orders',
  desiredDate: '2026-12-01',
};

const fields = (body: unknown) =>
  checkRequestInput(body, TODAY).problems.map(p => [p.field, p.severity]);

describe('checkRequestInput', () => {
  it('normalizes a valid request', () => {
    expect(checkRequestInput(valid, TODAY)).toEqual({
      problems: [],
      input: {
        ...valid,
        service: 'component:default/orders-service',
        newDeployment: false,
      },
    });
    expect(
      checkRequestInput(
        { ...valid, team: 'Team-DC2', reason: '  why  ' },
        TODAY,
      ).input,
    ).toMatchObject({ team: 'group:default/team-dc2', reason: 'why' });
  });

  it('names every field that is wrong', () => {
    expect(
      fields({
        team: 'user:default/alice',
        topics: ['orders.dc1', 'bad topic', 'orders.dc1', 7],
        sourceDataCentre: 'dc1',
        targetDataCentre: 'dc1',
        reason: '',
        desiredDate: '2026-02-30',
        newDeployment: 'yes',
        extra: 1,
      }),
    ).toEqual([
      ['extra', 'error'],
      ['team', 'error'],
      ['topics[1]', 'error'],
      ['topics[2]', 'error'],
      ['topics[3]', 'error'],
      ['targetDataCentre', 'error'],
      ['reason', 'error'],
      ['desiredDate', 'error'],
      ['newDeployment', 'error'],
    ]);
  });

  it('says what is accepted', () => {
    const { problems } = checkRequestInput(
      {
        ...valid,
        topics: ['orders.dc1', 'orders.dc1'],
        reason: 'x'.repeat(2001),
      },
      TODAY,
    );
    expect(formatRequestProblems(problems)).toBe(
      'topics[1]: orders.dc1 is listed twice (also topics[0]); reason: is 2001 characters long; at most 2000 are accepted',
    );
  });

  it('wants exactly one of topics and suffix, and a suffix only for a new deployment', () => {
    const { topics, ...noTopics } = valid;
    void topics;
    expect(fields(noTopics)).toEqual([['topics', 'error']]);
    expect(fields({ ...valid, suffix: 'dc1' })).toEqual([['suffix', 'error']]);
    const suffixOnly = checkRequestInput({ ...noTopics, suffix: 'dc1' }, TODAY);
    expect(suffixOnly.problems[0].message).toMatch(/list them in topics/);
    expect(
      checkRequestInput(
        { ...noTopics, suffix: 'dc1', newDeployment: true },
        TODAY,
      ).input,
    ).toMatchObject({ suffix: 'dc1', newDeployment: true });
    expect(fields({ ...valid, topics: [] })).toEqual([['topics', 'error']]);
    expect(
      fields({
        ...valid,
        topics: Array.from({ length: 101 }, (_, i) => `t${i}.dc1`),
      }),
    ).toEqual([['topics', 'error']]);
  });

  it('warns about a desired date in the past', () => {
    expect(
      checkRequestInput({ ...valid, desiredDate: '2026-01-01' }, TODAY),
    ).toMatchObject({
      problems: [{ field: 'desiredDate', severity: 'warning' }],
      input: { desiredDate: '2026-01-01' },
    });
  });

  it('refuses what is not an object', () => {
    for (const body of [null, 'x', [valid], 42]) {
      expect(fields(body)).toEqual([['(body)', 'error']]);
    }
  });

  it('refuses hostile values in every text field without echoing control characters', () => {
    const hostile = [...HOSTILE_VALUES, ...NUL_VALUES, ...EXTRA_HOSTILE_VALUES];
    const failures: string[] = [];
    for (const value of hostile) {
      for (const field of [
        'team',
        'service',
        'sourceDataCentre',
        'targetDataCentre',
        'desiredDate',
      ]) {
        const { problems, input } = checkRequestInput(
          { ...valid, [field]: value },
          TODAY,
        );
        // Only a value that is a legal name gets through, e.g. "plain".
        const accepted = Boolean(input) && LEGAL.test(value.trim());
        const refused =
          !input &&
          problems.some(p => p.field === field) &&
          problems.every(p => !hasLineBreakOrControl(p.message));
        if (!accepted && !refused) {
          failures.push(`${field}=${JSON.stringify(value)}`);
        }
      }
      const topics = checkRequestInput({ ...valid, topics: [value] }, TODAY);
      if (
        !topics.input &&
        (topics.problems[0].field !== 'topics[0]' ||
          hasLineBreakOrControl(topics.problems[0].message))
      ) {
        failures.push(`topics=[${JSON.stringify(value)}]`);
      }
    }
    expect(failures).toEqual([]);
    expect(fields({ ...valid, reason: 'nul\u0000byte' })).toEqual([
      ['reason', 'error'],
    ]);
  });
});

describe('parseEntityRefInput', () => {
  it('normalizes refs and refuses what is not one', () => {
    expect(parseEntityRefInput('team-a', 'group')).toEqual({
      ref: 'group:default/team-a',
    });
    expect(parseEntityRefInput('Group:Ops/Team.A', 'group')).toEqual({
      ref: 'group:ops/team.a',
    });
    expect(parseEntityRefInput('group:a/b/c', 'group')).toEqual({
      error: expect.stringContaining('is not an entity ref'),
    });
    expect(parseEntityRefInput(`x${'a'.repeat(300)}`, 'group')).toEqual({
      error: expect.stringContaining('at most 255'),
    });
    expect(parseEntityRefInput(undefined, 'group')).toEqual({
      error: 'needs an entity ref, e.g. group:default/name',
    });
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['26-01-01', false],
  ])('%p is %p', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});
