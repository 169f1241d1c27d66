import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { MirrorMakerApi, mirrorMakerApiRef } from '../../api';
import { MetricsContent } from './MetricsContent';
import { deploymentMetrics } from './testData';
import { METRICS_REFRESH_MS } from './windows';

const entity: Entity = {
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc1-to-dc2', namespace: 'default' },
  spec: {},
};

const ref = { kind: 'MirrorMaker', namespace: 'default', name: 'dc1-to-dc2' };

// jsdom lays nothing out: every element measures 0x0, so the charts'
// ResponsiveContainer is told a size through its ResizeObserver.
class SizedResizeObserver {
  constructor(
    private readonly callback: (
      entries: { contentRect: DOMRectReadOnly }[],
    ) => void,
  ) {}
  observe() {
    this.callback([
      { contentRect: { width: 480, height: 220 } as DOMRectReadOnly },
    ]);
  }
  unobserve() {}
  disconnect() {}
}

const render = (api: Partial<MirrorMakerApi>, e: Entity = entity) =>
  renderInTestApp(
    <TestApiProvider apis={[[mirrorMakerApiRef, api]]}>
      <MetricsContent entity={e} />
    </TestApiProvider>,
  );

describe('MetricsContent', () => {
  const original = (global as any).ResizeObserver;
  beforeAll(() => {
    (global as any).ResizeObserver = SizedResizeObserver;
  });
  afterAll(() => {
    (global as any).ResizeObserver = original;
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads the last hour and shows it, charts included', async () => {
    const getDeploymentMetrics = jest.fn(async () => deploymentMetrics());
    const { container } = await render({ getDeploymentMetrics });
    expect(await screen.findByText('Degraded')).toBeInTheDocument();
    expect(getDeploymentMetrics).toHaveBeenCalledWith(ref, { window: '1h' });
    expect(
      container.querySelector('[data-chart="Lag over time"] .recharts-line'),
    ).not.toBeNull();
  });

  it('reads again for another window', async () => {
    const getDeploymentMetrics = jest.fn(async () => deploymentMetrics());
    await render({ getDeploymentMetrics });
    await screen.findByText('Degraded');
    fireEvent.click(screen.getByRole('button', { name: 'Last 15m' }));
    await waitFor(() =>
      expect(getDeploymentMetrics).toHaveBeenLastCalledWith(ref, {
        window: '15m',
      }),
    );
    expect(screen.getByRole('button', { name: 'Last 15m' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('reads again every 10 s, keeps the figures when a read fails, and stops on unmount', async () => {
    const setIntervalSpy = jest.spyOn(global, 'setInterval');
    const clearIntervalSpy = jest.spyOn(global, 'clearInterval');
    const getDeploymentMetrics = jest
      .fn()
      .mockResolvedValueOnce(deploymentMetrics())
      .mockRejectedValueOnce(new Error('backend restarting'))
      .mockResolvedValue(
        deploymentMetrics({ status: { state: 'ok', messages: [] } }),
      );
    const { unmount } = await render({ getDeploymentMetrics });
    await screen.findByText('Degraded');

    const tick = async () => {
      const calls = setIntervalSpy.mock.calls.filter(
        c => c[1] === METRICS_REFRESH_MS,
      );
      expect(calls.length).toBeGreaterThan(0);
      await act(async () => {
        (calls[calls.length - 1][0] as () => void)();
      });
    };

    await tick();
    expect(
      await screen.findByText(
        /The figures could not be read again: backend restarting/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Degraded')).toBeInTheDocument();
    expect(getDeploymentMetrics).toHaveBeenCalledTimes(2);

    await tick();
    expect(await screen.findByText('Replicating normally')).toBeInTheDocument();
    expect(
      screen.queryByText(/could not be read again/),
    ).not.toBeInTheDocument();
    expect(getDeploymentMetrics).toHaveBeenCalledTimes(3);

    const timers = setIntervalSpy.mock.results
      .filter((_, i) => setIntervalSpy.mock.calls[i][1] === METRICS_REFRESH_MS)
      .map(r => r.value);
    unmount();
    expect(clearIntervalSpy).toHaveBeenCalledWith(timers[timers.length - 1]);
  });

  it('shows the error when the first read fails', async () => {
    await render({
      getDeploymentMetrics: async () => {
        throw new Error('backend down');
      },
    });
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });

  it('says so for an entity that is not a MirrorMaker', async () => {
    const getDeploymentMetrics = jest.fn();
    await render(
      { getDeploymentMetrics },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders' },
      },
    );
    expect(await screen.findByText('Not a MirrorMaker')).toBeInTheDocument();
    expect(getDeploymentMetrics).not.toHaveBeenCalled();
  });
});
