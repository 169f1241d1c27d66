export * from './names';
export * from './regex';
export * from './effective';
