import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ConfirmButton } from '../components/confirm-button';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { usePeopleNames } from '../config-admin/people';
import { useAction } from '../config-admin/use-action';
import { PersonPicker } from '../people/person-picker';
import type { Cycle, TalentRecord } from './cycles';

interface Props {
  cycle: Cycle;
  /** The records the reader sees: those in no session are the new session's choices. */
  records: TalentRecord[];
  onChanged: () => void;
}

/** A cycle's sessions: who is calibrated in each and who facilitates; a new one; delete, asked twice. */
export function Sessions({ cycle, records, onChanged }: Props) {
  const sessions = useLoad(
    () =>
      unwrap(
        api.GET('/v1/calibration/cycles/{id}/sessions', {
          params: { path: { id: cycle.id }, query: { size: 100 } },
        }),
      ).then((a) => a.data),
    [cycle.id, records],
  );
  const list = sessions.value ?? [];
  const nameOf = usePeopleNames([
    ...list.flatMap((s) => [...s.participant_ids, ...s.facilitator_ids]),
    ...records.map((r) => r.user_id),
  ]);
  const names = (ids: number[]) => (ids.length ? ids.map(nameOf).join(', ') : 'nobody');
  const remove = (sessionId: number) =>
    unwrap(
      api.DELETE('/v1/calibration/cycles/{id}/sessions/{session_id}', {
        params: { path: { id: cycle.id, session_id: sessionId } },
      }),
    );

  if (cycle.state === 'draft') return <p>Sessions split an open cycle's people: open it first.</p>;
  return (
    <>
      <ErrorBanner error={sessions.error} />
      {!sessions.value && !sessions.error && <p aria-live="polite">Loading sessions…</p>}
      {sessions.value?.length === 0 && <p>No sessions yet: everyone is calibrated together.</p>}
      <ul class="cards">
        {list.map((s) => (
          <li key={s.id} class="card">
            <h3>{s.name}</h3>
            <p>Participants: {names(s.participant_ids)}</p>
            <p>Facilitators: {names(s.facilitator_ids)}</p>
            <ConfirmButton action="Delete" what={s.name} confirmed={() => remove(s.id)} onDone={onChanged} />
          </li>
        ))}
      </ul>
      <SessionForm
        cycle={cycle}
        free={records.filter((r) => r.session_id === null)}
        nameOf={nameOf}
        onCreated={onChanged}
      />
    </>
  );
}

interface FormProps {
  cycle: Cycle;
  free: TalentRecord[];
  nameOf: (id: number) => string;
  onCreated: () => void;
}

/** Name, participants ticked among the records in no session, and one facilitator found by search. */
function SessionForm({ cycle, free, nameOf, onCreated }: FormProps) {
  // Remounts the picker after a create: its search is its own state, which a form reset does not empty.
  const [made, setMade] = useState(0);
  const create = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const facilitator = String(data.get('facilitator_id') ?? '');
    const body = {
      name: String(data.get('name') ?? '').trim(),
      participant_ids: data.getAll('participant_ids').map(Number),
      facilitator_ids: facilitator ? [Number(facilitator)] : [],
    };
    await unwrap(
      api.POST('/v1/calibration/cycles/{id}/sessions', { params: { path: { id: cycle.id } }, body }),
    );
    form.reset();
    setMade((n) => n + 1);
    onCreated();
  });
  return (
    <form
      class="stack admin-form"
      aria-label="New session"
      onSubmit={(event) => {
        event.preventDefault();
        create.run(event.currentTarget);
      }}
    >
      <h3>New session</h3>
      <ErrorBanner error={create.error} />
      <label for="session-name">Session name</label>
      <input id="session-name" name="name" required maxLength={200} />
      <fieldset>
        <legend>Participants (people in no session yet)</legend>
        {free.length === 0 && <p>Everyone is in a session already.</p>}
        {free.map((r) => (
          <label key={r.id} class="check">
            <input type="checkbox" name="participant_ids" value={String(r.user_id)} /> {nameOf(r.user_id)}
          </label>
        ))}
      </fieldset>
      <PersonPicker key={made} name="facilitator_id" label="Facilitator" />
      <div class="actions">
        <button type="submit" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create session'}
        </button>
      </div>
    </form>
  );
}
