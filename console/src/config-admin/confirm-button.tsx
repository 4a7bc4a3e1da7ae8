import { useState } from 'preact/hooks';

interface Props {
  /** What the button does, e.g. "Delete"; the second press reads "Confirm delete". */
  label: string;
  /** Said to screen readers after the label: which object it acts on. */
  about: string;
  busy: boolean;
  onConfirm: () => void;
}

/** A destructive command pressed twice: the first press asks, the second does it, Cancel steps back. */
export function ConfirmButton({ label, about, busy, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const hidden = <span class="visually-hidden"> {about}</span>;
  if (!asking) {
    return (
      <button type="button" class="secondary" onClick={() => setAsking(true)}>
        {label}
        {hidden}
      </button>
    );
  }
  return (
    <>
      <button type="button" class="danger" disabled={busy} onClick={onConfirm}>
        Confirm {label.toLowerCase()}
        {hidden}
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </>
  );
}
