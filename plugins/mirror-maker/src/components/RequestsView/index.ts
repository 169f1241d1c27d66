export { RequestsView, StatusFilter } from './RequestsView';
export type { RequestsViewProps } from './RequestsView';
export { RequestsContent, RequestContent } from './RequestsContent';
export type {
  RequestsContentProps,
  RequestContentProps,
} from './RequestsContent';
export { RequestDetails } from './RequestDetails';
export { RequestActions } from './RequestActions';
export { DecisionDialog } from './DecisionDialog';
export { useRequest, useRequestQueue } from './useRequests';
export {
  ACTIVE_STATUSES,
  DEFAULT_STATUSES,
  RequestStatusChip,
  isActive,
} from './format';
