import { ConfigReader } from '@backstage/config';
import { demoUserOf, DEMO_USER_HEADER, readDemoUsers } from './demoUsersAuth';

describe('demo users sign-in', () => {
  const allowed = readDemoUsers(
    new ConfigReader({ users: ['user:default/alice', 'Kim'] }),
  );

  it('normalizes the configured refs', () => {
    expect(allowed).toEqual(['user:default/alice', 'user:default/kim']);
  });

  it('refuses a configured group or an empty list', () => {
    expect(() =>
      readDemoUsers(new ConfigReader({ users: ['group:default/admins'] })),
    ).toThrow(/is a group; only User entities can sign in/);
    expect(() => readDemoUsers(new ConfigReader({ users: [] }))).toThrow(
      /is empty/,
    );
  });

  it('signs in as a listed user, by name or ref, any case', () => {
    expect(demoUserOf('alice', allowed)).toBe('user:default/alice');
    expect(demoUserOf('User:Default/KIM', allowed)).toBe('user:default/kim');
    expect(demoUserOf(['kim', 'alice'], allowed)).toBe('user:default/kim');
  });

  it.each([
    [undefined, `needs the ${DEMO_USER_HEADER} header`],
    ['', `needs the ${DEMO_USER_HEADER} header`],
    ['mallory', 'does not name a demo user; accepted: user:default/alice'],
    ['group:default/kafka-platform', 'does not name a demo user'],
    ['user:default/alice\nuser:default/kim', 'does not name a demo user'],
    ['a'.repeat(10_000), 'does not name a demo user'],
    ['user:other/alice', 'does not name a demo user'],
  ])('refuses header %#', (header, message) => {
    expect(() => demoUserOf(header, allowed)).toThrow(message);
  });
});
