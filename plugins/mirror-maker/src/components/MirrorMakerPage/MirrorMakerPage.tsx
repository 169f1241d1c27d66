import { ReactNode } from 'react';
import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Route, Routes, useParams, useSearchParams } from 'react-router-dom';
import { parsePreview, TopologyPreview } from '../TopologyPreview';
import { Grid, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { ClusterList, MirrorMakerHealth, mirrorMakerApiRef } from '../../api';
import { TopologyView } from '../TopologyGraph/TopologyContent';
import { RequestContent, RequestsContent } from '../RequestsView';

/** Shows the health document; takes data, does not fetch it. */
export const HealthView = ({ health }: { health: MirrorMakerHealth }) => (
  <InfoCard title="Control plane">
    <Typography variant="body1" component="div">
      {health.database.ok ? (
        <StatusOK>Database reachable</StatusOK>
      ) : (
        <StatusError>
          Database unreachable: {health.database.message}
        </StatusError>
      )}
    </Typography>
    {health.deployTargets.length === 0 ? (
      <Typography variant="body2" component="div">
        <StatusWarning>No deploy target is installed</StatusWarning>
      </Typography>
    ) : (
      health.deployTargets.map(target => (
        <Typography variant="body2" component="div" key={target.name}>
          {target.ready ? (
            <StatusOK>Deploy target {target.name} ready</StatusOK>
          ) : (
            <StatusError>
              Deploy target {target.name} not ready: {target.message}
            </StatusError>
          )}
        </Typography>
      ))
    )}
  </InfoCard>
);

/** The configured clusters and whether their brokers answered; takes data. */
export const ClustersView = ({ clusters }: { clusters: ClusterList }) => (
  <InfoCard title="Clusters">
    {clusters.items.length === 0 ? (
      <EmptyState
        missing="data"
        title="No Kafka clusters configured"
        description="Add clusters under mirrorMaker.clusters in app-config."
      />
    ) : (
      clusters.items.map(cluster => (
        <Typography
          variant="body2"
          component="div"
          key={cluster.name}
          data-cluster={cluster.name}
        >
          {cluster.reachable ? (
            <StatusOK>
              {cluster.name} ({cluster.dataCentre}, .{cluster.topicSuffix}):
              reachable, {cluster.brokerCount}{' '}
              {cluster.brokerCount === 1 ? 'broker' : 'brokers'}
            </StatusOK>
          ) : (
            <StatusError>
              {cluster.name} ({cluster.dataCentre}, .{cluster.topicSuffix}):
              unreachable: {cluster.error}
            </StatusError>
          )}
        </Typography>
      ))
    )}
  </InfoCard>
);

export interface MirrorMakerPageProps {
  /**
   * Where the app mounts the replication content on a MirrorMaker entity
   * page, for links to rollouts: `''` (the page root, the legacy app) or
   * `mirror-maker` (the new frontend system).
   */
  entityContentPath?: string;
}

/** The queue of replication requests of every team and deployment. */
export const ReplicationRequestsCard = ({
  entityContentPath,
}: MirrorMakerPageProps) => (
  <InfoCard title="Replication requests">
    <RequestsContent entityContentPath={entityContentPath} />
  </InfoCard>
);

/** Progress, error or the view of one fetched value. */
function stateOf<T>(
  state: { loading: boolean; error?: Error; value?: T },
  view: (value: T) => ReactNode,
): ReactNode {
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  return state.value === undefined ? null : view(state.value);
}

/** Control plane health, the whole topology, the clusters and the request queue. */
const ReplicationOverview = ({ entityContentPath }: MirrorMakerPageProps) => {
  const api = useApi(mirrorMakerApiRef);
  const health = useAsync(() => api.getHealth(), [api]);
  const topology = useAsync(() => api.getTopology(), [api]);
  const clusters = useAsync(() => api.listClusters(), [api]);

  return (
    <Page themeId="tool">
      <Header
        title="Kafka replication"
        subtitle="MirrorMaker deployments across data centres"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12} md={6}>
            {stateOf(health, value => (
              <HealthView health={value} />
            ))}
          </Grid>
          <Grid item xs={12} md={6}>
            {stateOf(clusters, value => (
              <ClustersView clusters={value} />
            ))}
          </Grid>
          <Grid item xs={12}>
            {stateOf(topology, value =>
              value.nodes.length === 0 ? (
                <InfoCard title="Replication topology">
                  <EmptyState
                    missing="data"
                    title="No Kafka clusters configured"
                    description="The topology is drawn from the clusters under mirrorMaker.clusters in app-config and the MirrorMaker entities of the catalog."
                  />
                </InfoCard>
              ) : (
                <TopologyView topology={value} />
              ),
            )}
          </Grid>
          <Grid item xs={12}>
            <ReplicationRequestsCard entityContentPath={entityContentPath} />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};

/** `/mirror-maker/requests/:id`: one request, as the scaffolder action links to it. */
const RequestPage = ({ entityContentPath }: MirrorMakerPageProps) => {
  const { id = '' } = useParams();
  return (
    <Page themeId="tool">
      <Header title="Replication request" subtitle={id} />
      <Content>
        <InfoCard title={`Replication request ${id}`}>
          <RequestContent id={id} entityContentPath={entityContentPath} />
        </InfoCard>
      </Content>
    </Page>
  );
};

/**
 * The plugin's top-level page, with `requests/:id` for one request;
 * `?preview=20x200` draws a generated topology instead.
 */
export const MirrorMakerPage = (props: MirrorMakerPageProps) => {
  const [search] = useSearchParams();
  const preview = parsePreview(search.get('preview'));
  if (preview) {
    return (
      <Page themeId="tool">
        <Header title="Kafka replication" subtitle="Topology preview" />
        <Content>
          <TopologyPreview {...preview} />
        </Content>
      </Page>
    );
  }
  return (
    <Routes>
      <Route path="/requests/:id" element={<RequestPage {...props} />} />
      <Route path="/*" element={<ReplicationOverview {...props} />} />
    </Routes>
  );
};
