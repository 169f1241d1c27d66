import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { MetricsView } from './MetricsView';
import { deploymentMetrics, groupLag } from './testData';

const partitionRows = (container: HTMLElement) =>
  Array.from(container.querySelectorAll('[data-partition-row]'));

const cellsOf = (row: Element) =>
  Array.from(row.querySelectorAll('td')).map(td => td.textContent);

describe('MetricsView', () => {
  it('shows status, figures, charts, lag and processes', async () => {
    const { container } = await renderInTestApp(
      <MetricsView
        metrics={deploymentMetrics()}
        window="1h"
        onWindowChange={() => {}}
        chartWidth={400}
      />,
    );
    expect(screen.getByText('Degraded')).toBeInTheDocument();
    expect(screen.getByText('1 of 2 processes are down')).toBeInTheDocument();

    const figure = (label: string) =>
      container.querySelector(`[data-figure="${label}"]`)!;
    expect(figure('Total lag')).toHaveTextContent('30');
    expect(figure('Total lag')).toHaveTextContent('over 6 partitions');
    expect(figure('Partitions without commit')).toHaveTextContent('1');
    expect(figure('Heartbeat latency')).toHaveTextContent('1.5 s');
    expect(figure('In')).toHaveTextContent('131/s');
    expect(figure('Out')).toHaveTextContent('129/s');

    for (const title of [
      'Lag over time',
      'Throughput in vs out',
      'Heartbeat latency',
    ]) {
      const chart = container.querySelector(`[data-chart="${title}"]`)!;
      expect(chart.querySelector('svg.recharts-surface')).not.toBeNull();
    }
    expect(
      container.querySelectorAll(
        '[data-chart="Throughput in vs out"] .recharts-line',
      ),
    ).toHaveLength(2);

    expect(screen.getByTestId('partition-totals')).toHaveTextContent(
      'Showing 6 of 6 partitions, total lag 30, 1 without a commit',
    );
    const rows = partitionRows(container);
    expect(cellsOf(rows[0])).toEqual([
      'topic-001.dc1',
      '1',
      '1,000,012',
      '1,000,000',
      '12',
    ]);
    // The partition without a commit goes last, and says so.
    expect(cellsOf(rows[5])).toEqual([
      'topic-001.dc1',
      '2',
      '1,000,015',
      'no commit',
      'no commit',
    ]);

    expect(screen.getByText('mm1.dc2')).toBeInTheDocument();
    expect(screen.getByText('61.3/s')).toBeInTheDocument();
    expect(screen.getByText('12 ms')).toBeInTheDocument();
    expect(screen.getByText('256 MiB / 1.0 GiB (25%)')).toBeInTheDocument();
    expect(screen.getByText('3.1 s')).toBeInTheDocument();
    expect(
      screen.getByText('down: connect ECONNREFUSED 10.0.0.2:9991'),
    ).toBeInTheDocument();
  });

  it('shows the top 50 of 1,000 partitions by lag, with the totals', async () => {
    const { container } = await renderInTestApp(
      <MetricsView
        metrics={deploymentMetrics({ lag: groupLag(10, 100) })}
        window="1h"
        onWindowChange={() => {}}
        chartWidth={400}
      />,
    );
    expect(screen.getByTestId('partition-totals')).toHaveTextContent(
      'Showing 50 of 1,000 partitions, total lag 1,498,500',
    );
    let rows = partitionRows(container);
    expect(rows).toHaveLength(50);
    expect(cellsOf(rows[0]).slice(0, 2)).toEqual(['topic-009.dc1', '99']);
    expect(cellsOf(rows[0])[4]).toBe('2,997');
    expect(cellsOf(rows[49]).slice(0, 2)).toEqual(['topic-009.dc1', '50']);

    // Search by topic: 100 partitions of topic-003, still the top 50.
    fireEvent.change(screen.getByLabelText('Search topics'), {
      target: { value: 'TOPIC-003' },
    });
    expect(screen.getByTestId('partition-totals')).toHaveTextContent(
      'Showing 50 of 100 partitions matching (1,000 in all), total lag 104,850',
    );
    rows = partitionRows(container);
    expect(rows).toHaveLength(50);
    expect(rows.every(r => cellsOf(r)[0] === 'topic-003.dc1')).toBe(true);

    // Sort by partition, smallest first.
    fireEvent.click(screen.getByText('Partition'));
    rows = partitionRows(container);
    expect(cellsOf(rows[0]).slice(0, 2)).toEqual(['topic-003.dc1', '0']);

    // Show more rows.
    fireEvent.mouseDown(screen.getByLabelText('Partitions shown'));
    fireEvent.click(within(screen.getByRole('listbox')).getByText('first 100'));
    expect(partitionRows(container)).toHaveLength(100);
  });

  it('starts with the number of rows it is given', async () => {
    const { container } = await renderInTestApp(
      <MetricsView
        metrics={deploymentMetrics({ lag: groupLag(10, 100) })}
        window="1h"
        onWindowChange={() => {}}
        chartWidth={400}
        partitionLimit={10}
      />,
    );
    expect(partitionRows(container)).toHaveLength(10);
    expect(screen.getByTestId('partition-totals')).toHaveTextContent(
      'Showing 10 of 1,000 partitions',
    );
  });

  it('warns when the source is unreachable and still shows the rest', async () => {
    const { container } = await renderInTestApp(
      <MetricsView
        metrics={deploymentMetrics({
          status: {
            state: 'unknown',
            messages: ['lag unknown: connection timeout to kafka-dc1'],
          },
          lag: { reachable: false, error: 'connection timeout to kafka-dc1' },
          processes: {
            source: 'prometheus',
            items: [],
            error: 'no scrape target answered',
          },
        })}
        window="1h"
        onWindowChange={() => {}}
        chartWidth={400}
      />,
    );
    expect(screen.getByText('State unknown')).toBeInTheDocument();
    expect(
      screen.getByText(
        /The source cluster could not be read, so the lag is unknown: connection timeout to kafka-dc1/,
      ),
    ).toBeInTheDocument();
    expect(
      container.querySelector('[data-figure="Total lag"]'),
    ).toHaveTextContent('unknown');
    expect(partitionRows(container)).toHaveLength(0);
    expect(
      screen.getByText(
        /The process figures could not be read from prometheus: no scrape target answered/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No process figures could be read.'),
    ).toBeInTheDocument();
    expect(
      container.querySelector('[data-chart="Lag over time"] svg'),
    ).not.toBeNull();
    expect(
      container.querySelector('[data-figure="Heartbeat latency"]'),
    ).toHaveTextContent('1.5 s');
  });

  it('says why there are no heartbeats and no samples', async () => {
    const metrics = deploymentMetrics({ throughput: [] });
    const { container } = await renderInTestApp(
      <MetricsView
        metrics={{
          ...metrics,
          heartbeat: {
            deploymentRef: metrics.entityRef,
            replicated: false,
            reason:
              'spec.topics.names does not list mirrormaker-heartbeat.dc1; add it',
            series: [],
          },
        }}
        window="1h"
        onWindowChange={() => {}}
        chartWidth={400}
      />,
    );
    expect(
      screen.getByText(/No heartbeats: spec.topics.names does not list/),
    ).toBeInTheDocument();
    expect(
      container.querySelector('[data-figure="Heartbeat latency"]'),
    ).toHaveTextContent('not replicated');
    expect(container.querySelector('[data-figure="In"]')).toHaveTextContent(
      '—',
    );
    expect(
      screen.getByText('No throughput samples in this window.'),
    ).toBeInTheDocument();
  });

  it('asks for another window', async () => {
    const onWindowChange = jest.fn();
    await renderInTestApp(
      <MetricsView
        metrics={deploymentMetrics()}
        window="1h"
        onWindowChange={onWindowChange}
        chartWidth={400}
      />,
    );
    expect(screen.getByRole('button', { name: 'Last 1h' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Last 6h' }));
    expect(onWindowChange).toHaveBeenCalledWith('6h');
    onWindowChange.mockClear();
    fireEvent.click(screen.getByRole('button', { name: 'Last 1h' }));
    expect(onWindowChange).not.toHaveBeenCalled();
  });
});
