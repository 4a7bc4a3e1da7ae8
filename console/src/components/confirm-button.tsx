import { useState } from 'preact/hooks';

interface Props {
  /** The button's words, e.g. "Revoke". */
  action: string;
  /** What it acts on, for the accessible names: "Revoke CI script". */
  what: string;
  busy?: boolean;
  onConfirm: () => void;
}

/** A destructive action asked twice, without a modal: the first press shows Confirm and Cancel in place. */
export function ConfirmButton({ action, what, busy = false, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" class="danger" aria-label={`${action} ${what}`} onClick={() => setAsking(true)}>
        {action}
      </button>
    );
  return (
    <span class="confirm">
      <button
        type="button"
        class="danger"
        disabled={busy}
        aria-label={`Confirm ${action.toLowerCase()} ${what}`}
        onClick={onConfirm}
      >
        Confirm {action.toLowerCase()}
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
