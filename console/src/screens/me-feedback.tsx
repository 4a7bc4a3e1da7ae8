import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorBanner } from '../components/error-banner';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { displayName } from '../goals/load';
import { day } from '../me/when';
import { peopleByIds } from '../people/names';
import { PersonPicker } from '../people/person-picker';
import { useSession } from '../session';

type FeedbackResponse = components['schemas']['FeedbackResponse'];
type Filter = { recipient_id: number } | { provider_id: number };

/**
 * Feedback about me and by me (docs/feedback.md), exactly as the API lists it: feedback anonymous to me is
 * never listed (it reaches me only pooled in a request's results), so no author is ever guessed here.
 */
export function MyFeedbackScreen() {
  const { session } = useSession();
  const me = session?.userId ?? 0;
  const received = useFeedback({ recipient_id: me });
  const given = useFeedback({ provider_id: me });
  return (
    <section>
      <h1>Feedback</h1>
      <GiveFeedback me={me} onGiven={given.reload} />
      <AskedOfMe me={me} />
      <FeedbackList title="Received" empty="No feedback about you yet." loaded={received} me={me} />
      <FeedbackList title="Given" empty="You have not given feedback yet." loaded={given} me={me} />
    </section>
  );
}

function useFeedback(filter: Filter) {
  return useLoad(async () => {
    const answer = await unwrap(api.GET('/v1/feedback', { params: { query: { ...filter, size: 50 } } }));
    const people = await peopleByIds(answer.data.flatMap((f) => [f.provider_user_id, f.recipient_user_id]));
    return { list: answer.data, people };
  }, [JSON.stringify(filter)]);
}

interface ListProps {
  title: string;
  empty: string;
  me: number;
  loaded: ReturnType<typeof useFeedback>;
}

function FeedbackList({ title, empty, me, loaded }: ListProps) {
  const value = loaded.value;
  const name = (id: number) => (id === me ? 'you' : displayName(value?.people.get(id)));
  return (
    <section aria-label={`Feedback ${title.toLowerCase()}`}>
      <h2>{title}</h2>
      <ErrorBanner error={loaded.error} />
      {!value && !loaded.error && <p aria-live="polite">Loading…</p>}
      {value?.list.length === 0 && <p class="muted">{empty}</p>}
      <ul class="cards">
        {value?.list.map((f) => (
          <FeedbackCard key={f.id} feedback={f} name={name} />
        ))}
      </ul>
    </section>
  );
}

function FeedbackCard({ feedback: f, name }: { feedback: FeedbackResponse; name: (id: number) => string }) {
  return (
    <li class="card">
      <p class="muted">
        From {name(f.provider_user_id)} about {name(f.recipient_user_id)} · {day(f.submitted_on)}
        {f.request_id !== null && ' · answering a request'}
      </p>
      {f.body ? (
        <p class="comment-body">{f.body}</p>
      ) : (
        <p class="muted">
          {f.answers.length} answer{f.answers.length === 1 ? '' : 's'} to the template's questions
        </p>
      )}
    </li>
  );
}

/** Requests for feedback I was asked to answer, with my status on each. */
function AskedOfMe({ me }: { me: number }) {
  const loaded = useLoad(async () => {
    const query = { provider_id: me, status: 'open' as const, size: 50 };
    const answer = await unwrap(api.GET('/v1/feedback-requests', { params: { query } }));
    return { list: answer.data, people: await peopleByIds(answer.data.map((r) => r.recipient_user_id)) };
  }, [me]);
  const value = loaded.value;
  return (
    <section aria-label="Feedback asked of me">
      <h2>Asked of me</h2>
      <ErrorBanner error={loaded.error} />
      {!value && !loaded.error && <p aria-live="polite">Loading…</p>}
      {value?.list.length === 0 && <p class="muted">Nobody is waiting for your feedback.</p>}
      <ul class="cards">
        {value?.list.map((r) => (
          <li key={r.id} class="card">
            <p>
              About {r.recipient_user_id === me ? 'you' : displayName(value.people.get(r.recipient_user_id))}
              {r.due_on && ` · due ${day(r.due_on)}`} · you: {r.your_status ?? 'not asked'}
              {r.anonymity !== 'named' && ' · your answers stay anonymous'}
            </p>
            {r.message && <p class="muted">{r.message}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function GiveFeedback({ me, onGiven }: { me: number; onGiven: () => void }) {
  const action = useAction();
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const body = {
      recipient_id: Number(fields.get('recipient_id')),
      body: String(fields.get('body')).trim(),
    };
    const done = await action.run(() => unwrap(api.POST('/v1/feedback', { body })));
    if (!done) return;
    form.reset();
    onGiven();
  };
  return (
    <form class="stack card" aria-label="Give feedback" onSubmit={submit}>
      <h2>Give feedback</h2>
      <p class="muted">Unprompted feedback is always named: the person reads it with your name.</p>
      <ErrorBanner error={action.error} />
      <PersonPicker name="recipient_id" label="About" exclude={me} />
      <label>
        Your feedback
        <textarea name="body" rows={4} required maxLength={10000} />
      </label>
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Sending…' : 'Give feedback'}
      </button>
    </form>
  );
}
