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
