import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_TOPICS,
  buildTopology,
  KAFKA_CLUSTER_RESOURCE_TYPE,
  MIRROR_MAKER_KIND,
  Topology,
  TopologyInput,
  traceTopic,
} from '@mirrormaker/plugin-mirror-maker-common';
import { ClusterRegistry } from '../kafka';
import {
  CatalogDeployments,
  clusterOfResource,
  deploymentProblems,
  refOf,
  topologyDeployments,
} from './CatalogDeployments';
import { LiveTopics, topicNames } from './LiveTopics';

/** Whether a cluster's topics were read, and why not. */
export type LiveMarks = Record<string, { reachable: boolean; error?: string }>;

export interface TopologyResult extends Topology {
  live: LiveMarks;
  deploymentProblems: ReturnType<typeof deploymentProblems>;
  generatedAt: string;
}

/** Most topics a `mirrormaker.io/topics` annotation may list. */
const MAX_ANNOTATED_TOPICS = 500;

/**
 * The replication topology as the API serves it: the catalog's MirrorMaker
 * entities (as the caller may see them), the configured clusters, and the
 * live topics of every reachable cluster.
 */
export class TopologyService {
  constructor(
    private readonly options: {
      deployments: CatalogDeployments;
      clusters: ClusterRegistry;
      liveTopics: LiveTopics;
    },
  ) {}

  private async input(credentials: BackstageCredentials) {
    const [snapshot, listings] = await Promise.all([
      this.options.deployments.snapshot(credentials),
      this.options.liveTopics.all(),
    ]);
    const live: LiveMarks = {};
    const liveTopics: TopologyInput['liveTopics'] = {};
    for (const [cluster, listing] of Object.entries(listings)) {
      liveTopics[cluster] = topicNames(listing);
      live[cluster] = Array.isArray(listing)
        ? { reachable: true }
        : { reachable: false, error: listing.error };
    }
    const input: TopologyInput = {
      clusters: this.options.clusters.list(),
      deployments: topologyDeployments(snapshot.deployments),
      liveTopics,
    };
    return { snapshot, input, live, listings };
  }

  async topology(credentials: BackstageCredentials): Promise<TopologyResult> {
    const { snapshot, input, live } = await this.input(credentials);
    return {
      ...buildTopology(input),
      live,
      deploymentProblems: deploymentProblems(snapshot.deployments),
      generatedAt: new Date().toISOString(),
    };
  }

