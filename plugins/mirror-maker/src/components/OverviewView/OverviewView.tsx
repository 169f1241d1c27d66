import { ReactNode } from 'react';
import type { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Grid, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  DeploymentHistory,
  EntityTopology,
  Rollout,
  RolloutStatus,
} from '../../api';
import { FindingsList } from '../TopologyGraph/FindingsList';
import { concerns, topologyRefOf } from '../TopologyGraph/highlight';
import { portRange, summarizeSpec } from './spec';

export interface OverviewViewProps {
  entity: Entity;
  /** `getEntityTopology` of the entity; unset when it could not be loaded. */
  topology?: EntityTopology;
  /** `listDeployments` of the entity. */
  history?: DeploymentHistory;
  /** Why the history could not be loaded. */
  historyError?: Error;
}

const STATUS: Record<RolloutStatus, typeof StatusOK> = {
  pending: StatusPending,
  running: StatusRunning,
  succeeded: StatusOK,
  failed: StatusError,
  stopped: StatusAborted,
};

const Line = ({ label, children }: { label: string; children: ReactNode }) => (
  <Typography variant="body2" component="div" gutterBottom>
    <strong>{label}:</strong> {children}
  </Typography>
);

const RolloutLine = ({ rollout }: { rollout: Rollout }) => {
  const Status = STATUS[rollout.status] ?? StatusPending;
  return (
    <Line label="Latest rollout">
      <Status>
        {rollout.kind === 'rollback' ? 'Rollback to' : 'Deploy of'} revision{' '}
        {rollout.revisionNumber}: {rollout.status}
        {rollout.status === 'running' || rollout.status === 'pending'
          ? ` (${rollout.doneSteps}/${rollout.totalSteps} steps)`
          : ''}
      </Status>
      {rollout.message && (
        <Typography variant="caption" component="div">
          {rollout.message}
        </Typography>
      )}
    </Line>
  );
};

/** A MirrorMaker at a glance; takes data, does not fetch it. */
export const OverviewView = ({
  entity,
  topology,
  history,
  historyError,
}: OverviewViewProps) => {
  const spec = summarizeSpec(entity);
  const ref = topologyRefOf(entity);
  const edge = topology?.edges.find(e => e.ref.toLowerCase() === ref);
  const findings = (topology?.findings ?? []).filter(f =>
    concerns(f, { deploymentRef: ref }),
  );
  const live = edge ? topology?.live[edge.source] : undefined;
  const latest = history?.running ?? history?.rollouts[0];

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Replication">
          <Line label="Source">
            {spec.source ? (
              <EntityRefLink entityRef={spec.source} defaultKind="Resource" />
            ) : (
              'not set in spec.source'
            )}
            {edge &&
              ` — cluster ${edge.source}${
                edge.sourceDataCentre ? ` in ${edge.sourceDataCentre}` : ''
              }`}
          </Line>
          <Line label="Target">
            {spec.target ? (
              <EntityRefLink entityRef={spec.target} defaultKind="Resource" />
            ) : (
              'not set in spec.target'
            )}
            {edge &&
              ` — cluster ${edge.target}${
                edge.targetDataCentre ? ` in ${edge.targetDataCentre}` : ''
              }`}
          </Line>
          {edge ? (
            <Typography variant="h6" component="p">
              {edge.sourceDataCentre ?? edge.source} →{' '}
              {edge.targetDataCentre ?? edge.target}
            </Typography>
          ) : (
            <Alert severity="warning">
              This deployment is not part of the replication topology: its
              source or target does not resolve to a configured cluster, or the
              entity failed validation.
            </Alert>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Topics">
          {spec.topics ? (
            <>
              {spec.topics.suffix !== undefined && (
                <Line label="Suffix">
                  every topic ending in <code>.{spec.topics.suffix}</code>
                </Line>
              )}
              {spec.topics.include !== undefined && (
                <Line label="Include">
                  <code>{spec.topics.include}</code>
                </Line>
              )}
              {spec.topics.names !== undefined && (
                <Line label="Names">
                  {spec.topics.names.join(', ') || 'none'}
                </Line>
              )}
              {spec.topics.exclude !== undefined && (
                <Line label="Exclude">
                  <code>{spec.topics.exclude}</code>
                </Line>
              )}
              {(edge?.include ?? spec.include) !== undefined && (
                <Line label="Effective --include">
                  <code>{edge?.include ?? spec.include}</code>
                </Line>
              )}
            </>
          ) : (
            <Line label="Rule">
              spec.topics sets none of suffix, include and names
            </Line>
          )}
          <Line label="Effective topics">
            {edge?.replicatedTopicCount !== undefined
              ? `${edge.replicatedTopicCount} live ${
                  edge.replicatedTopicCount === 1 ? 'topic' : 'topics'
                } of ${edge.source} match`
              : `by the rule only${
                  live?.reachable === false
                    ? `: the topics of ${edge?.source} could not be read (${
                        live.error ?? 'unreachable'
                      })`
                    : ': the live topics of the source are not known'
                }`}
          </Line>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Placement">
          {spec.placement ? (
            <>
              <Line label="Processes">
                {spec.placement.nodes.length}{' '}
                {spec.placement.nodes.length === 1 ? 'node' : 'nodes'} ×{' '}
                {spec.placement.processesPerNode} per node ×{' '}
                {spec.placement.numStreams}{' '}
                {spec.placement.numStreams === 1 ? 'stream' : 'streams'} ={' '}
                {spec.placement.nodes.length *
                  spec.placement.processesPerNode *
                  spec.placement.numStreams}{' '}
                consumer streams
              </Line>
              <Line label="Nodes">
                {spec.placement.nodes.join(', ') || 'none'}
              </Line>
              <Line label="JMX ports">
                {portRange(spec.placement.jmxPorts)}
              </Line>
              <Line label="Exporter ports">
                {portRange(spec.placement.exporterPorts)}
              </Line>
            </>
          ) : (
            <Line label="Placement">
              spec.placement.nodes is missing or not a list of host names
            </Line>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Revision">
          {historyError && (
            <Alert severity="error">
              The deployment history could not be loaded: {historyError.message}
            </Alert>
          )}
          {history && (
            <>
              <Line label="Current revision">
                {history.current
                  ? `${history.current.number}, by ${
                      history.current.createdBy
                    } at ${new Date(
                      history.current.createdAt,
                    ).toLocaleString()}${
                      history.current.reason
                        ? ` (${history.current.reason})`
                        : ''
                    }`
                  : 'never deployed successfully'}
              </Line>
              {latest ? (
                <RolloutLine rollout={latest} />
              ) : (
                <Line label="Latest rollout">none yet</Line>
              )}
              <Line label="Deploy target">{history.target}</Line>
            </>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Findings">
          <FindingsList
            findings={findings}
            emptyText="No findings concern this deployment."
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
};
