export interface Config {
  /** Settings of the mirror-maker plugin. */
  mirrorMaker?: {
    /**
     * Connection details of the Kafka clusters, by name. A kafka-cluster
     * `Resource` entity refers to its entry with the annotation
     * `mirrormaker.io/cluster: <name>`. These never live in the catalog.
     */
    clusters?: {
      [name: string]: {
        /** Bootstrap servers as `host:port`, at least one. */
        brokers: string[];
        /** Name of the data centre the cluster runs in, e.g. `dc1`. */
        dataCentre: string;
        /**
         * Suffix of the topics whose producers live in this data centre,
         * without the dot: `dc1` for `orders.dc1`.
         */
        topicSuffix: string;
      };
    };
  };
}
