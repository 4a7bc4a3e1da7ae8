import { useState } from 'preact/hooks';
import { api, type User, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { personName } from '../people/directory';
import { useFocusWhen } from '../people/focus';
import { invite } from '../people/invite';

/** Deactivate or reactivate, each after a confirmation; and the invitation to choose a password. */
export function StatusPanel({ person, onChanged }: { person: User; onChanged: (person: User) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const confirmButton = useFocusWhen<HTMLButtonElement>(confirming);
  const active = person.status === 'active';
  const name = personName(person);

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const path = active ? '/v1/users/{id}/deactivate' : '/v1/users/{id}/reactivate';
      const answer = await unwrap(api.POST(path, { params: { path: { id: String(person.id) } } }));
      setConfirming(false);
      onChanged(answer.data);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="status-heading">
      <h2 id="status-heading">Access</h2>
      <ErrorBanner error={error} />
      <p>
        {active
          ? `${name} is active: they can sign in and their API keys work.`
          : `${name} is deactivated: they cannot sign in and their API keys are refused.`}
      </p>
      {confirming ? (
        <fieldset class="confirm">
          <legend>
            {active
              ? `Deactivate ${name}? They cannot sign in or use their keys until they are reactivated.`
              : `Reactivate ${name}? They can sign in again and their keys work again.`}
          </legend>
          <button type="button" ref={confirmButton} disabled={busy} onClick={apply}>
            {active ? `Yes, deactivate ${name}` : `Yes, reactivate ${name}`}
          </button>{' '}
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </fieldset>
      ) : (
        <button type="button" class={active ? 'danger' : ''} onClick={() => setConfirming(true)}>
          {active ? 'Deactivate…' : 'Reactivate…'}
        </button>
      )}
      {active && person.kind === 'person' && <InviteButton person={person} />}
    </section>
  );
}

function InviteButton({ person }: { person: User }) {
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const send = async () => {
    setError(null);
    setNote('');
    try {
      const answer = (await invite(person.id)).data;
      setNote(answer.sent ? `An invitation was mailed to ${answer.email}.` : 'Test mode: nothing was sent.');
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <div class="invite">
      <button type="button" class="secondary" onClick={send}>
        Mail an invitation to sign in
      </button>
      <p role="status">{note}</p>
      <ErrorBanner error={error} />
    </div>
  );
}
