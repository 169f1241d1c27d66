export { OverviewContent } from './OverviewContent';
export { OverviewView } from './OverviewView';
export type { OverviewViewProps } from './OverviewView';
export { summarizeSpec, portRange } from './spec';
export type { SpecSummary } from './spec';
