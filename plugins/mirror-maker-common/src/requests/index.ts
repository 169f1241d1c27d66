export * from './types';
export * from './input';
export * from './window';
