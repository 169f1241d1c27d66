import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { REPLICATION_REQUEST_STATUSES } from '@mirrormaker/plugin-mirror-maker-common';
import { RequestsContent } from '../RequestsView';

export interface EntityRequestsCardProps {
  /** See `RequestsContentProps.entityContentPath`. */
  entityContentPath?: string;
  /** How often active requests are fetched again; default 5 s. */
  pollIntervalMs?: number;
}

/**
 * Entity card: the replication requests about this entity (a service's
 * requests on its page; a team's on the group page), filtered by status.
 * Unlike the approvers' queue it starts with every status: a team wants to
 * see where its past requests ended, too.
 */
export const EntityRequestsCard = ({
  entityContentPath,
  pollIntervalMs,
}: EntityRequestsCardProps) => {
  const { entity } = useEntity();
  return (
    <InfoCard title="Replication requests">
      <RequestsContent
        entity={stringifyEntityRef(entity)}
        initialStatuses={REPLICATION_REQUEST_STATUSES}
        entityContentPath={entityContentPath}
        pollIntervalMs={pollIntervalMs}
      />
    </InfoCard>
  );
};
