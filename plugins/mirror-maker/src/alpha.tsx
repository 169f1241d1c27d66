/**
 * The mirror-maker frontend plugin for Backstage's new frontend system.
 *
 * @packageDocumentation
 */
import {
  compatWrapper,
  convertLegacyRouteRef,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { MirrorMakerClient, mirrorMakerApiRef } from './api';
import {
  isKafkaClusterAvailable,
  isMirrorMakerAvailable,
  isServiceReplicationAvailable,
} from './predicates';
import { rootRouteRef } from './routes';

/** @alpha */
export const mirrorMakerApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: mirrorMakerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MirrorMakerClient({ discoveryApi, fetchApi }),
    }),
});

/** @alpha */
export const mirrorMakerPage = PageBlueprint.make({
  params: {
    path: '/mirror-maker',
    title: 'Replication',
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/MirrorMakerPage').then(m =>
        compatWrapper(<m.MirrorMakerPage />),
      ),
  },
});

/** @alpha */
export const mirrorMakerEntityContent = EntityContentBlueprint.make({
  name: 'mirror-maker',
  params: {
    path: 'mirror-maker',
    title: 'Replication',
    filter: isMirrorMakerAvailable,
    loader: () =>
      import('./components/EntityMirrorMakerContent').then(m =>
        compatWrapper(<m.EntityMirrorMakerContent />),
      ),
  },
});

/** @alpha */
export const kafkaClusterCard = EntityCardBlueprint.make({
  name: 'kafka-cluster',
  params: {
    filter: isKafkaClusterAvailable,
    loader: () =>
      import('./components/KafkaClusterCard').then(m =>
        compatWrapper(<m.KafkaClusterCard />),
      ),
  },
});

/** @alpha */
export const serviceReplicationCard = EntityCardBlueprint.make({
  name: 'service-replication',
  params: {
    filter: isServiceReplicationAvailable,
    loader: () =>
      import('./components/ServiceReplicationCard').then(m =>
        compatWrapper(<m.ServiceReplicationCard />),
      ),
  },
});

/** @alpha */
export default createFrontendPlugin({
  pluginId: 'mirror-maker',
  extensions: [
    mirrorMakerApi,
    mirrorMakerPage,
    mirrorMakerEntityContent,
    kafkaClusterCard,
    serviceReplicationCard,
  ],
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
});
