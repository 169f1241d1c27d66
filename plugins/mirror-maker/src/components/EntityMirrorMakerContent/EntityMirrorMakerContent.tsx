import { Entity } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Tab, Tabs } from '@material-ui/core';
import { ReactNode, useState } from 'react';
import { DeploymentsContent } from '../DeploymentsView';
import { FilesContent } from '../FilesView';
import { MetricsContent } from '../MetricsView';
import { OverviewContent } from '../OverviewView';
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
];

/** Tabs over one entity's views; takes the entity, does not load it. */
export const MirrorMakerTabs = ({
  entity,
  initialTab = 'overview',
}: {
  entity: Entity;
  initialTab?: string;
}) => {
  const [tab, setTab] = useState(
    MIRROR_MAKER_TABS.some(t => t.id === initialTab) ? initialTab : 'overview',
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
