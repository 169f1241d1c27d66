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
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { MirrorMakerClient, mirrorMakerApiRef } from './api';
import {
  isKafkaClusterAvailable,
  isMirrorMakerAvailable,
  isServiceReplicationAvailable,
} from './predicates';
import { requestRouteRef, rootRouteRef } from './routes';

/** Where the entity content below is mounted on an entity page; rollout links go there. */
const ENTITY_CONTENT_PATH = 'mirror-maker';

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
        compatWrapper(
          <m.MirrorMakerPage entityContentPath={ENTITY_CONTENT_PATH} />,
        ),
      ),
  },
});

/** @alpha */
export const mirrorMakerEntityContent = EntityContentBlueprint.make({
  name: 'mirror-maker',
  params: {
    path: ENTITY_CONTENT_PATH,
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
export const replicationRequestsCard = EntityCardBlueprint.make({
  name: 'replication-requests',
  params: {
    filter: isServiceReplicationAvailable,
    loader: () =>
      import('./components/EntityRequestsCard').then(m =>
        compatWrapper(
          <m.EntityRequestsCard entityContentPath={ENTITY_CONTENT_PATH} />,
        ),
      ),
  },
});

/** @alpha */
export const topicsPickerFormField = FormFieldBlueprint.make({
  name: 'topics-picker',
  params: {
    field: () =>
      import('./components/scaffolder/formFields').then(m => m.topicsFormField),
  },
});

/** @alpha */
export const dataCentrePickerFormField = FormFieldBlueprint.make({
  name: 'data-centre-picker',
  params: {
    field: () =>
      import('./components/scaffolder/formFields').then(
        m => m.dataCentreFormField,
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
    replicationRequestsCard,
    topicsPickerFormField,
    dataCentrePickerFormField,
  ],
  routes: {
    root: convertLegacyRouteRef(rootRouteRef),
    request: convertLegacyRouteRef(requestRouteRef),
  },
});
