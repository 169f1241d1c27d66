export { DeploymentsContent, PermissionCaption } from './DeploymentsContent';
export type {
  DeploymentsContentProps,
  DeployPermissionState,
} from './DeploymentsContent';
export { HistoryTable } from './HistoryTable';
export type { HistoryTableProps } from './HistoryTable';
export { ProcessesTable } from './ProcessesTable';
export { PatchView, RevisionDiffPanel, RevisionDiffView } from './DiffView';
export { ReasonDialog } from './ReasonDialog';
export type { ReasonDialogProps } from './ReasonDialog';
export {
  RolloutEventList,
  RolloutProgressView,
  useRolloutPoll,
} from './RolloutProgress';
export { messageOf } from './format';
