import { InfoCard } from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { generateTopology, TopologyGraph } from '../TopologyGraph';

/** Largest synthetic graph the preview draws; beyond it a tab would freeze. */
export const PREVIEW_LIMITS = { dataCentres: 50, flows: 2000 };

/**
 * Reads `?preview=<DCs>x<flows>` (e.g. `20x200`); undefined when absent or
 * out of bounds, so a bad link shows the normal page.
 */
export function parsePreview(
  value: string | null,
): { dataCentres: number; flows: number } | undefined {
  const match = value ? /^([1-9][0-9]?)x([1-9][0-9]{0,3})$/.exec(value) : null;
  if (!match) return undefined;
  const dataCentres = Number(match[1]);
  const flows = Number(match[2]);
  if (
    dataCentres > PREVIEW_LIMITS.dataCentres ||
    flows > PREVIEW_LIMITS.flows
  ) {
    return undefined;
  }
  return { dataCentres, flows };
}

/**
 * The topology graph of a generated catalog of the given size, with the time
 * from building the topology to the drawing being in the document: how a
 * platform team checks the picture stays usable at its own scale before
 * modelling it.
 */
export const TopologyPreview = ({
  dataCentres,
  flows,
}: {
  dataCentres: number;
  flows: number;
}) => {
  const started = useRef(performance.now());
  const topology = useMemo(
    () => generateTopology(dataCentres, flows),
    [dataCentres, flows],
  );
  const [renderMs, setRenderMs] = useState<number>();
  useLayoutEffect(() => {
    setRenderMs(performance.now() - started.current);
  }, [topology]);
  return (
    <InfoCard
      title={`Topology preview: ${dataCentres} data centres, ${flows} deployments (generated)`}
    >
      <Typography variant="body2" data-testid="topology-preview-time">
        {renderMs === undefined
          ? 'drawing ...'
          : `drawn in ${Math.round(renderMs)} ms`}
      </Typography>
      <TopologyGraph topology={topology} />
    </InfoCard>
  );
};