  /** The part of the topology that concerns one entity. */
  async entityTopology(entity: Entity, credentials: BackstageCredentials) {
    const entityRef = refOf(entity);
    const { input, live, listings } = await this.input(credentials);
    const topology = buildTopology(input);
    const generatedAt = new Date().toISOString();
    const kind = entity.kind.toLowerCase();

    if (kind === MIRROR_MAKER_KIND.toLowerCase()) {
      const edges = topology.edges.filter(e => e.ref === entityRef);
      return {
        entityRef,
        role: 'deployment' as const,
        edges,
        findings: topology.findings.filter(f =>
          f.deployments.includes(entityRef),
        ),
        suffixMap: topology.suffixMap.filter(row =>
          row.reaches.some(r => r.writers.includes(entityRef)),
        ),
        live: pick(
          live,
          edges.flatMap(e => [e.source, e.target]),
        ),
        generatedAt,
      };
    }

    const cluster =
      kind === 'resource' &&
      (entity.spec as { type?: unknown } | undefined)?.type ===
        KAFKA_CLUSTER_RESOURCE_TYPE
        ? clusterOfResource(entity)
        : undefined;
    if (cluster !== undefined) {
      const node = topology.nodes.find(n => n.name === cluster);
      if (!node) {
        throw new InputError(
          `${entityRef} names cluster "${cluster}" in its mirrormaker.io/cluster annotation, which is not configured under mirrorMaker.clusters (configured: ${
            input.clusters.map(c => c.name).join(', ') || 'none'
          })`,
        );
      }
      return {
        entityRef,
        role: 'cluster' as const,
        node,
        edges: topology.edges.filter(
          e => e.source === cluster || e.target === cluster,
        ),
        findings: topology.findings.filter(f => f.clusters.includes(cluster)),
        suffixMap: topology.suffixMap.filter(
          row =>
            row.homes.some(h => h.cluster === cluster) ||
            row.reaches.some(r => r.cluster === cluster),
        ),
        live: pick(live, [cluster]),
        generatedAt,
      };
    }

    const annotation = entity.metadata.annotations?.[ANNOTATION_TOPICS];
    if (annotation === undefined) {
      throw new InputError(
        `${entityRef} is neither a MirrorMaker, nor a Resource of spec.type ${KAFKA_CLUSTER_RESOURCE_TYPE} with the mirrormaker.io/cluster annotation, nor an entity with the ${ANNOTATION_TOPICS} annotation (a comma-separated list of the topics it owns)`,
      );
    }
    const names = [
      ...new Set(
        annotation
          .split(',')
          .map(t => t.trim())
          .filter(Boolean),
      ),
    ];
    if (names.length > MAX_ANNOTATED_TOPICS) {
      throw new InputError(
        `${entityRef}: annotation ${ANNOTATION_TOPICS} lists ${names.length} topics; at most ${MAX_ANNOTATED_TOPICS} are accepted`,
      );
    }
    const exists = (clusterName: string, topic: string) => {
      const listing = listings[clusterName];
      return Array.isArray(listing)
        ? listing.some(t => t.name === topic)
        : undefined;
    };
    const topics = names.map(topic => {
      const trace = traceTopic(input, topic);
      return {
        topic,
        ...(trace.problem ? { problem: trace.problem } : {}),
        ...(trace.suffix ? { suffix: trace.suffix } : {}),
        ...(trace.homes[0]
          ? {
              home: {
                ...trace.homes[0],
                exists: exists(trace.homes[0].cluster, topic),
              },
            }
          : {}),
        reaches: trace.reaches.map(r => ({
          ...r,
          exists: exists(r.cluster, topic),
        })),
      };
    });
    const involved = new Set(
      topics.flatMap(t => t.reaches.flatMap(r => r.writers)),
    );
    return {
      entityRef,
      role: 'service' as const,
      edges: topology.edges.filter(e => involved.has(e.ref)),
      findings: topology.findings.filter(f =>
        f.topics?.some(t => names.includes(t)),
      ),
      topics,
      live,
      generatedAt,
    };
  }

  /** One cluster's live topics with their class in the topology. */
  async clusterTopics(name: string, credentials: BackstageCredentials) {
    const config = this.options.clusters.get(name);
    const listing = await this.options.clusters.listTopics(name);
    const { snapshot, input } = await this.input(credentials);
    // The listing just read is the freshest; use it for this cluster.
    input.liveTopics![name] = topicNames(listing);
    const classes = new Map(
      (buildTopology(input).topics[name] ?? []).map(c => [c.topic, c]),
    );
    return {
      cluster: name,
      dataCentre: config.dataCentre,
      topicSuffix: config.topicSuffix,
      items: listing.map(t => {
        const c = classes.get(t.name);
        return {
          name: t.name,
          partitions: t.partitions,
          replicationFactor: t.replicationFactor,
          internal: t.internal,
          ...(c
            ? {
                class: c.class,
                ...(c.home ? { home: c.home } : {}),
                ...(c.via ? { via: c.via } : {}),
                ...(c.writers ? { writers: c.writers } : {}),
                ...(c.copiedBy ? { copiedBy: c.copiedBy } : {}),
              }
            : {}),
        };
      }),
      topologyErrors: deploymentProblems(snapshot.deployments),
    };
  }
}

function pick(live: LiveMarks, clusters: string[]): LiveMarks {
  return Object.fromEntries(
    [...new Set(clusters)].filter(c => live[c]).map(c => [c, live[c]]),
  );
}
