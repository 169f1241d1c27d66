export * from './TopologyPreview';
