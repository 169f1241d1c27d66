import { ReactNode, useEffect, useId, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { messageOf } from './format';

/** The backend keeps at most this many characters of a reason. */
const MAX_REASON = 1000;

export interface ReasonDialogProps {
  open: boolean;
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  /** Extra fields between the description and the reason. */
  children?: ReactNode;
  onCancel: () => void;
  /** Rejects to keep the dialog open with the error shown. */
  onConfirm: (reason: string) => Promise<void>;
}

/** Asks why before a change: the backend refuses deploy, stop and rollback without a reason. */
export const ReasonDialog = ({
  open,
  title,
  description,
  confirmLabel,
  children,
  onCancel,
  onConfirm,
}: ReasonDialogProps) => {
  const id = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  useEffect(() => {
    if (open) {
      setReason('');
      setError(undefined);
      setBusy(false);
    }
  }, [open]);

  const trimmed = reason.trim();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(trimmed);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : onCancel} fullWidth>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {description && <DialogContentText>{description}</DialogContentText>}
        {children}
        <TextField
          id={`${id}-reason`}
          fullWidth
          multiline
          required
          margin="normal"
          label="Reason"
          helperText="Kept with the rollout and in the audit log"
          value={reason}
          inputProps={{ maxLength: MAX_REASON }}
          onChange={e => setReason(e.target.value)}
        />
        {error && <Alert severity="error">{messageOf(error)}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || trimmed.length === 0}
          onClick={confirm}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
