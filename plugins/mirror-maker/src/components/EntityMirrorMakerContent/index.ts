export * from './EntityMirrorMakerContent';
