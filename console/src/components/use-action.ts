import { useState } from 'preact/hooks';

/** A write started from a button or form: busy while it runs, its failure kept to show in an ErrorBanner. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async <T>(write: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await write();
    } catch (failure) {
      setError(failure);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/**
 * A form's submit: reads its fields, sends them, and on success empties the form and hands the answer on;
 * a failure stays in `error` and the fields stay as typed, to correct.
 */
export function useFormSubmit<T>(send: (fields: FormData) => Promise<T>, done: (answer: T) => void) {
  const action = useAction();
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const answer = await action.run(() => send(new FormData(form)));
    if (answer === undefined) return;
    form.reset();
    done(answer);
  };
  return { ...action, submit };
}
