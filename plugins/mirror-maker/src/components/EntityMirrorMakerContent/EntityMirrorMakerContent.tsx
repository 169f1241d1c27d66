import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Tab, Tabs } from '@material-ui/core';
import { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { DeploymentsContent } from '../DeploymentsView';
import { FilesContent } from '../FilesView';
import { MetricsContent } from '../MetricsView';
import { OverviewContent } from '../OverviewView';
import { RequestsContent } from '../RequestsView';
import { SuffixMapContent } from '../SuffixMapTable';
import { TopologyContent } from '../TopologyGraph';

/** The views of a MirrorMaker entity, in the order people look at them. */
export const MIRROR_MAKER_TABS: {
  id: string;
  label: string;
  render: (entity: Entity) => ReactNode;
}[] = [
  {
    id: 'overview',
    label: 'Overview',
    render: e => <OverviewContent entity={e} />,
  },
  {
    id: 'metrics',
    label: 'Metrics',
    render: e => <MetricsContent entity={e} />,
  },
  {
    id: 'topology',
    label: 'Topology',
    render: e => <TopologyContent entity={e} />,
  },
  {
    id: 'suffix-map',
    label: 'Suffix map',
    render: e => <SuffixMapContent entity={e} />,
  },
  {
    id: 'deployments',
    label: 'Deployments',
    render: e => <DeploymentsContent entity={e} />,
  },
  { id: 'files', label: 'Files', render: e => <FilesContent entity={e} /> },
  {
    id: 'requests',
    label: 'Requests',
    render: e => <RequestsContent entity={stringifyEntityRef(e)} />,
  },
];

const knownTab = (id: string | null | undefined) =>
  MIRROR_MAKER_TABS.some(t => t.id === id) ? id! : undefined;

/**
 * Tabs over one entity's views; takes the entity, does not load it. The
 * open tab is the `tab` query parameter, so a link can open one (a
 * request's rollout links to `?tab=deployments&rollout=<id>`).
 */
export const MirrorMakerTabs = ({
  entity,
  initialTab = 'overview',
}: {
  entity: Entity;
  initialTab?: string;
}) => {
  const [search, setSearch] = useSearchParams();
  const tab = knownTab(search.get('tab')) ?? knownTab(initialTab) ?? 'overview';
  const setTab = (value: string) =>
    setSearch(
      prev => {
        const next = new URLSearchParams(prev);
        next.set('tab', value);
        // The rollout a link opened belongs to the Deployments tab it opened.
        next.delete('rollout');
        return next;
      },
      { replace: true },
    );
  const current = MIRROR_MAKER_TABS.find(t => t.id === tab)!;
  return (
    <>
      <Tabs
        value={tab}
        onChange={(_, value: string) => setTab(value)}
        indicatorColor="primary"
        textColor="primary"
        variant="scrollable"
        aria-label="MirrorMaker views"
      >
        {MIRROR_MAKER_TABS.map(t => (
          <Tab key={t.id} value={t.id} label={t.label} id={`mm-tab-${t.id}`} />
        ))}
      </Tabs>
      <Box pt={2} role="tabpanel" aria-labelledby={`mm-tab-${tab}`}>
        {current.render(entity)}
      </Box>
    </>
  );
};

/** The replication tab of a MirrorMaker entity page. */
export const EntityMirrorMakerContent = () => {
  const { entity } = useEntity();
  return <MirrorMakerTabs entity={entity} />;
};
