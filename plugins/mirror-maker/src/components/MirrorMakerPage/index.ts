export { MirrorMakerPage, HealthView } from './MirrorMakerPage';
