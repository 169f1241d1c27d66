import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  DeploymentHistory,
  MirrorMakerApi,
  mirrorMakerApiRef,
  RevisionDiff,
  RevisionSummary,
  Rollout,
  RolloutDetail,
} from '../../api';
import { DeploymentsContent } from './DeploymentsContent';

/** Each test names its own entity: usePermission caches answers by resource. */
const entityNamed = (name: string): Entity => ({
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name, namespace: 'default' },
  spec: {},
});

const revision = (n: number, ref: string): RevisionSummary => ({
  id: `rev-${n}`,
  deploymentRef: ref,
  number: n,
  contentHash: `hash-${n}`,
  createdBy: 'user:default/ann',
  createdAt: '2026-11-20T10:00:00.000Z',
  reason: `reason ${n}`,
});

const rollout = (n: number, ref: string, over: Partial<Rollout> = {}) =>
  ({
    id: `r-${n}`,
    deploymentRef: ref,
    revisionId: `rev-${n}`,
    revisionNumber: n,
    ...(n > 1 ? { previousRevisionId: `rev-${n - 1}` } : {}),
    kind: 'deploy',
    status: 'succeeded',
    reason: `reason ${n}`,
    actor: 'user:default/ann',
    createdAt: '2026-11-20T10:00:00.000Z',
    startedAt: '2026-11-20T10:00:00.000Z',
    finishedAt: '2026-11-20T10:01:05.000Z',
    totalSteps: 2,
    doneSteps: 2,
    autoRollback: false,
    ...over,
  } as Rollout);

function historyOf(name: string, count: number): DeploymentHistory {
  const ref = `mirrormaker:default/${name}`;
  const numbers = Array.from({ length: count }, (_, i) => count - i);
  return {
    deploymentRef: ref,
    target: 'local',
    ...(count > 0 ? { current: revision(count, ref) } : {}),
    processes:
      count > 0
        ? [
            {
              host: 'mm1.dc2',
              index: 0,
              state: 'running',
              pid: 4242,
              restarts: 1,
              since: '2026-11-20T10:01:00.000Z',
            },
          ]
        : [],
    rollouts: numbers.map(n =>
      rollout(
        n,
        ref,
        n === 1 ? { status: 'failed', message: 'health gate failed' } : {},
      ),
    ),
    revisions: numbers.map(n => revision(n, ref)),
  };
}

const permissionApi = (allowed: boolean): Partial<PermissionApi> => ({
  authorize: async () =>
    ({ result: allowed ? 'ALLOW' : 'DENY' } as Awaited<
      ReturnType<PermissionApi['authorize']>
    >),
});

/** A ResponseError as the client throws it for a backend error answer. */
async function responseError(status: number, name: string, message: string) {
  const body = JSON.stringify({
    error: { name, message },
    request: { method: 'POST', url: '/api/mirror-maker/x' },
    response: { statusCode: status },
  });
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: 'Error',
    headers: { get: () => 'application/json' },
    text: async () => body,
  } as unknown as Response);
}

function render(name: string, api: Partial<MirrorMakerApi>, allowed = true) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [mirrorMakerApiRef, api],
        [permissionApiRef, permissionApi(allowed)],
      ]}
    >
      <DeploymentsContent entity={entityNamed(name)} pollIntervalMs={10} />
    </TestApiProvider>,
  );
}

