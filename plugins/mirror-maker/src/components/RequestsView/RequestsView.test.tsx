import { identityApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReplicationRequest } from '@mirrormaker/plugin-mirror-maker-common';
import { MirrorMakerApi, mirrorMakerApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { RequestsContent } from './RequestsContent';
import { ANN, BOB, requestOf } from './testData';

/** Answers by permission name; anything not listed is allowed. */
const permissionApi = (
  decisions: Record<string, boolean> = {},
): Partial<PermissionApi> => ({
  authorize: async request =>
    ({
      result: decisions[request.permission.name] === false ? 'DENY' : 'ALLOW',
    } as Awaited<ReturnType<PermissionApi['authorize']>>),
});

const identityOf = (userEntityRef: string) => ({
  getBackstageIdentity: async () => ({
    type: 'user' as const,
    userEntityRef,
    ownershipEntityRefs: [userEntityRef],
  }),
  getProfileInfo: async () => ({}),
  getCredentials: async () => ({}),
  signOut: async () => {},
});

async function responseError(status: number, name: string, message: string) {
  const body = JSON.stringify({
    error: { name, message },
    request: { method: 'POST', url: '/api/mirror-maker/requests/x' },
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

interface Setup {
  api: Partial<MirrorMakerApi>;
  user?: string;
  decisions?: Record<string, boolean>;
  entity?: string;
  pollIntervalMs?: number;
}

/**
 * usePermission caches its answers across renders by resource, so tests
 * that deny a permission use a deployment ref of their own.
 */
function render({
  api,
  user = BOB,
  decisions,
  entity,
  pollIntervalMs = 60_000,
}: Setup) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [mirrorMakerApiRef, api],
        [permissionApiRef, permissionApi(decisions)],
        [identityApiRef, identityOf(user)],
      ]}
    >
      <RequestsContent entity={entity} pollIntervalMs={pollIntervalMs} />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/mirror-maker': rootRouteRef,
      },
    },
  );
}

const listing = (...items: ReplicationRequest[]) =>
  jest.fn(async () => ({ items }));

const row = (id: string) => screen.getByTestId(`request-row-${id}`);

