import {
  CheckedRequestInput,
  effectiveTopics,
  KafkaClusterConfig,
  MirrorMakerEntity,
  ReplicationRequest,
  RequestProblem,
  topicSuffix,
  UnreachableTopics,
  validateDeploymentClusters,
} from '@mirrormaker/plugin-mirror-maker-common';
import { LoadedDeployment } from '../service/CatalogDeployments';

/** What the live checks of a request need, behind functions so tests can feed them. */
export interface RequestValidationContext {
  clusters: KafkaClusterConfig[];
  /** Every MirrorMaker deployment, with its approved topics. */
  deployments: LoadedDeployment[];
  /** Non-internal topic names of a cluster, or why they could not be read. */
  liveTopics(cluster: string): Promise<string[] | UnreachableTopics>;
  /** Whether the service's entity exists in the catalog. */
  serviceExists(ref: string): Promise<boolean>;
  /** Pending and approved requests. */
  openRequests(): Promise<ReplicationRequest[]>;
}

export interface RequestValidation {
  problems: RequestProblem[];
  source?: KafkaClusterConfig;
  target?: KafkaClusterConfig;
  /** The deployment that carries source -> target, if one does. */
  deployment?: LoadedDeployment;
}

const error = (field: string, message: string): RequestProblem => ({
  field,
  message,
  severity: 'error',
});

function clusterOf(
  clusters: KafkaClusterConfig[],
  field: string,
  dataCentre: string,
  problems: RequestProblem[],
): KafkaClusterConfig | undefined {
  const matching = clusters.filter(c => c.dataCentre === dataCentre);
  const accepted = [...new Set(clusters.map(c => c.dataCentre))].sort();
  if (matching.length === 0) {
    problems.push(
      error(
        field,
        `no configured cluster is in data centre "${dataCentre}"; accepted: ${
          accepted.join(', ') || 'none (mirrorMaker.clusters is empty)'
        }`,
      ),
    );
    return undefined;
  }
  if (matching.length > 1) {
    problems.push(
      error(
        field,
        `data centre "${dataCentre}" has several clusters (${matching
          .map(c => c.name)
          .join(
            ', ',
          )}); a request needs a data centre with exactly one, so ask the platform team`,
      ),
    );
    return undefined;
  }
  return matching[0];
}

function matcherOf(d: LoadedDeployment, extra: string[] = []) {
  try {
    return effectiveTopics(d.entity.spec.topics, [
      ...(d.approvedTopics ?? []),
      ...extra,
    ]);
  } catch {
    return undefined;
  }
}

/**
 * The checks of a request that need the clusters, the catalog and the other
 * requests: data centres, suffixes, existence on the source, the deployment
 * that would carry the topics, loops, and what is already replicated or
 * requested. Every problem names its field.
 */
