import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorBanner } from '../components/error-banner';
import { displayName } from '../goals/load';
import { day } from '../me/when';
import { useWithPeople } from '../people/listed';
import { useSession } from '../session';

type ConversationSummary = components['schemas']['ConversationSummary'];

const STATUS_WORDS: Record<ConversationSummary['status'], string> = {
  not_started: 'not started',
  in_progress: 'in progress',
  submitted: 'submitted by one side',
  shared: 'shared',
  completed: 'completed',
};

/** The conversations I take part in, on either side (docs/conversations.md): with whom, status, due date. */
export function MyConversationsScreen() {
  const { session } = useSession();
  const me = session?.userId ?? 0;
  const loaded = useWithPeople(
    async () =>
      (await unwrap(api.GET('/v1/conversations', { params: { query: { person_id: me, size: 100 } } }))).data,
    (c) => (c.manager_id === null ? [c.report_id] : [c.manager_id, c.report_id]),
    [me],
  );
  const value = loaded.value;
  return (
    <section>
      <h1>My conversations</h1>
      <ErrorBanner error={loaded.error} />
      {!value && !loaded.error && <p aria-live="polite">Loading…</p>}
      {value?.list.length === 0 && <p>You have no conversations.</p>}
      <ul class="cards">
        {value?.list.map((c) => {
          const iAmManager = c.manager_id === me;
          const other = iAmManager ? c.report_id : c.manager_id;
          return (
            <li key={c.id} class="card">
              <h2>
                {other === null ? 'On my own' : `With ${displayName(value.people.get(other))}`}
                <span class="muted"> ({iAmManager ? 'my report' : 'my manager'})</span>
              </h2>
              <p class="muted">
                {STATUS_WORDS[c.status]} · {day(c.starts_on)} to {day(c.due_on)}
                {c.deployment_id === null ? ' · anytime' : ''}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
