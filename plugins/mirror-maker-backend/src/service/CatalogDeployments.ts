import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_CLUSTER,
  checkDeployment,
  CheckedDeployment,
  KAFKA_CLUSTER_RESOURCE_TYPE,
  KafkaClusterConfig,
  MIRROR_MAKER_KIND,
  normalizeEntityRef,
  TopologyDeployment,
  validateDeploymentClusters,
  ValidationProblem,
} from '@mirrormaker/plugin-mirror-maker-common';

/** A MirrorMaker entity, checked, with its ref. */
export interface LoadedDeployment extends CheckedDeployment {
  ref: string;
  /**
   * Topics of its approved (and applied) replication requests, on top of
   * its spec's rule: pass them wherever the topic rule is evaluated.
   */
  approvedTopics?: string[];
}

/** Approved request topics by deployment ref. */
export type ApprovedTopicsSource = () => Promise<Map<string, string[]>>;

/** What the catalog holds that the topology and the bundles need. */
export interface CatalogSnapshot {
  deployments: LoadedDeployment[];
  /** kafka-cluster Resources (refs resolve against these). */
  clusterResources: Entity[];
}

/** `mirrormaker:default/dc1-to-dc2` for an entity. */
export function refOf(entity: Entity): string {
  return normalizeEntityRef(
    entity.metadata.name,
    entity.kind,
    entity.metadata.namespace ?? 'default',
  );
}

/**
 * Reads MirrorMaker entities and kafka-cluster Resources from the catalog
 * with the caller's credentials (so catalog permissions decide what the
 * caller sees) and resolves each deployment to its configured clusters.
 */
export class CatalogDeployments {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      clusters: () => KafkaClusterConfig[];
      logger: LoggerService;
      /** Topics of approved replication requests; none without it. */
      approvedTopics?: ApprovedTopicsSource;
    },
  ) {}

  private async approved(): Promise<Map<string, string[]>> {
    if (!this.options.approvedTopics) return new Map();
    try {
      return await this.options.approvedTopics();
    } catch (error) {
      // Not evaluated without them: a deploy would drop approved topics.
      this.options.logger.error(
        `Approved request topics could not be read: ${error}`,
      );
      throw error;
    }
  }

  async snapshot(credentials: BackstageCredentials): Promise<CatalogSnapshot> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: [
          { kind: MIRROR_MAKER_KIND },
          { kind: 'Resource', 'spec.type': KAFKA_CLUSTER_RESOURCE_TYPE },
        ],
      },
      { credentials },
    );
    const clusterResources = items.filter(e => e.kind !== MIRROR_MAKER_KIND);
    const clusters = this.options.clusters();
    const approved = await this.approved();
    const deployments = items
      .filter(e => e.kind === MIRROR_MAKER_KIND)
      .map(entity =>
        withApproved(
          {
            ref: refOf(entity),
            ...checkDeployment(entity, clusterResources, clusters),
          },
          approved,
        ),
      )
      .sort(byRef);
    return { deployments, clusterResources };
  }

  /** Checks one entity (a posted one, or one loaded by ref) against the catalog's clusters. */
  async check(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<LoadedDeployment> {
    const { clusterResources } = await this.snapshot(credentials);
    return withApproved(
      {
        ref: refOf(entity),
        ...checkDeployment(entity, clusterResources, this.options.clusters()),
      },
      await this.approved(),
    );
  }
}

/**
 * Adds a deployment's approved topics, and the problems they cause with its
 * clusters (a topic with the target's own suffix is a loop).
 */
function withApproved(
  d: LoadedDeployment,
  approved: Map<string, string[]>,
): LoadedDeployment {
  const approvedTopics = approved.get(d.ref) ?? [];
  if (approvedTopics.length === 0 || !d.source || !d.target) {
    return { ...d, approvedTopics };
  }
  const known = new Set(d.problems.map(p => `${p.path}\n${p.message}`));
  const added = validateDeploymentClusters(
    d.entity,
    d.source,
    d.target,
    approvedTopics,
  ).filter(p => !known.has(`${p.path}\n${p.message}`));
  return { ...d, approvedTopics, problems: [...d.problems, ...added] };
}

function byRef(a: { ref: string }, b: { ref: string }): number {
  if (a.ref === b.ref) return 0;
  return a.ref < b.ref ? -1 : 1;
}

/** The deployments the topology can place: both clusters known. */
export function topologyDeployments(
  deployments: LoadedDeployment[],
): TopologyDeployment[] {
  return deployments
    .filter(d => d.source && d.target)
    .map(d => ({
      ref: d.ref,
      title: d.entity.metadata.title ?? d.entity.metadata.name,
      source: d.source!.name,
      target: d.target!.name,
      topics: d.entity.spec.topics,
      approvedTopics: d.approvedTopics,
    }));
}

/** Deployments left out of the topology, with their errors. */
export function deploymentProblems(
  deployments: LoadedDeployment[],
): { ref: string; problems: ValidationProblem[] }[] {
  return deployments
    .filter(d => !(d.source && d.target))
    .map(d => ({
      ref: d.ref,
      problems: d.problems.filter(p => p.severity === 'error'),
    }));
}

/** The cluster name behind a kafka-cluster Resource, if annotated. */
export function clusterOfResource(entity: Entity): string | undefined {
  return entity.metadata.annotations?.[ANNOTATION_CLUSTER];
}
