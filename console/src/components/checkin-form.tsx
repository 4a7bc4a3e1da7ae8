import { useState } from 'preact/hooks';
import type { Goal } from '../api/client';
import { type CheckInInput, type CheckInTarget, checkIn } from '../goals/checkins';
import { ErrorBanner } from './error-banner';

/** The form's fields as a check-in body: confidence is asked in percent, the API takes 0 to 1. */
function bodyOf(form: FormData): CheckInInput {
  const confidence = String(form.get('confidence') ?? '');
  const comment = String(form.get('comment') ?? '').trim();
  return {
    value: Number(form.get('value')),
    ...(confidence !== '' && { confidence: Number(confidence) / 100 }),
    ...(comment !== '' && { comment }),
  };
}

interface Props {
  target: CheckInTarget;
  /** What the form is about, for its labels ("Check in on Revenue"). */
  name: string;
  current: number;
  onCheckedIn: (goal: Goal) => void;
}

export function CheckInForm({ target, name, current, onCheckedIn }: Props) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = `${target.kind}-${target.id}`;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    setBusy(true);
    setError(null);
    try {
      onCheckedIn(await checkIn(target, bodyOf(new FormData(form))));
      form.reset();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="checkin-form" aria-label={`Check in on ${name}`} onSubmit={submit}>
      <ErrorBanner error={error} />
      <label for={`${id}-value`}>New value</label>
      <input
        id={`${id}-value`}
        name="value"
        type="number"
        step="any"
        required
        placeholder={String(current)}
      />
      <label for={`${id}-confidence`}>Confidence (0–100%)</label>
      <input id={`${id}-confidence`} name="confidence" type="number" min="0" max="100" step="1" />
      <label for={`${id}-comment`}>Comment</label>
      <textarea id={`${id}-comment`} name="comment" rows={2} maxLength={4000} />
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Check in'}
      </button>
    </form>
  );
}
