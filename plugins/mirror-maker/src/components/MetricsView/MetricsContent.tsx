import { useEffect, useState } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { MIRROR_MAKER_KIND } from '@mirrormaker/plugin-mirror-maker-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { DeploymentMetrics, mirrorMakerApiRef } from '../../api';
import { MetricsView } from './MetricsView';
import {
  DEFAULT_METRICS_WINDOW,
  METRICS_REFRESH_MS,
  MetricsWindow,
} from './windows';

export interface MetricsContentProps {
  entity: Entity;
}

/**
 * Entity content: a MirrorMaker's lag, throughput, heartbeat and processes,
 * read again every 10 s while shown. A failed read keeps the last figures on
 * screen with a warning; only a first read that fails shows the error alone.
 */
export const MetricsContent = ({ entity }: MetricsContentProps) => {
  const api = useApi(mirrorMakerApiRef);
  const isMirrorMaker =
    entity.kind.toLowerCase() === MIRROR_MAKER_KIND.toLowerCase();
  const ref = getCompoundEntityRef(entity);
  const key = `${ref.kind}:${ref.namespace}/${ref.name}`;
  const [window, setWindow] = useState<MetricsWindow>(DEFAULT_METRICS_WINDOW);
  const [shown, setShown] = useState<DeploymentMetrics>();

  const read = useAsyncRetry(
    async () =>
      isMirrorMaker ? api.getDeploymentMetrics(ref, { window }) : undefined,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, isMirrorMaker, window],
  );
  useEffect(() => {
    if (read.value) setShown(read.value);
  }, [read.value]);
  // Counted from the end of the last read, so a slow backend is never asked
  // twice at once; useInterval clears its timer on unmount.
  useInterval(
    read.retry,
    isMirrorMaker && !read.loading ? METRICS_REFRESH_MS : null,
  );

  if (!isMirrorMaker) {
    return (
      <EmptyState
        missing="field"
        title="Not a MirrorMaker"
        description={`Replication metrics are shown for MirrorMaker entities; ${key} is a ${entity.kind}.`}
      />
    );
  }
  const metrics = read.value ?? shown;
  if (!metrics) {
    if (read.error) return <ResponseErrorPanel error={read.error} />;
    return <Progress />;
  }
  return (
    <MetricsView
      metrics={metrics}
      window={window}
      onWindowChange={setWindow}
      refreshing={read.loading}
      refreshError={read.error}
    />
  );
};