describe('RequestsContent', () => {
  it('asks for pending and approved requests first and says when there are none', async () => {
    const listRequests = listing();
    await render({ api: { listRequests } });
    expect(
      await screen.findByText('No replication requests'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/None is pending or approved\./),
    ).toBeInTheDocument();
    expect(listRequests).toHaveBeenCalledWith({
      status: ['pending', 'approved'],
    });
    expect(screen.getByTestId('request-filter-pending')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(screen.getByTestId('request-filter-applied')).toHaveAttribute(
      'aria-pressed',
      'false',
    );
  });

  it('shows the backend error when the requests cannot be listed', async () => {
    await render({
      api: {
        listRequests: async () => {
          throw await responseError(
            503,
            'ServiceUnavailableError',
            'the request store is not ready',
          );
        },
      },
    });
    expect(
      await screen.findAllByText(/the request store is not ready/),
    ).not.toHaveLength(0);
  });

  it('lists each request with its status, route, people, decision and rollout', async () => {
    const applied = requestOf('req-2', {
      status: 'approved',
      topics: ['payments.dc1'],
      service: undefined,
      decision: {
        by: 'user:default/carol',
        at: '2026-11-24T11:00:00.000Z',
        reason: 'fits the dc2 capacity',
      },
      rolloutId: 'r-7',
      revision: 4,
    });
    const failed = requestOf('req-3', {
      status: 'failed',
      failure: 'health gate failed on mm1.dc2: lag grew',
      rolloutId: 'r-8',
    });
    await render({
      api: { listRequests: listing(requestOf('req-1'), applied, failed) },
    });
    await screen.findByTestId('request-row-req-1');

    expect(screen.getByTestId('request-status-req-1')).toHaveTextContent(
      /^pending$/,
    );
    expect(screen.getByTestId('request-status-req-2')).toHaveTextContent(
      /^approved$/,
    );
    const first = within(row('req-1'));
    expect(first.getByText('orders.dc1, refunds.dc1')).toBeInTheDocument();
    expect(first.getByText('dc1 → dc2')).toBeInTheDocument();
    expect(
      first.getByText('reporting reads orders in dc2'),
    ).toBeInTheDocument();
    expect(first.getByText('2026-12-01')).toBeInTheDocument();
    expect(first.getByText('team-orders')).toBeInTheDocument();
    expect(first.getByText('orders')).toBeInTheDocument();
    expect(first.getByText('dc1-to-dc2').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/mirrormaker/dc1-to-dc2',
    );

    const second = within(row('req-2'));
    expect(screen.getByTestId('request-decision-req-2')).toHaveTextContent(
      /Approved by carol.*fits the dc2 capacity/,
    );
    expect(second.getByText('Rollout').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/mirrormaker/dc1-to-dc2?tab=deployments&rollout=r-7',
    );
    expect(screen.getByTestId('request-revision-req-2')).toHaveTextContent(
      'revision 4',
    );
    expect(screen.getByTestId('request-failure-req-3')).toHaveTextContent(
      'health gate failed on mm1.dc2: lag grew',
    );
  });

  it('opens a request to its history and its own page', async () => {
    await render({ api: { listRequests: listing(requestOf('req-1')) } });
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Show history of request req-1',
      }),
    );
    const history = screen.getByRole('table', {
      name: 'History of request req-1',
    });
    expect(within(history).getByText('validated')).toBeInTheDocument();
    expect(
      within(history).getByText('carried by mirrormaker:default/dc1-to-dc2'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('open this request on its own page').closest('a'),
    ).toHaveAttribute('href', '/mirror-maker/requests/req-1');
  });

  it('approves with an optional note and shows the answer', async () => {
    const approveRequest = jest.fn(async (id: string) =>
      requestOf(id, {
        status: 'approved',
        decision: { by: BOB, at: '2026-11-24T11:00:00.000Z' },
      }),
    );
    await render({
      api: { listRequests: listing(requestOf('req-1')), approveRequest },
    });
    await waitFor(() =>
      expect(
        within(row('req-1')).getByRole('button', { name: 'Approve' }),
      ).toBeEnabled(),
    );
    fireEvent.click(
      within(row('req-1')).getByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Note'), {
      target: { value: 'in the Tuesday window' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Approve request' }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('request-status-req-1')).toHaveTextContent(
        'approved',
      ),
    );
    expect(approveRequest).toHaveBeenCalledWith(
      'req-1',
      'in the Tuesday window',
    );
  });

  it('approves without a note', async () => {
    const approveRequest = jest.fn(async (id: string) =>
      requestOf(id, { status: 'approved' }),
    );
    await render({
      api: { listRequests: listing(requestOf('req-1')), approveRequest },
    });
    await waitFor(() =>
      expect(
        within(row('req-1')).getByRole('button', { name: 'Approve' }),
      ).toBeEnabled(),
    );
    fireEvent.click(
      within(row('req-1')).getByRole('button', { name: 'Approve' }),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Approve request' }),
    );
    await waitFor(() =>
      expect(approveRequest).toHaveBeenCalledWith('req-1', undefined),
    );
  });

  it('rejects only with a reason', async () => {
    const rejectRequest = jest.fn(async (id: string, reason: string) =>
      requestOf(id, {
        status: 'rejected',
        decision: { by: BOB, at: '2026-11-24T11:00:00.000Z', reason },
      }),
    );
    await render({
      api: { listRequests: listing(requestOf('req-1')), rejectRequest },
    });
    await waitFor(() =>
      expect(
        within(row('req-1')).getByRole('button', { name: 'Reject' }),
      ).toBeEnabled(),
    );
    fireEvent.click(
      within(row('req-1')).getByRole('button', { name: 'Reject' }),
    );
    const dialog = await screen.findByRole('dialog');
    const submit = within(dialog).getByRole('button', {
      name: 'Reject request',
    });
    expect(submit).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: '   ' },
    });
    expect(submit).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: 'dc2 already gets orders.dc1 through dc1-to-dc2' },
    });
    expect(submit).toBeEnabled();
    fireEvent.click(submit);
    await waitFor(() =>
      expect(screen.getByTestId('request-status-req-1')).toHaveTextContent(
        'rejected',
      ),
    );
    expect(rejectRequest).toHaveBeenCalledWith(
      'req-1',
      'dc2 already gets orders.dc1 through dc1-to-dc2',
    );
  });

  it('keeps the dialog open with the backend message when a decision is refused', async () => {
    await render({
      api: {
        listRequests: listing(requestOf('req-1')),
        approveRequest: async () => {
          throw await responseError(
            409,
            'ConflictError',
            'request req-1 is cancelled; only a pending request can be approved',
          );
        },
      },
    });
    await waitFor(() =>
      expect(
        within(row('req-1')).getByRole('button', { name: 'Approve' }),
      ).toBeEnabled(),
    );
    fireEvent.click(
      within(row('req-1')).getByRole('button', { name: 'Approve' }),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Approve request' }),
    );
    expect(
      await screen.findByText(
        'request req-1 is cancelled; only a pending request can be approved',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('disables approve and reject without the permission, and says why', async () => {
    const deploymentRef = 'mirrormaker:default/denied';
    await render({
      api: { listRequests: listing(requestOf('req-1', { deploymentRef })) },
      decisions: { 'mirrorMaker.request.approve': false },
    });
    expect(
      await screen.findByText(
        `You lack the permission mirrorMaker.request.approve on ${deploymentRef}: only its owners approve or reject.`,
      ),
    ).toBeInTheDocument();
    const r = within(row('req-1'));
    expect(r.getByRole('button', { name: 'Approve' })).toBeDisabled();
    expect(r.getByRole('button', { name: 'Reject' })).toBeDisabled();
  });

  it('lets a requester reject but not approve their own request without self-approval', async () => {
    const deploymentRef = 'mirrormaker:default/own';
    await render({
      api: { listRequests: listing(requestOf('req-1', { deploymentRef })) },
      user: ANN,
      decisions: { 'mirrorMaker.request.selfApprove': false },
    });
    expect(
      await screen.findByText(
        /approving it yourself needs the permission mirrorMaker\.request\.selfApprove/,
      ),
    ).toBeInTheDocument();
    const r = within(row('req-1'));
    expect(r.getByRole('button', { name: 'Approve' })).toBeDisabled();
    expect(r.getByRole('button', { name: 'Reject' })).toBeEnabled();
  });

  it('offers Cancel to the requester only, while the request is pending or approved', async () => {
    const cancelRequest = jest.fn(async (id: string) =>
      requestOf(id, { status: 'cancelled' }),
    );
    const items = [
      requestOf('mine-pending'),
      requestOf('mine-approved', { status: 'approved' }),
      requestOf('mine-applied', { status: 'applied', revision: 3 }),
      requestOf('theirs', { requester: BOB }),
    ];
    await render({
      api: { listRequests: listing(...items), cancelRequest },
      user: ANN,
    });
    await screen.findByTestId('request-row-mine-pending');
    const cancelIn = (id: string) =>
      within(row(id)).queryByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(cancelIn('mine-pending')).toBeInTheDocument());
    expect(cancelIn('mine-approved')).toBeInTheDocument();
    expect(cancelIn('mine-applied')).not.toBeInTheDocument();
    expect(cancelIn('theirs')).not.toBeInTheDocument();

    fireEvent.click(cancelIn('mine-approved')!);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Cancel request' }),
    );
    await waitFor(() =>
      expect(cancelRequest).toHaveBeenCalledWith('mine-approved', undefined),
    );
  });

  it('shows no Cancel to someone who did not file the request', async () => {
    await render({
      api: { listRequests: listing(requestOf('req-1')) },
      user: BOB,
    });
    await waitFor(() =>
      expect(
        within(row('req-1')).getByRole('button', { name: 'Approve' }),
      ).toBeEnabled(),
    );
    expect(
      within(row('req-1')).queryByRole('button', { name: 'Cancel' }),
    ).not.toBeInTheDocument();
  });

  it('filters by status and by entity', async () => {
    const listRequests = listing(requestOf('req-1'));
    await render({
      api: { listRequests },
      entity: 'component:default/orders',
    });
    await screen.findByTestId('request-row-req-1');
    fireEvent.click(screen.getByTestId('request-filter-applied'));
    await waitFor(() =>
      expect(listRequests).toHaveBeenLastCalledWith({
        status: ['pending', 'approved', 'applied'],
        entity: 'component:default/orders',
      }),
    );
    fireEvent.click(screen.getByTestId('request-filter-all'));
    await waitFor(() =>
      expect(listRequests).toHaveBeenLastCalledWith({
        entity: 'component:default/orders',
      }),
    );
  });

  it('follows a request live from pending to approved to applied', async () => {
    // What the backend holds now; the test moves it along.
    let stored = requestOf('req-1');
    const inFilter = () => ['pending', 'approved'].includes(stored.status);
    const listRequests = jest.fn(async () => ({
      items: inFilter() ? [stored] : [],
    }));
    // Applied is outside the default filter: the row stays, fetched by id.
    const getRequest = jest.fn(async () => stored);
    await render({ api: { listRequests, getRequest }, pollIntervalMs: 10 });
    const status = () => screen.getByTestId('request-status-req-1');
    await waitFor(() => expect(status()).toHaveTextContent('pending'));

    stored = requestOf('req-1', { status: 'approved', rolloutId: 'r-9' });
    await waitFor(() => expect(status()).toHaveTextContent('approved'));
    expect(screen.getByTestId('request-rollout-req-1')).toHaveAttribute(
      'href',
      '/catalog/default/mirrormaker/dc1-to-dc2?tab=deployments&rollout=r-9',
    );

    stored = requestOf('req-1', {
      status: 'applied',
      rolloutId: 'r-9',
      revision: 5,
    });
    await waitFor(() => expect(status()).toHaveTextContent('applied'));
    expect(screen.getByTestId('request-revision-req-1')).toHaveTextContent(
      'revision 5',
    );
    expect(getRequest).toHaveBeenCalledWith('req-1');

    // Nothing shown is active any more: polling stops.
    const calls = listRequests.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 60));
    expect(listRequests.mock.calls.length).toBe(calls);
  });

  it('does not poll when nothing shown is active', async () => {
    const listRequests = listing(requestOf('req-1', { status: 'rejected' }));
    await render({ api: { listRequests }, pollIntervalMs: 10 });
    await screen.findByTestId('request-row-req-1');
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(listRequests).toHaveBeenCalledTimes(1);
  });
});
