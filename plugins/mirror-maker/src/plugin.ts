import {
  createApiFactory,
  createComponentExtension,
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

/** The top-level replication page: the whole topology, clusters, requests. */
export const MirrorMakerPage = mirrorMakerPlugin.provide(
  createRoutableExtension({
    name: 'MirrorMakerPage',
    component: () =>
      import('./components/MirrorMakerPage').then(m => m.MirrorMakerPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The replication tab of a MirrorMaker entity (overview, metrics, topology,
 * suffix map, deployments, files); show it where `isMirrorMakerAvailable`.
 */
export const EntityMirrorMakerContent = mirrorMakerPlugin.provide(
  createComponentExtension({
    name: 'EntityMirrorMakerContent',
    component: {
      lazy: () =>
        import('./components/EntityMirrorMakerContent').then(
          m => m.EntityMirrorMakerContent,
        ),
    },
  }),
);

/** Flows in and out of a kafka-cluster Resource; show it where `isKafkaClusterAvailable`. */
export const EntityKafkaClusterCard = mirrorMakerPlugin.provide(
  createComponentExtension({
    name: 'EntityKafkaClusterCard',
    component: {
      lazy: () =>
        import('./components/KafkaClusterCard').then(m => m.KafkaClusterCard),
    },
  }),
);

/** Where a service's topics are replicated, how far behind; show it where `isServiceReplicationAvailable`. */
export const EntityServiceReplicationCard = mirrorMakerPlugin.provide(
  createComponentExtension({
    name: 'EntityServiceReplicationCard',
    component: {
      lazy: () =>
        import('./components/ServiceReplicationCard').then(
          m => m.ServiceReplicationCard,
        ),
    },
  }),
);
