export * from './MirrorMakerApi';
