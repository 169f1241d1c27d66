import { useEffect, useState } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { ANNOTATION_CLUSTER } from '@mirrormaker/plugin-mirror-maker-common';
import useAsync from 'react-use/esm/useAsync';
import { MirrorMakerApi, mirrorMakerApiRef } from '../../api';
import { deploymentRefOf, FLOW_METRICS_WINDOW, FlowFigures } from './flows';
import { KafkaClusterView } from './KafkaClusterView';

/**
 * Reads the figures of each deployment on its own, so one that fails or
 * answers slowly shows its own error or wait and holds back no other.
 */
function useFlowFigures(
  api: MirrorMakerApi,
  refs: string[],
): Record<string, FlowFigures> {
  const [figures, setFigures] = useState<Record<string, FlowFigures>>({});
  const key = refs.join('\n');
  useEffect(() => {
    let live = true;
    setFigures({});
    const settle = (ref: string, value: FlowFigures) => {
      if (live) setFigures(prev => ({ ...prev, [ref]: value }));
    };
    for (const ref of key ? key.split('\n') : []) {
      Promise.resolve()
        .then(() =>
          api.getDeploymentMetrics(deploymentRefOf(ref), {
            window: FLOW_METRICS_WINDOW,
          }),
        )
        .then(
          metrics => settle(ref, { state: 'loaded', metrics }),
          error =>
            settle(ref, {
              state: 'error',
              error: error instanceof Error ? error : new Error(String(error)),
            }),
        );
    }
    return () => {
      live = false;
    };
  }, [api, key]);
  return figures;
}

const ClusterFlows = ({ entity }: { entity: Entity }) => {
  const api = useApi(mirrorMakerApiRef);
  const ref = getCompoundEntityRef(entity);
  const key = `${ref.kind}:${ref.namespace}/${ref.name}`;
  const topology = useAsync(
    () => api.getEntityTopology(ref),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
  const cluster =
    topology.value?.role === 'cluster' ? topology.value : undefined;
  const refs = cluster
    ? [...new Set(cluster.edges.map(e => e.ref))].sort()
    : [];
  const figures = useFlowFigures(api, refs);

  if (topology.loading) {
    return (
      <InfoCard title="Replication">
        <Progress />
      </InfoCard>
    );
  }
  if (topology.error) {
    return (
      <InfoCard title="Replication">
        <ResponseErrorPanel error={topology.error} />
      </InfoCard>
    );
  }
  if (!cluster) {
    return (
      <InfoCard title="Replication">
        <EmptyState
          missing="data"
          title="Not a Kafka cluster"
          description={`The backend does not treat ${key} as a kafka-cluster Resource; it needs spec.type kafka-cluster and the ${ANNOTATION_CLUSTER} annotation.`}
        />
      </InfoCard>
    );
  }
  return <KafkaClusterView topology={cluster} figures={figures} />;
};

/**
 * Entity card for a kafka-cluster Resource: the MirrorMaker deployments
 * replicating into and out of the cluster, with their lag and heartbeat.
 */
export const KafkaClusterCard = () => {
  const { entity } = useEntity();
  if (!entity.metadata.annotations?.[ANNOTATION_CLUSTER]) {
    return <MissingAnnotationEmptyState annotation={ANNOTATION_CLUSTER} />;
  }
  return <ClusterFlows entity={entity} />;
};