describe('DeploymentsContent', () => {
  it('shows the history, the processes and opens a rollout to its events', async () => {
    const getDeployment = jest.fn(
      async (id: string): Promise<RolloutDetail> => ({
        ...rollout(1, 'mirrormaker:default/hist', { id }),
        events: [
          {
            id: 1,
            rolloutId: id,
            at: '2026-11-20T10:00:01.000Z',
            step: 1,
            total: 2,
            host: 'mm1.dc2',
            processIndex: 0,
            kind: 'gate-failed',
            message: 'records-lag-max grew',
          },
        ],
      }),
    );
    await render('hist', {
      listDeployments: async () => historyOf('hist', 2),
      getDeployment,
    });
    const table = await screen.findByRole('table', {
      name: 'Deployment history',
    });
    expect(within(table).getByText('#2')).toBeInTheDocument();
    expect(within(table).getByText('#1')).toBeInTheDocument();
    expect(within(table).getByText('succeeded')).toBeInTheDocument();
    expect(within(table).getByText('failed')).toBeInTheDocument();
    expect(within(table).getByText('reason 2')).toBeInTheDocument();
    expect(within(table).getByText('health gate failed')).toBeInTheDocument();

    const processes = screen.getByRole('table', { name: 'Processes' });
    expect(within(processes).getByText('4242')).toBeInTheDocument();
    expect(within(processes).getByText('mm1.dc2')).toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('button', { name: 'Show events of revision 1 (r-1)' }),
    );
    expect(await screen.findByText('records-lag-max grew')).toBeInTheDocument();
    expect(getDeployment).toHaveBeenCalledWith('r-1');
  });

  it('deploys with a reason and follows the rollout until it succeeds', async () => {
    const ref = 'mirrormaker:default/dep';
    let history = historyOf('dep', 1);
    const queued = rollout(2, ref, {
      status: 'pending',
      doneSteps: 0,
      finishedAt: undefined,
      startedAt: undefined,
    });
    const deploy = jest.fn(async () => {
      history = {
        ...history,
        running: queued,
        rollouts: [queued, ...history.rollouts],
      };
      return queued;
    });
    const answers: RolloutDetail[] = [
      {
        ...queued,
        status: 'running',
        startedAt: '2026-11-20T10:00:00.000Z',
        doneSteps: 0,
        events: [
          {
            id: 1,
            rolloutId: 'r-2',
            at: '2026-11-20T10:00:01.000Z',
            step: 1,
            total: 2,
            host: 'mm1.dc2',
            processIndex: 0,
            kind: 'start',
            message: 'started process 0 on mm1.dc2',
          },
        ],
      },
      {
        ...queued,
        status: 'succeeded',
        startedAt: '2026-11-20T10:00:00.000Z',
        finishedAt: '2026-11-20T10:01:05.000Z',
        doneSteps: 2,
        events: [
          {
            id: 1,
            rolloutId: 'r-2',
            at: '2026-11-20T10:00:01.000Z',
            step: 1,
            total: 2,
            host: 'mm1.dc2',
            processIndex: 0,
            kind: 'start',
            message: 'started process 0 on mm1.dc2',
          },
          {
            id: 2,
            rolloutId: 'r-2',
            at: '2026-11-20T10:01:05.000Z',
            step: 2,
            total: 2,
            kind: 'succeeded',
            message: 'revision 2 runs on every process',
          },
        ],
      },
    ];
    const seen: string[] = [];
    const getDeployment = jest.fn(async () => {
      const next = answers.length > 1 ? answers.shift()! : answers[0];
      seen.push(next.status);
      if (next.status === 'succeeded') {
        history = {
          ...history,
          running: undefined,
          rollouts: [rollout(2, ref), ...history.rollouts.slice(1)],
        };
      }
      return next;
    });
    await render('dep', {
      listDeployments: async () => history,
      deploy,
      getDeployment,
    });

    const button = await screen.findByRole('button', { name: 'Deploy' });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Deploy' });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: '  more streams  ' },
    });
    expect(confirm).toBeEnabled();
    fireEvent.click(confirm);

    await waitFor(() =>
      expect(deploy).toHaveBeenCalledWith(
        { kind: 'MirrorMaker', namespace: 'default', name: 'dep' },
        { reason: 'more streams', autoRollback: false },
      ),
    );
    const progress = await screen.findByTestId('rollout-progress');
    await waitFor(() =>
      expect(within(progress).getByText('succeeded')).toBeInTheDocument(),
    );
    expect(seen).toEqual(['running', 'succeeded']);
    expect(within(progress).getByText(/Step 2 of 2/)).toBeInTheDocument();
    expect(within(progress).getByText(/elapsed 1m 05s/)).toBeInTheDocument();
    expect(
      within(progress).getByText('Process: mm1.dc2, process 0'),
    ).toBeInTheDocument();
    expect(
      within(progress).getByText(
        'Latest: succeeded: revision 2 runs on every process',
      ),
    ).toBeInTheDocument();
    // Polling stopped at the final status.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(getDeployment).toHaveBeenCalledTimes(2);
  });

  it('shows the progress of a running rollout while polling', async () => {
    const ref = 'mirrormaker:default/run';
    const running = rollout(2, ref, {
      status: 'running',
      doneSteps: 1,
      finishedAt: undefined,
    });
    const getDeployment = jest.fn(
      async (): Promise<RolloutDetail> => ({
        ...running,
        events: [
          {
            id: 7,
            rolloutId: 'r-2',
            at: '2026-11-20T10:00:30.000Z',
            step: 2,
            total: 2,
            host: 'mm2.dc2',
            processIndex: 1,
            kind: 'gate-wait',
            message: 'waiting for the consumer group',
          },
        ],
      }),
    );
    const { unmount } = await render('run', {
      listDeployments: async () => ({
        ...historyOf('run', 1),
        running,
        rollouts: [running, ...historyOf('run', 1).rollouts],
      }),
      getDeployment,
    });
    const progress = await screen.findByTestId('rollout-progress');
    expect(within(progress).getByText(/Step 2 of 2/)).toBeInTheDocument();
    expect(
      within(progress).getByText('Process: mm2.dc2, process 1'),
    ).toBeInTheDocument();
    expect(
      within(progress).getByText(
        'Latest: gate-wait: waiting for the consumer group',
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(getDeployment.mock.calls.length).toBeGreaterThan(2),
    );
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeDisabled();
    unmount();
    const calls = getDeployment.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 60));
    expect(getDeployment.mock.calls.length).toBe(calls);
  });

  it('disables the buttons and says which permission is missing', async () => {
    await render(
      'denied',
      { listDeployments: async () => historyOf('denied', 2) },
      false,
    );
    expect(
      await screen.findByText(
        /You lack the permission mirrorMaker\.deploy on mirrormaker:default\/denied/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Stop all processes' }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Roll back revision 2 (r-2)' }),
    ).toBeDisabled();
  });

  it('shows the diff of a rollout against another revision', async () => {
    const ref = 'mirrormaker:default/diff';
    const diff: RevisionDiff = {
      from: revision(1, ref),
      to: revision(2, ref),
      files: [
        {
          path: 'nodes/mm1.dc2/etc/mm2.properties',
          status: 'changed',
          patch:
            '--- a/mm2.properties\n+++ b/mm2.properties\n@@ -1,2 +1,2 @@\n tasks.max=1\n-num.streams=2\n+num.streams=3\n',
        },
        { path: 'README.md', status: 'same', patch: '' },
      ],
    };
    const getDeploymentDiff = jest.fn(async () => diff);
    await render('diff', {
      listDeployments: async () => historyOf('diff', 2),
      getDeploymentDiff,
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Show diff' }));
    const patch = await screen.findByTestId('patch');
    expect(getDeploymentDiff).toHaveBeenCalledWith('r-2', undefined);
    expect(
      screen.getByText('nodes/mm1.dc2/etc/mm2.properties', { exact: false }),
    ).toBeInTheDocument();
    expect(within(patch).getByText('+num.streams=3')).toHaveAttribute(
      'data-line',
      'added',
    );
    expect(within(patch).getByText('-num.streams=2')).toHaveAttribute(
      'data-line',
      'removed',
    );
    expect(screen.getByText(/1 file differs, 1 unchanged/)).toBeInTheDocument();
  });

  it('rolls back with a reason to the revision before', async () => {
    const ref = 'mirrormaker:default/back';
    const back = rollout(3, ref, {
      kind: 'rollback',
      revisionId: 'rev-1',
      revisionNumber: 1,
      status: 'pending',
    });
    const rollback = jest.fn(async () => back);
    await render('back', {
      listDeployments: async () => historyOf('back', 2),
      rollback,
      getDeployment: async () => ({ ...back, status: 'succeeded', events: [] }),
    });
    const button = await screen.findByRole('button', {
      name: 'Roll back revision 2 (r-2)',
    });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: 'lag grows' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    await waitFor(() =>
      expect(rollback).toHaveBeenCalledWith('r-2', {
        reason: 'lag grows',
        revisionId: 'rev-1',
      }),
    );
  });

  it('shows the backend message when an action is refused', async () => {
    const stop = jest.fn(async () => {
      throw await responseError(
        409,
        'ConflictError',
        'A rollout of mirrormaker:default/err is already running',
      );
    });
    await render('err', {
      listDeployments: async () => historyOf('err', 1),
      stop,
    });
    const button = await screen.findByRole('button', {
      name: 'Stop all processes',
    });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: 'maintenance' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Stop' }));
    expect(
      await within(dialog).findByText(
        'A rollout of mirrormaker:default/err is already running',
      ),
    ).toBeInTheDocument();
    expect(stop).toHaveBeenCalledWith(
      { kind: 'MirrorMaker', namespace: 'default', name: 'err' },
      { reason: 'maintenance' },
    );
  });

  it('shows the backend message when the history cannot be loaded', async () => {
    await render('forbidden', {
      listDeployments: async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'You may not read the deployments of mirrormaker:default/forbidden (permission mirrorMaker.bundle.read)',
        );
      },
    });
    expect(
      await screen.findByText(
        'You may not read the deployments of mirrormaker:default/forbidden (permission mirrorMaker.bundle.read)',
      ),
    ).toBeInTheDocument();
  });

  it('shows an empty state before the first deployment', async () => {
    await render('empty', {
      listDeployments: async () => historyOf('empty', 0),
    });
    expect(await screen.findByText('No deployments yet')).toBeInTheDocument();
    expect(
      screen.getByText('No process is placed yet: deploy to start them.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Diff between revisions'),
    ).not.toBeInTheDocument();
  });
});
