import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fireEvent, screen } from '@testing-library/react';
import { MirrorMakerApi, mirrorMakerApiRef } from '../../api';
import { EntityMirrorMakerContent } from './EntityMirrorMakerContent';

const entity: Entity = {
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc1-to-dc2', namespace: 'default' },
  spec: {
    owner: 'group:default/kafka-platform',
    source: 'resource:default/kafka-dc1',
    target: 'resource:default/kafka-dc2',
    topics: { suffix: 'dc1' },
    placement: { nodes: ['mm1'] },
  },
};

describe('EntityMirrorMakerContent', () => {
  it('shows every view as a tab and loads a view only when its tab opens', async () => {
    const unavailable = () => Promise.reject(new Error('backend down'));
    const api: Partial<MirrorMakerApi> = {
      getEntityTopology: jest.fn(unavailable),
      listDeployments: jest.fn(unavailable),
      getDeploymentMetrics: jest.fn(unavailable),
      getTopology: jest.fn(unavailable),
      getBundle: jest.fn(unavailable),
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [mirrorMakerApiRef, api],
          [
            permissionApiRef,
            { authorize: async () => ({ result: AuthorizeResult.ALLOW }) },
          ],
        ]}
      >
        <EntityProvider entity={entity}>
          <EntityMirrorMakerContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    for (const label of [
      'Overview',
      'Metrics',
      'Topology',
      'Suffix map',
      'Deployments',
      'Files',
      'Requests',
    ]) {
      expect(screen.getByRole('tab', { name: label })).toBeInTheDocument();
    }
    expect(api.getDeploymentMetrics).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('tab', { name: 'Metrics' }));
    expect(
      await screen.findAllByText(/backend down/, undefined, { timeout: 3000 }),
    ).not.toHaveLength(0);
    expect(api.getDeploymentMetrics).toHaveBeenCalledWith(
      { kind: 'MirrorMaker', namespace: 'default', name: 'dc1-to-dc2' },
      expect.anything(),
    );
  });

  it('opens the tab the link names, and the rollout in Deployments', async () => {
    const api: Partial<MirrorMakerApi> = {
      listDeployments: jest.fn(() => new Promise(() => {})),
      getDeployment: jest.fn(() => new Promise(() => {})),
      listRequests: jest.fn(async () => ({ items: [] })),
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [mirrorMakerApiRef, api],
          [
            permissionApiRef,
            { authorize: async () => ({ result: AuthorizeResult.ALLOW }) },
          ],
        ]}
      >
        <EntityProvider entity={entity}>
          <EntityMirrorMakerContent />
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/?tab=deployments&rollout=r-9'] },
    );
    expect(screen.getByRole('tab', { name: 'Deployments' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(api.getDeployment).toHaveBeenCalledWith('r-9');

    fireEvent.click(screen.getByRole('tab', { name: 'Requests' }));
    expect(
      await screen.findByText(
        /No request names mirrormaker:default\/dc1-to-dc2/,
      ),
    ).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenCalledWith({
      status: ['pending', 'approved'],
      entity: 'mirrormaker:default/dc1-to-dc2',
    });
  });
});
