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
import { messageOf } from '../DeploymentsView/format';

/** The backend accepts reasons of 1-2000 characters. */
const MAX_REASON = 2000;

export interface DecisionDialogProps {
  open: boolean;
  title: string;
  description?: ReactNode;
  /** The submit button's text, e.g. `Approve request`. */
  confirmLabel: string;
  /** The text field's label: `Reason`, `Note`. */
  reasonLabel: string;
  reasonHelp: string;
  /** Refuse to submit without a reason (reject does). */
  reasonRequired: boolean;
  onClose: () => void;
  /** Rejects to keep the dialog open with the backend's message shown. */
  onConfirm: (reason: string | undefined) => Promise<void>;
}

/** Asks for the reason of a decision on a request, required or optional. */
export const DecisionDialog = ({
  open,
  title,
  description,
  confirmLabel,
  reasonLabel,
  reasonHelp,
  reasonRequired,
  onClose,
  onConfirm,
}: DecisionDialogProps) => {
  const id = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [tried, setTried] = useState(false);

  useEffect(() => {
    if (open) {
      setReason('');
      setError(undefined);
      setBusy(false);
      setTried(false);
    }
  }, [open]);

  const trimmed = reason.trim();
  const missing = reasonRequired && trimmed.length === 0;
  const confirm = async () => {
    setTried(true);
    if (missing) return;
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(trimmed || undefined);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      aria-labelledby={`${id}-title`}
    >
      <DialogTitle id={`${id}-title`}>{title}</DialogTitle>
      <DialogContent>
        {description && <DialogContentText>{description}</DialogContentText>}
        <TextField
          id={`${id}-reason`}
          fullWidth
          multiline
          required={reasonRequired}
          margin="normal"
          label={reasonLabel}
          error={tried && missing}
          helperText={
            tried && missing
              ? `A ${reasonLabel.toLowerCase()} is required: the requester reads it.`
              : reasonHelp
          }
          value={reason}
          inputProps={{ maxLength: MAX_REASON }}
          onChange={e => setReason(e.target.value)}
        />
        {error && <Alert severity="error">{messageOf(error)}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Close
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || missing}
          onClick={confirm}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
