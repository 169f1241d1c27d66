import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({
  id: 'mirror-maker',
});

/** One replication request; the scaffolder action links here. */
export const requestRouteRef = createSubRouteRef({
  id: 'mirror-maker/request',
  parent: rootRouteRef,
  path: '/requests/:id',
});
