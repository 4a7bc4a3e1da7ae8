import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorBanner } from '../components/error-banner';
import { SelectField } from '../components/select-field';
import { useFormSubmit } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { when } from '../me/when';
import { ListSection, useWithPeople } from '../people/listed';
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
  const card = (r: Recognition, name: (id: number) => string) => (
    <RecognitionCard key={r.id} recognition={r} name={name} />
  );
  return (
    <section>
      <h1>Recognition</h1>
      <GiveRecognition me={me} onGiven={given.reload} />
      <ListSection
        title="Received"
        label="Recognition received"
        empty="Nobody has recognised you yet."
        me={me}
        loaded={received}
        card={card}
      />
      <ListSection
        title="Given"
        label="Recognition given"
        empty="You have not recognised anyone yet."
        me={me}
        loaded={given}
        card={card}
      />
    </section>
  );
}

const useRecognition = (filter: Filter) =>
  useWithPeople(
    async () =>
      (await unwrap(api.GET('/v1/recognition', { params: { query: { ...filter, size: 50 } } }))).data,
    (r) => [r.giver_id, ...r.receiver_ids],
    [JSON.stringify(filter)],
  );

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

/** The form's fields as the API's body: one receiver, and a company value only when one is chosen. */
function recognitionOf(fields: FormData) {
  const value = String(fields.get('company_value_id') ?? '');
  return {
    receiver_ids: [Number(fields.get('receiver_id'))],
    message: String(fields.get('message')).trim(),
    visibility: fields.get('visibility') === 'private' ? ('private' as const) : ('public' as const),
    ...(value !== '' && { company_value_id: Number(value) }),
  };
}

function GiveRecognition({ me, onGiven }: { me: number; onGiven: () => void }) {
  const values = useLoad(
    () => unwrap(api.GET('/v1/company-values', { params: { query: { size: 100 } } })),
    [],
  );
  const form = useFormSubmit(
    (fields) => unwrap(api.POST('/v1/recognition', { body: recognitionOf(fields) })),
    onGiven,
  );
  return (
    <form class="stack card" aria-label="Recognise a colleague" onSubmit={form.submit}>
      <h2>Recognise a colleague</h2>
      <ErrorBanner error={form.error ?? values.error} />
      <PersonPicker name="receiver_id" label="Colleague" exclude={me} />
      <label>
        Message (#words become hashtags)
        <textarea name="message" rows={3} required maxLength={2000} />
      </label>
      <SelectField label="Company value" name="company_value_id">
        <option value="">None</option>
        {values.value?.data.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Who sees it" name="visibility">
        <option value="public">Everyone in the organisation</option>
        <option value="private">Only the people involved, their managers and admins</option>
      </SelectField>
      <button type="submit" disabled={form.busy}>
        {form.busy ? 'Sending…' : 'Recognise'}
      </button>
    </form>
  );
}
