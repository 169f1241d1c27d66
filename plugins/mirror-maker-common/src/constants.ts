/** The catalog kind of a MirrorMaker 1 deployment. */
export const MIRROR_MAKER_KIND = 'MirrorMaker';

/** The apiVersion of the MirrorMaker kind. */
export const MIRROR_MAKER_API_VERSION = 'mirrormaker.io/v1alpha1';

/** `spec.type` of the `Resource` entities that stand for a Kafka cluster. */
export const KAFKA_CLUSTER_RESOURCE_TYPE = 'kafka-cluster';

/**
 * Annotation on a kafka-cluster `Resource`: the key of its connection details
 * under `mirrorMaker.clusters` in app-config.
 */
export const ANNOTATION_CLUSTER = 'mirrormaker.io/cluster';

/** Annotation on a `Component`: comma-separated list of the Kafka topics it owns. */
export const ANNOTATION_TOPICS = 'mirrormaker.io/topics';

/**
 * Annotation on a `System`: comma-separated data centres where the topics of
 * its services must be available (at home or replicated); the service card
 * warns about a topic that does not reach one of them.
 */
export const ANNOTATION_DATA_CENTRES = 'mirrormaker.io/data-centres';

/**
 * Annotation the catalog module sets on MirrorMaker entities the plugin
 * stores itself (value {@link MANAGED_BY_PLUGIN}), so the UI can tell them
 * from deployments defined in Git.
 */
export const ANNOTATION_MANAGED_BY = 'mirrormaker.io/managed-by';

/** Value of {@link ANNOTATION_MANAGED_BY} on deployments the plugin stores itself. */
export const MANAGED_BY_PLUGIN = 'plugin';
