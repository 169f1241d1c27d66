import type { Entity } from '@backstage/catalog-model';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { ANNOTATION_TOPICS } from '@mirrormaker/plugin-mirror-maker-common';
import useAsync from 'react-use/esm/useAsync';
import { mirrorMakerApiRef } from '../../api';
import { ServiceReplicationView } from './ServiceReplicationView';

const ServiceReplication = ({ entity }: { entity: Entity }) => {
  const api = useApi(mirrorMakerApiRef);
  const ref = getCompoundEntityRef(entity);
  const key = `${ref.kind}:${ref.namespace}/${ref.name}`;
  const metrics = useAsync(
    () => api.getServiceMetrics(ref),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
  if (metrics.loading) {
    return (
      <InfoCard title="Topic replication">
        <Progress />
      </InfoCard>
    );
  }
  if (metrics.error || !metrics.value) {
    return (
      <InfoCard title="Topic replication">
        <ResponseErrorPanel
          error={metrics.error ?? new Error('The backend sent no metrics')}
        />
      </InfoCard>
    );
  }
  return <ServiceReplicationView metrics={metrics.value} />;
};

/**
 * Entity card for a Component that owns Kafka topics (the
 * `mirrormaker.io/topics` annotation): where each topic is replicated, by
 * which deployment, and how far behind.
 */
export const ServiceReplicationCard = () => {
  const { entity } = useEntity();
  if (entity.metadata.annotations?.[ANNOTATION_TOPICS] === undefined) {
    return <MissingAnnotationEmptyState annotation={ANNOTATION_TOPICS} />;
  }
  return <ServiceReplication entity={entity} />;
};
