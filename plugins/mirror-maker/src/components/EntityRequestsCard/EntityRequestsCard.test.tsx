import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { MirrorMakerApi, mirrorMakerApiRef } from '../../api';
import { requestOf } from '../RequestsView/testData';
import { EntityRequestsCard } from './EntityRequestsCard';

const orders: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: { 'mirrormaker.io/topics': 'orders.dc1' },
  },
  spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
};

function render(api: Partial<MirrorMakerApi>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [mirrorMakerApiRef, api],
        [
          permissionApiRef,
          { authorize: async () => ({ result: AuthorizeResult.ALLOW }) },
        ],
      ]}
    >
      <EntityProvider entity={orders}>
        <EntityRequestsCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityRequestsCard', () => {
  it("lists the service's requests", async () => {
    const listRequests = jest.fn(async () => ({
      items: [requestOf('req-1')],
    }));
    await render({ listRequests });
    const row = await screen.findByTestId('request-row-req-1');
    expect(screen.getByText('Replication requests')).toBeInTheDocument();
    expect(
      within(row).getByText('orders.dc1, refunds.dc1'),
    ).toBeInTheDocument();
    // Every status: the team also sees where its past requests ended.
    expect(listRequests).toHaveBeenCalledWith({
      entity: 'component:default/orders',
    });
  });

  it('says whose requests it looked for when there are none', async () => {
    await render({ listRequests: async () => ({ items: [] }) });
    expect(
      await screen.findByText(
        /No request names component:default\/orders as its deployment, service, team or requester/,
      ),
    ).toBeInTheDocument();
  });
});
