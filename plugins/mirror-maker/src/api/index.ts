export * from './MirrorMakerApi';
export * from './MirrorMakerClient';
export * from './types';
