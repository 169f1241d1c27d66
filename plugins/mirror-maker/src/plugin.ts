import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MirrorMakerClient, mirrorMakerApiRef } from './api';
import { rootRouteRef } from './routes';

export const mirrorMakerPlugin = createPlugin({
  id: 'mirror-maker',
  apis: [
    createApiFactory({
      api: mirrorMakerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MirrorMakerClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/** The top-level replication page. */
export const MirrorMakerPage = mirrorMakerPlugin.provide(
  createRoutableExtension({
    name: 'MirrorMakerPage',
    component: () =>
      import('./components/MirrorMakerPage').then(m => m.MirrorMakerPage),
    mountPoint: rootRouteRef,
  }),
);
