import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorBanner } from '../components/error-banner';
import { SelectField } from '../components/select-field';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { displayName } from '../goals/load';
import { when } from '../me/when';
import { peopleByIds } from '../people/names';
import { PersonPicker } from '../people/person-picker';
import { useSession } from '../session';

type Recognition = components['schemas']['Recognition'];
type Filter = { receiver_id: number } | { giver_id: number };

/** Recognition I received and gave (docs/recognition.md), newest first, and thanks to give a colleague. */
export function MyRecognitionScreen() {
  const { session } = useSession();
  const me = session?.userId ?? 0;
  const received = useRecognition({ receiver_id: me });
  const given = useRecognition({ giver_id: me });
  return (
    <section>
      <h1>Recognition</h1>
      <GiveRecognition me={me} onGiven={given.reload} />
      <RecognitionList title="Received" empty="Nobody has recognised you yet." loaded={received} me={me} />
      <RecognitionList title="Given" empty="You have not recognised anyone yet." loaded={given} me={me} />
    </section>
  );
}

function useRecognition(filter: Filter) {
  return useLoad(async () => {
    const answer = await unwrap(api.GET('/v1/recognition', { params: { query: { ...filter, size: 50 } } }));
    const people = await peopleByIds(answer.data.flatMap((r) => [r.giver_id, ...r.receiver_ids]));
    return { list: answer.data, people };
  }, [JSON.stringify(filter)]);
}

interface ListProps {
  title: string;
  empty: string;
  me: number;
  loaded: ReturnType<typeof useRecognition>;
}

function RecognitionList({ title, empty, me, loaded }: ListProps) {
  const value = loaded.value;
  const name = (id: number) => (id === me ? 'you' : displayName(value?.people.get(id)));
  return (
    <section aria-label={`Recognition ${title.toLowerCase()}`}>
      <h2>{title}</h2>
      <ErrorBanner error={loaded.error} />
      {!value && !loaded.error && <p aria-live="polite">Loading…</p>}
      {value?.list.length === 0 && <p class="muted">{empty}</p>}
      <ul class="cards">
        {value?.list.map((r) => (
          <RecognitionCard key={r.id} recognition={r} name={name} />
        ))}
      </ul>
    </section>
  );
}

function RecognitionCard({
  recognition: r,
  name,
}: {
  recognition: Recognition;
  name: (id: number) => string;
}) {
  return (
    <li class="card">
      <p class="muted">
        From {name(r.giver_id)} to {r.receiver_ids.map(name).join(', ')} · {when(r.created_at)}
        {r.visibility === 'private' && ' · private'}
      </p>
      <p class="comment-body">{r.message}</p>
      {(r.company_value || r.hashtags.length > 0) && (
        <p class="muted">
          {r.company_value && `Value: ${r.company_value.name} `}
          {r.hashtags.map((tag) => `#${tag}`).join(' ')}
        </p>
      )}
    </li>
  );
}

function GiveRecognition({ me, onGiven }: { me: number; onGiven: () => void }) {
  const action = useAction();
  const values = useLoad(
    () => unwrap(api.GET('/v1/company-values', { params: { query: { size: 100 } } })),
    [],
  );
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const value = String(fields.get('company_value_id') ?? '');
    const body = {
      receiver_ids: [Number(fields.get('receiver_id'))],
      message: String(fields.get('message')).trim(),
      visibility: fields.get('visibility') === 'private' ? ('private' as const) : ('public' as const),
      ...(value !== '' && { company_value_id: Number(value) }),
    };
    const done = await action.run(() => unwrap(api.POST('/v1/recognition', { body })));
    if (!done) return;
    form.reset();
    onGiven();
  };
  return (
    <form class="stack card" aria-label="Recognise a colleague" onSubmit={submit}>
      <h2>Recognise a colleague</h2>
      <ErrorBanner error={action.error ?? values.error} />
      <PersonPicker name="receiver_id" label="Colleague" exclude={me} />
      <label>
        Message (#words become hashtags)
        <textarea name="message" rows={3} required maxLength={2000} />
      </label>
      <SelectField label={'Company value'} name="company_value_id">
        <option value="">None</option>
        {values.value?.data.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={'Who sees it'} name="visibility">
        <option value="public">Everyone in the organisation</option>
        <option value="private">Only the people involved, their managers and admins</option>
      </SelectField>
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Sending…' : 'Recognise'}
      </button>
    </form>
  );
}
