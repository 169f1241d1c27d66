export {
  MirrorMakerPage,
  HealthView,
  ClustersView,
  ReplicationRequestsCard,
} from './MirrorMakerPage';
