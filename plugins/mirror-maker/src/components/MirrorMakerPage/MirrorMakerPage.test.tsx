import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  MirrorMakerApi,
  MirrorMakerHealth,
  mirrorMakerApiRef,
} from '../../api';
import { MirrorMakerPage } from './MirrorMakerPage';

const api = (
  health: () => Promise<MirrorMakerHealth>,
): Partial<MirrorMakerApi> => ({
  getHealth: health,
});

describe('MirrorMakerPage', () => {
  it('shows the control plane health from the backend', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            mirrorMakerApiRef,
            api(async () => ({
              status: 'ok',
              database: { ok: true },
              deployTargets: [
                { name: 'local', ready: true },
                { name: 'ssh', ready: false, message: 'no known_hosts' },
              ],
            })),
          ],
        ]}
      >
        <MirrorMakerPage />
      </TestApiProvider>,
    );
    expect(await screen.findByText('Database reachable')).toBeInTheDocument();
    expect(screen.getByText('Deploy target local ready')).toBeInTheDocument();
    expect(
      screen.getByText('Deploy target ssh not ready: no known_hosts'),
    ).toBeInTheDocument();
  });

  it('says so when no deploy target is installed', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            mirrorMakerApiRef,
            api(async () => ({
              status: 'error',
              database: { ok: false, message: 'connection refused' },
              deployTargets: [],
            })),
          ],
        ]}
      >
        <MirrorMakerPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Database unreachable: connection refused'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No deploy target is installed'),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend cannot be reached', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            mirrorMakerApiRef,
            api(async () => {
              throw new Error('backend down');
            }),
          ],
        ]}
      >
        <MirrorMakerPage />
      </TestApiProvider>,
    );
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });
});
