import type { Entity } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  DeploymentHistory,
  EntityTopology,
  MirrorMakerApi,
  mirrorMakerApiRef,
} from '../../api';
import { twoDcTopology } from '../TopologyGraph/testData';
import { OverviewContent } from './OverviewContent';

const entity: Entity = {
  apiVersion: 'mirrormaker.io/v1alpha1',
  kind: 'MirrorMaker',
  metadata: { name: 'dc1-to-dc2', namespace: 'default' },
  spec: {
    owner: 'team-data',
    source: 'resource:default/kafka-dc1',
    target: 'resource:default/kafka-dc2',
    topics: { suffix: 'dc1', exclude: 'tmp\\..*' },
    placement: {
      nodes: ['mm1.dc2', 'mm2.dc2'],
      processesPerNode: 2,
      numStreams: 3,
    },
    jmx: { initialPort: 7000 },
  },
};

const ref = 'mirrormaker:default/dc1-to-dc2';

const entityTopology: EntityTopology = {
  entityRef: ref,
  role: 'deployment',
  edges: twoDcTopology.edges.filter(e => e.ref === ref),
  findings: twoDcTopology.findings.filter(f => f.deployments.includes(ref)),
  suffixMap: [],
  live: { 'kafka-dc1': { reachable: true } },
  generatedAt: '2026-11-24T12:00:00.000Z',
};

const history: DeploymentHistory = {
  deploymentRef: ref,
  target: 'ssh',
  current: {
    id: 'rev-3',
    deploymentRef: ref,
    number: 3,
    contentHash: 'abc',
    createdBy: 'user:default/ann',
    createdAt: '2026-11-20T10:00:00.000Z',
    reason: 'more streams',
  },
  processes: [],
  rollouts: [
    {
      id: 'r-4',
      deploymentRef: ref,
      revisionId: 'rev-4',
      revisionNumber: 4,
      kind: 'deploy',
      status: 'failed',
      reason: 'bigger heap',
      actor: 'user:default/ann',
      createdAt: '2026-11-21T10:00:00.000Z',
      message: 'mm1.dc2 process 1 did not start; revision 3 runs',
      totalSteps: 8,
      doneSteps: 3,
      autoRollback: false,
    },
  ],
  revisions: [],
};

function render(e: Entity, api: Partial<MirrorMakerApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[mirrorMakerApiRef, api]]}>
      <OverviewContent entity={e} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('OverviewContent', () => {
  it('shows flow, topics, placement, revision and findings', async () => {
    const getEntityTopology = jest.fn(async () => entityTopology);
    await render(entity, {
      getEntityTopology,
      listDeployments: async () => history,
    });
    expect(await screen.findByText('dc1 → dc2')).toBeInTheDocument();
    expect(getEntityTopology).toHaveBeenCalledWith({
      kind: 'MirrorMaker',
      namespace: 'default',
      name: 'dc1-to-dc2',
    });
    expect(screen.getByText(/cluster kafka-dc1 in dc1/)).toBeInTheDocument();
    expect(screen.getByText('.dc1')).toBeInTheDocument();
    expect(screen.getByText('tmp\\..*')).toBeInTheDocument();
    expect(
      screen.getByText('2 live topics of kafka-dc1 match'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /2 nodes × 2 per node × 3 streams = 12 consumer streams/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('7001–7002')).toBeInTheDocument();
    expect(screen.getByText('9991–9992')).toBeInTheDocument();
    expect(screen.getByText(/^3, by user:default\/ann/)).toBeInTheDocument();
    expect(
      screen.getByText('Deploy of revision 4: failed', { exact: false }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('mm1.dc2 process 1 did not start; revision 3 runs'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/kafka-dc2 receives topic orders\.dc1/),
    ).toBeInTheDocument();
  });

  it('does not crash on a spec missing its parts', async () => {
    await render(
      {
        ...entity,
        spec: { topics: 'everything', placement: { nodes: 'mm1' } },
      },
      {
        getEntityTopology: async () => ({
          ...entityTopology,
          edges: [],
          findings: [],
        }),
        listDeployments: async () => ({
          ...history,
          current: undefined,
          rollouts: [],
        }),
      },
    );
    expect(
      await screen.findByText(
        'spec.topics sets none of suffix, include and names',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('not set in spec.source')).toBeInTheDocument();
    expect(
      screen.getByText(/spec.placement.nodes is missing/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/not part of the replication topology/),
    ).toBeInTheDocument();
    expect(screen.getByText('never deployed successfully')).toBeInTheDocument();
    expect(
      screen.getByText('No findings concern this deployment.'),
    ).toBeInTheDocument();
  });

  it('shows the error when the topology cannot be loaded', async () => {
    await render(entity, {
      getEntityTopology: async () => {
        throw new Error('backend down');
      },
      listDeployments: async () => history,
    });
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });

  it('still shows the rest when the history cannot be loaded', async () => {
    await render(entity, {
      getEntityTopology: async () => entityTopology,
      listDeployments: async () => {
        throw new Error('no history store');
      },
    });
    expect(
      await screen.findByText(
        'The deployment history could not be loaded: no history store',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('dc1 → dc2')).toBeInTheDocument();
  });

  it('says so for an entity that is not a MirrorMaker', async () => {
    await render(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
      },
      {},
    );
    expect(await screen.findByText('Not a MirrorMaker')).toBeInTheDocument();
  });
});
