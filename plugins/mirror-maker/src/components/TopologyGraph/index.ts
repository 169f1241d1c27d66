export { TopologyGraph } from './TopologyGraph';
export type { TopologyGraphProps, TopologyHighlight } from './TopologyGraph';
export { TopologyContent, TopologyView } from './TopologyContent';
export { FindingsList } from './FindingsList';
export type { FindingsListProps } from './FindingsList';
export { layoutTopology, boxesOverlap, boxContains } from './layout';
export type {
  LayoutBox,
  ClusterBox,
  DataCentreBox,
  EdgePath,
  LayoutOptions,
  Point,
  TopologyLayout,
} from './layout';
export { generateTopology } from './generate';
export { highlightOf, topologyRefOf, concerns } from './highlight';
