import { fireEvent, screen } from '@testing-library/react';
import { ConfigReader } from '@backstage/config';
import { configApiRef, discoveryApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { DemoSignInPage, DEMO_USER_STORAGE_KEY } from './DemoSignInPage';

const users = [
  {
    userEntityRef: 'user:default/alice',
    title: 'Alice (team-dc2)',
    description: 'Product team member',
  },
  { userEntityRef: 'user:default/kim', title: 'Kim (kafka-platform)' },
];

function renderPage(config: object) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, mockApis.discovery()],
        [
          configApiRef,
          new ConfigReader({
            backend: { baseUrl: 'http://localhost:7007' },
            ...config,
          }),
        ],
      ]}
    >
      <DemoSignInPage onSignInSuccess={jest.fn()} />
    </TestApiProvider>,
  );
}

describe('DemoSignInPage', () => {
  beforeEach(() => window.localStorage.clear());

  it('offers each configured user and the guest', async () => {
    await renderPage({ app: { title: 'Test', demoSignIn: { users } } });
    expect(screen.getByText('Product team member')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as Alice (team-dc2)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as Kim (kafka-platform)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as Guest' }),
    ).toBeInTheDocument();
  });

  it('remembers the choice and goes on to the guest sign-in', async () => {
    await renderPage({ app: { title: 'Test', demoSignIn: { users } } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in as Guest' }));
    expect(window.localStorage.getItem(DEMO_USER_STORAGE_KEY)).toBe('guest');
    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
  });

  it('ignores a remembered user the config no longer lists', async () => {
    window.localStorage.setItem(DEMO_USER_STORAGE_KEY, 'user:default/mallory');
    await renderPage({ app: { title: 'Test', demoSignIn: { users } } });
    expect(
      screen.getByRole('button', { name: 'Sign in as Alice (team-dc2)' }),
    ).toBeInTheDocument();
  });

  it('is the plain guest sign-in without app.demoSignIn', async () => {
    await renderPage({ app: { title: 'Test' } });
    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Sign in as/)).not.toBeInTheDocument();
  });
});
