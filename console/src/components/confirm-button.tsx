import { useState } from 'preact/hooks';
import { ErrorBanner } from './error-banner';
import { useAction } from './use-action';

interface Props {
  /** The button's words, e.g. "Revoke". */
  action: string;
  /** What it acts on, for the accessible names: "Revoke CI script". */
  what: string;
  /** The write, e.g. the DELETE; a failure shows beside the button with its request id. */
  confirmed: () => Promise<unknown>;
  onDone: () => void;
}

/** A destructive action asked twice, without a modal: the first press shows Confirm and Cancel in place. */
export function ConfirmButton({ action, what, confirmed, onDone }: Props) {
  const [asking, setAsking] = useState(false);
  const write = useAction();
  const confirm = () => write.run(confirmed).then((done) => done !== undefined && onDone());
  return (
    <div class="confirm">
      <ErrorBanner error={write.error} />
      {asking ? (
        <>
          <button
            type="button"
            class="danger"
            disabled={write.busy}
            aria-label={`Confirm ${action.toLowerCase()} ${what}`}
            onClick={confirm}
          >
            Confirm {action.toLowerCase()}
          </button>
          <button type="button" class="secondary" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" class="danger" aria-label={`${action} ${what}`} onClick={() => setAsking(true)}>
          {action}
        </button>
      )}
    </div>
  );
}
