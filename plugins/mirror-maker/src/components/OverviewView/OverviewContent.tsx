import type { Entity } from '@backstage/catalog-model';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { MIRROR_MAKER_KIND } from '@mirrormaker/plugin-mirror-maker-common';
import useAsync from 'react-use/esm/useAsync';
import { mirrorMakerApiRef } from '../../api';
import { OverviewView } from './OverviewView';

/** Entity content: a MirrorMaker's flow, topics, placement, revision and findings. */
export const OverviewContent = ({ entity }: { entity: Entity }) => {
  const api = useApi(mirrorMakerApiRef);
  const isMirrorMaker =
    entity.kind.toLowerCase() === MIRROR_MAKER_KIND.toLowerCase();
  const ref = getCompoundEntityRef(entity);
  const key = `${ref.kind}:${ref.namespace}/${ref.name}`;
  const topology = useAsync(
    async () => (isMirrorMaker ? api.getEntityTopology(ref) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, isMirrorMaker],
  );
  const history = useAsync(
    async () => (isMirrorMaker ? api.listDeployments(ref) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, isMirrorMaker],
  );

  if (!isMirrorMaker) {
    return (
      <EmptyState
        missing="field"
        title="Not a MirrorMaker"
        description={`The overview shows MirrorMaker entities; ${key} is a ${entity.kind}.`}
      />
    );
  }
  if (topology.loading || history.loading) return <Progress />;
  if (topology.error) return <ResponseErrorPanel error={topology.error} />;
  if (topology.value && topology.value.role !== 'deployment') {
    return (
      <EmptyState
        missing="data"
        title="No deployment topology"
        description={`The backend does not treat ${key} as a deployment.`}
      />
    );
  }
  return (
    <OverviewView
      entity={entity}
      topology={topology.value}
      history={history.value}
      historyError={history.error}
    />
  );
};
