import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorBanner } from '../components/error-banner';
import { PagedCards } from '../components/paged-cards';
import { useAction } from '../components/use-action';
import { usePaged } from '../config-admin/use-paged';

type FeedbackCycle = components['schemas']['FeedbackCycle'];

/**
 * Scheduled feedback cycles with the API's totals, and a reminder to those pending. Starting one is left out:
 * it names each recipient's providers, more than one form here.
 */
export function FeedbackCycles({ templateNames }: { templateNames: Map<number, string> }) {
  const cycles = usePaged(
    (cursor) =>
      unwrap(api.GET('/v1/feedback-cycles', { params: { query: { size: 20, ...(cursor && { cursor }) } } })),
    [],
  );
  return (
    <section aria-labelledby="feedback-cycles">
      <h2 id="feedback-cycles">Feedback cycles</h2>
      <PagedCards
        list={cycles}
        loading="Loading cycles…"
        empty="No feedback cycles yet (they are started through the API)."
        card={(cycle) => (
          <CycleCard key={cycle.id} cycle={cycle} template={templateNames.get(cycle.template_id)} />
        )}
      />
    </section>
  );
}

function CycleCard({ cycle, template }: { cycle: FeedbackCycle; template: string | undefined }) {
  const remind = useAction();
  const [said, setSaid] = useState('');
  const send = async () => {
    const path = { params: { path: { id: cycle.id } } };
    const answer = await remind.run(() => unwrap(api.POST('/v1/feedback-cycles/{id}/remind', path)));
    if (answer)
      setSaid(
        `${answer.data.pending_providers} pending in ${answer.data.reminded_requests} request(s) reminded.`,
      );
  };
  return (
    <li class="card">
      <h3>{cycle.name}</h3>
      <p class="muted">
        {cycle.kind === '360' ? '360' : 'Upward'} · {template ?? `template ${cycle.template_id}`} · due{' '}
        {cycle.due_on ?? 'whenever'}
      </p>
      <p>
        {cycle.requests} request(s): {cycle.asked} asked, {cycle.submitted} answered, {cycle.declined}{' '}
        declined, {cycle.pending} pending
      </p>
      <ErrorBanner error={remind.error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={send} disabled={remind.busy}>
          Remind those pending<span class="visually-hidden"> in {cycle.name}</span>
        </button>
        <span role="status">{said}</span>
      </div>
    </li>
  );
}
