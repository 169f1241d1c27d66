import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { MirrorMakerClient, mirrorMakerApiRef } from './api';
import {
  DATA_CENTRE_PICKER_NAME,
  DataCentrePicker,
  TOPICS_PICKER_NAME,
  TopicsPicker,
  topicsPickerValidation,
} from './components/scaffolder';
import { requestRouteRef, rootRouteRef } from './routes';

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
    request: requestRouteRef,
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

/**
 * The replication requests about an entity: a service's on its page (show
 * it where `isServiceReplicationAvailable`), or a team's.
 */
export const EntityReplicationRequestsCard = mirrorMakerPlugin.provide(
  createComponentExtension({
    name: 'EntityReplicationRequestsCard',
    component: {
      lazy: () =>
        import('./components/EntityRequestsCard').then(
          m => m.EntityRequestsCard,
        ),
    },
  }),
);

/**
 * Scaffolder field `MirrorMakerTopicsPicker` (value: topic names): the
 * topics of the service chosen in the field named by `ui:options.serviceField`
 * (default `service`), plus topics typed in. Provide it inside
 * `<ScaffolderFieldExtensions>`.
 */
export const MirrorMakerTopicsPickerFieldExtension = mirrorMakerPlugin.provide(
  createScaffolderFieldExtension({
    name: TOPICS_PICKER_NAME,
    component: TopicsPicker,
    validation: topicsPickerValidation,
    schema: {
      returnValue: { type: 'array', items: { type: 'string' } },
      uiOptions: {
        type: 'object',
        properties: {
          serviceField: {
            type: 'string',
            description:
              'The field holding the service entity ref; default `service`',
          },
        },
      },
    },
  }),
);

/**
 * Scaffolder field `MirrorMakerDataCentrePicker` (value: a data centre of
 * the configured clusters); `ui:options.differentFrom` names a field whose
 * data centre cannot be chosen again.
 */
export const MirrorMakerDataCentrePickerFieldExtension =
  mirrorMakerPlugin.provide(
    createScaffolderFieldExtension({
      name: DATA_CENTRE_PICKER_NAME,
      component: DataCentrePicker,
      schema: {
        returnValue: { type: 'string' },
        uiOptions: {
          type: 'object',
          properties: {
            differentFrom: {
              type: 'string',
              description:
                'A field holding a data centre this one must differ from',
            },
          },
        },
      },
    }),
  );
