export {
  MirrorMakerPage,
  HealthView,
  ClustersView,
  ReplicationRequestsCard,
} from './MirrorMakerPage';
export type { MirrorMakerPageProps } from './MirrorMakerPage';
