import { useMemo } from 'react';
import type { Entity } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import { mirrorMakerApiRef, TopologyResult } from '../../api';
import { FindingsList } from './FindingsList';
import { concerns, highlightOf } from './highlight';
import { TopologyGraph, TopologyHighlight } from './TopologyGraph';

/** The topology with an entity's part highlighted and the findings that concern it; takes data. */
export const TopologyView = ({
  topology,
  highlight,
}: {
  topology: TopologyResult;
  highlight?: TopologyHighlight;
}) => {
  const findings = highlight
    ? topology.findings.filter(f => concerns(f, highlight))
    : topology.findings;
  const elsewhere = topology.findings.length - findings.length;
  return (
    <InfoCard
      title="Replication topology"
      subheader={`Generated ${new Date(topology.generatedAt).toLocaleString()}`}
    >
      <TopologyGraph topology={topology} highlight={highlight} />
      <Box mt={2}>
        <Typography variant="h6" gutterBottom>
          {highlight ? 'Findings concerning this entity' : 'Findings'}
        </Typography>
        <FindingsList findings={findings} emptyText="No findings." />
        {!highlight &&
          (topology.deploymentProblems ?? []).map(problem => (
            <Box key={problem.ref} mb={1}>
              <Alert severity="error" data-problem={problem.ref}>
                {problem.ref} is left out of the topology:{' '}
                {problem.problems
                  .map(p => `${p.path}: ${p.message}`)
                  .join('; ')}
              </Alert>
            </Box>
          ))}
        {highlight && elsewhere > 0 && (
          <Typography variant="caption" component="p">
            {elsewhere} more{' '}
            {elsewhere === 1 ? 'finding concerns' : 'findings concern'} other
            parts of the topology.
          </Typography>
        )}
      </Box>
    </InfoCard>
  );
};

/**
 * Entity content: the whole replication topology with the entity drawn on
 * top (a MirrorMaker as its arrow, a kafka-cluster Resource as its box).
 */
export const TopologyContent = ({ entity }: { entity: Entity }) => {
  const api = useApi(mirrorMakerApiRef);
  const { value, loading, error } = useAsync(() => api.getTopology(), [api]);
  const highlight = useMemo(() => highlightOf(entity), [entity]);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.nodes.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No Kafka clusters configured"
        description="The replication topology is drawn from the clusters under mirrorMaker.clusters in app-config and the MirrorMaker entities of the catalog; no cluster is configured yet."
      />
    );
  }
  return <TopologyView topology={value} highlight={highlight} />;
};