export async function validateRequest(
  input: CheckedRequestInput,
  ctx: RequestValidationContext,
): Promise<RequestValidation> {
  const problems: RequestProblem[] = [];
  const source = clusterOf(
    ctx.clusters,
    'sourceDataCentre',
    input.sourceDataCentre,
    problems,
  );
  const target = clusterOf(
    ctx.clusters,
    'targetDataCentre',
    input.targetDataCentre,
    problems,
  );

  if (input.service && !(await ctx.serviceExists(input.service))) {
    problems.push(
      error(
        'service',
        `${input.service} is not in the catalog (or you may not see it); name a Component, e.g. component:default/orders-service`,
      ),
    );
  }

  if (!source || !target) return { problems, source, target };
  const topics = input.topics ?? [];

  if (source.name === target.name) {
    problems.push(
      error(
        'targetDataCentre',
        `is served by ${source.name}, the source's own cluster; replicating onto the same cluster is self-replication`,
      ),
    );
  }

  // Suffixes: a topic is written in the data centre its suffix names.
  const loopMessage = (what: string) =>
    `${what} ends in ".${target.topicSuffix}", the suffix of ${target.name} (the target) itself: those topics are written in ${input.targetDataCentre}, and copying them there again would be a loop`;
  const suffixOk: boolean[] = topics.map((topic, i) => {
    const suffix = topicSuffix(topic);
    if (suffix === source.topicSuffix) return true;
    if (suffix === target.topicSuffix) {
      problems.push(error(`topics[${i}]`, loopMessage(topic)));
    } else {
      problems.push(
        error(
          `topics[${i}]`,
          `${topic} ${
            suffix === undefined
              ? 'has no data-centre suffix'
              : `ends in ".${suffix}"`
          }; topics written in ${input.sourceDataCentre} end in ".${
            source.topicSuffix
          }" (e.g. orders.${source.topicSuffix})`,
        ),
      );
    }
    return false;
  });
  if (input.suffix !== undefined) {
    if (input.suffix === target.topicSuffix) {
      problems.push(error('suffix', loopMessage(`suffix ${input.suffix}`)));
    } else if (input.suffix !== source.topicSuffix) {
      problems.push(
        error(
          'suffix',
          `is "${input.suffix}" but topics written in ${input.sourceDataCentre} end in ".${source.topicSuffix}"; use suffix ${source.topicSuffix}`,
        ),
      );
    }
  }

  // Existence, live: unverified topics are not accepted.
  if (topics.length > 0) {
    const live = await ctx.liveTopics(source.name);
    if (!Array.isArray(live)) {
      problems.push(
        error(
          'topics',
          `cannot be checked: cluster ${source.name} (${input.sourceDataCentre}) cannot be reached (${live.error}); try again when it is back`,
        ),
      );
    } else {
      const existing = new Set(live);
      topics.forEach((topic, i) => {
        if (suffixOk[i] && !existing.has(topic)) {
          problems.push(
            error(
              `topics[${i}]`,
              `${topic} does not exist on cluster ${source.name} (${input.sourceDataCentre}); check the name, or create the topic first`,
            ),
          );
        }
      });
    }
  }

  // The deployment that carries source -> target.
  const carriers = ctx.deployments.filter(
    d => d.source?.name === source.name && d.target?.name === target.name,
  );
  const deployment =
    carriers.find(d => !d.problems.some(p => p.severity === 'error')) ??
    carriers[0];
  if (!input.newDeployment && !deployment) {
    problems.push(
      error(
        'targetDataCentre',
        `no MirrorMaker deployment replicates ${input.sourceDataCentre} -> ${input.targetDataCentre}; ask for a new one with newDeployment: true`,
      ),
    );
  }
  if (input.newDeployment && deployment) {
    problems.push(
      error(
        'newDeployment',
        `${deployment.ref} already replicates ${input.sourceDataCentre} -> ${input.targetDataCentre}; request topics for it instead (newDeployment: false)`,
      ),
    );
  }

  // Loops and self-replication as the deployment would run with the topics.
  if (deployment && topics.length > 0) {
    const before = new Set(deployment.problems.map(p => p.message));
    for (const p of validateDeploymentClusters(
      deployment.entity,
      source,
      target,
      [
        ...(deployment.approvedTopics ?? []),
        // Topics with a wrong suffix have their own problem already.
        ...topics.filter((_, i) => suffixOk[i]),
      ],
    )) {
      if (p.severity === 'error' && !before.has(p.message)) {
        problems.push(
          error(
            'topics',
            `with these topics, ${deployment.ref} ${p.path} ${p.message}`,
          ),
        );
      }
    }
  } else if (input.newDeployment) {
    const probe = {
      spec: {
        topics: input.suffix ? { suffix: input.suffix } : { names: topics },
      },
    } as unknown as MirrorMakerEntity;
    for (const p of validateDeploymentClusters(probe, source, target)) {
      if (p.severity === 'error' && p.path !== 'spec.topics') {
        problems.push(error('targetDataCentre', p.message));
      }
    }
  }
  // A deployment that copies target -> source and matches a topic sends it back.
  for (const back of ctx.deployments.filter(
    d => d.source?.name === target.name && d.target?.name === source.name,
  )) {
    const rule = matcherOf(back);
    topics.forEach((topic, i) => {
      if (suffixOk[i] && rule?.matches(topic)) {
        problems.push(
          error(
            `topics[${i}]`,
            `${back.ref} copies ${topic} from ${input.targetDataCentre} back to ${input.sourceDataCentre}: replicating it ${input.sourceDataCentre} -> ${input.targetDataCentre} too would be a loop`,
          ),
        );
      }
    });
  }

  // Already replicated, or already asked for.
  const replicated = new Set<number>();
  for (const carrier of carriers) {
    const rule = matcherOf(carrier);
    topics.forEach((topic, i) => {
      if (rule?.matches(topic)) {
        replicated.add(i);
        problems.push(
          error(
            `topics[${i}]`,
            `${topic} is already replicated ${input.sourceDataCentre} -> ${input.targetDataCentre} by ${carrier.ref}`,
          ),
        );
      }
    });
  }
  const open = (await ctx.openRequests()).filter(r =>
    deployment
      ? r.deploymentRef === deployment.ref
      : r.sourceCluster === source.name &&
        r.targetCluster === target.name &&
        r.newDeployment,
  );
  topics.forEach((topic, i) => {
    const other = open.find(r => r.topics.includes(topic));
    if (other && !replicated.has(i)) {
      problems.push(
        error(
          `topics[${i}]`,
          `${topic} is already asked for by request ${other.id} (${other.status}, by ${other.requester})`,
        ),
      );
    }
  });
  if (input.suffix !== undefined) {
    const other = open.find(r => r.suffix === input.suffix);
    if (other) {
      problems.push(
        error(
          'suffix',
          `a new deployment for ${input.sourceDataCentre} -> ${input.targetDataCentre} is already asked for by request ${other.id} (${other.status})`,
        ),
      );
    }
  }

  return { problems, source, target, deployment };
}
