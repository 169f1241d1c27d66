import {
  Content,
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
import { Grid, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { MirrorMakerHealth, mirrorMakerApiRef } from '../../api';

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

/** The plugin's top-level page. */
export const MirrorMakerPage = () => {
  const api = useApi(mirrorMakerApiRef);
  const { value, loading, error } = useAsync(() => api.getHealth(), [api]);

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (value) {
    body = <HealthView health={value} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title="Kafka replication"
        subtitle="MirrorMaker deployments across data centres"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12} md={6}>
            {body}
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};
