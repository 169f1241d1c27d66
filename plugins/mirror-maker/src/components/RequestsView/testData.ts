import type { ReplicationRequest } from '@mirrormaker/plugin-mirror-maker-common';

export const ANN = 'user:default/ann';
export const BOB = 'user:default/bob';
export const DEPLOYMENT = 'mirrormaker:default/dc1-to-dc2';

/** A request as the backend answers it; `over` changes what a test needs. */
export function requestOf(
  id: string,
  over: Partial<ReplicationRequest> = {},
): ReplicationRequest {
  return {
    id,
    status: 'pending',
    requester: ANN,
    team: 'group:default/team-orders',
    service: 'component:default/orders',
    topics: ['orders.dc1', 'refunds.dc1'],
    sourceDataCentre: 'dc1',
    targetDataCentre: 'dc2',
    sourceCluster: 'kafka-dc1',
    targetCluster: 'kafka-dc2',
    deploymentRef: DEPLOYMENT,
    newDeployment: false,
    reason: 'reporting reads orders in dc2',
    desiredDate: '2026-12-01',
    warnings: [],
    createdAt: '2026-11-24T10:00:00.000Z',
    updatedAt: '2026-11-24T10:00:00.000Z',
    events: [
      {
        at: '2026-11-24T10:00:00.000Z',
        type: 'submitted',
        actor: ANN,
        message: 'submitted for orders.dc1, refunds.dc1',
      },
      {
        at: '2026-11-24T10:00:01.000Z',
        type: 'validated',
        actor: 'plugin:mirror-maker',
        message: 'carried by mirrormaker:default/dc1-to-dc2',
      },
    ],
    ...over,
  };
}
