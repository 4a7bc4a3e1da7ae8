import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorBanner } from '../components/error-banner';
import { useFormSubmit } from '../components/use-action';
import { day } from '../me/when';
import { ListSection, useWithPeople } from '../people/listed';
import { PersonPicker } from '../people/person-picker';
import { useSession } from '../session';

type FeedbackResponse = components['schemas']['FeedbackResponse'];
type FeedbackRequest = components['schemas']['FeedbackRequest'];
type Filter = { recipient_id: number } | { provider_id: number };
type RequestFilter = { provider_id: number; status: 'open' } | { recipient_id: number };
type Name = (id: number) => string;

/**
 * Feedback about me and by me (docs/feedback.md), exactly as the API lists it: feedback anonymous to me is
 * never listed (it reaches me only pooled in a request's results), so no author is ever guessed here.
 */
export function MyFeedbackScreen() {
  const { session } = useSession();
  const me = session?.userId ?? 0;
  const received = useFeedback({ recipient_id: me });
  const given = useFeedback({ provider_id: me });
  const asked = useRequests({ provider_id: me, status: 'open' });
  const aboutMe = useRequests({ recipient_id: me });
  const card = (f: FeedbackResponse, name: Name) => <FeedbackCard key={f.id} feedback={f} name={name} />;
  return (
    <section>
      <h1>Feedback</h1>
      <GiveFeedback me={me} onGiven={given.reload} />
      <ListSection
        title="Asked of me"
        label="Feedback asked of me"
        empty="Nobody is waiting for your feedback."
        me={me}
        loaded={asked}
        card={(r, name) => <RequestCard key={r.id} request={r} name={name} />}
      />
      <ListSection
        title="Requested about me"
        label="Feedback requested about me"
        empty="Nobody has been asked for feedback about you."
        me={me}
        loaded={aboutMe}
        card={(r) => <MyRequestCard key={r.id} request={r} />}
      />
      <ListSection
        title="Received"
        label="Feedback received"
        empty="No feedback about you yet."
        me={me}
        loaded={received}
        card={card}
      />
      <ListSection
        title="Given"
        label="Feedback given"
        empty="You have not given feedback yet."
        me={me}
        loaded={given}
        card={card}
      />
    </section>
  );
}

const useFeedback = (filter: Filter) =>
  useWithPeople(
    async () => (await unwrap(api.GET('/v1/feedback', { params: { query: { ...filter, size: 50 } } }))).data,
    (f) => [f.provider_user_id, f.recipient_user_id],
    [JSON.stringify(filter)],
  );

const useRequests = (query: RequestFilter) =>
  useWithPeople(
    async () =>
      (await unwrap(api.GET('/v1/feedback-requests', { params: { query: { ...query, size: 50 } } }))).data,
    (r) => [r.recipient_user_id],
    [JSON.stringify(query)],
  );

/** A request about me: how far it has got, in totals only (docs/feedback.md: never who answered). */
function MyRequestCard({ request: r }: { request: FeedbackRequest }) {
  const counts = r.counts;
  return (
    <li class="card">
      <p>
        {r.kind === 'self_requested'
          ? 'You asked'
          : r.kind === 'manager_requested'
            ? 'Your manager asked'
            : 'A cycle asked'}
        {counts && ` ${counts.asked} people · ${counts.submitted} answered · ${counts.pending} pending`}
        {r.due_on && ` · due ${day(r.due_on)}`}
        {r.status === 'cancelled' && ' · cancelled'}
      </p>
    </li>
  );
}

function FeedbackCard({ feedback: f, name }: { feedback: FeedbackResponse; name: Name }) {
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

/** A request I was asked to answer, with my status on it. */
function RequestCard({ request: r, name }: { request: FeedbackRequest; name: Name }) {
  return (
    <li class="card">
      <p>
        About {name(r.recipient_user_id)}
        {r.due_on && ` · due ${day(r.due_on)}`} · you: {r.your_status ?? 'not asked'}
        {r.anonymity !== 'named' && ' · your answers stay anonymous'}
      </p>
      {r.message && <p class="muted">{r.message}</p>}
    </li>
  );
}

function GiveFeedback({ me, onGiven }: { me: number; onGiven: () => void }) {
  const form = useFormSubmit((fields) => {
    const body = {
      recipient_id: Number(fields.get('recipient_id')),
      body: String(fields.get('body')).trim(),
    };
    return unwrap(api.POST('/v1/feedback', { body }));
  }, onGiven);
  return (
    <form class="stack card" aria-label="Give feedback" onSubmit={form.submit}>
      <h2>Give feedback</h2>
      <p class="muted">Unprompted feedback is always named: the person reads it with your name.</p>
      <ErrorBanner error={form.error} />
      <PersonPicker name="recipient_id" label="About" exclude={me} />
      <label>
        Your feedback
        <textarea name="body" rows={4} required maxLength={10000} />
      </label>
      <button type="submit" disabled={form.busy}>
        {form.busy ? 'Sending…' : 'Give feedback'}
      </button>
    </form>
  );
}
