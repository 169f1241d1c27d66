export { EntityRequestsCard } from './EntityRequestsCard';
export type { EntityRequestsCardProps } from './EntityRequestsCard';
