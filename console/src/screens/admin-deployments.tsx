import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { PagedCards } from '../components/paged-cards';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { usePaged } from '../config-admin/use-paged';
import { when } from '../config-admin/when';
import { type Deployment, DeploymentForm } from '../conversations/deployment-form';
import { deploymentProgress } from '../conversations/deployment-progress';

export const DEPLOYMENTS_PATH = '/admin/deployments';

const AUDIENCE_WORDS: Record<Deployment['audience'], string> = {
  everyone: 'everyone',
  departments: 'departments',
  groups: 'groups',
  people: 'people',
};

/**
 * Conversation deployments: a scheduled template sent to a population, its progress, and a sync for people
 * who joined since. The API has no close or cancel for a deployment, so neither has the screen.
 */
export function DeploymentsScreen() {
  const [made, setMade] = useState('');
  const templates = useLoad(
    () =>
      unwrap(api.GET('/v1/conversation-templates', { params: { query: { kind: 'scheduled', size: 100 } } })),
    [],
  );
  const deployments = usePaged(
    (cursor) =>
      unwrap(
        api.GET('/v1/conversation-deployments', {
          params: { query: { size: 20, ...(cursor && { cursor }) } },
        }),
      ),
    [],
  );
  const names = new Map(templates.value?.data.map((t) => [t.id, t.name]));
  return (
    <section>
      <h1>Deployments</h1>
      <PagedCards
        list={deployments}
        loading="Loading deployments…"
        empty="No deployments yet: deploy a scheduled template below."
        card={(d) => <DeploymentCard key={d.id} deployment={d} template={names.get(d.template_id)} />}
      />
      <ErrorBanner error={templates.error} />
      {templates.value && (
        <DeploymentForm
          templates={templates.value.data}
          onDeployed={(d) => {
            setMade(`${d.name} was deployed: ${d.conversation_count} conversations.`);
            deployments.reload();
          }}
        />
      )}
      <p role="status">{made}</p>
    </section>
  );
}

function DeploymentCard({ deployment, template }: { deployment: Deployment; template: string | undefined }) {
  const [current, setCurrent] = useState(deployment);
  const progress = useLoad(() => deploymentProgress(current.id), [current.id, current.conversation_count]);
  const sync = useAction();
  const [added, setAdded] = useState('');
  const runSync = async () => {
    const path = { params: { path: { id: current.id } } };
    const answer = await sync.run(() => unwrap(api.POST('/v1/conversation-deployments/{id}/sync', path)));
    if (!answer) return;
    setCurrent(answer.data.deployment);
    setAdded(`${answer.data.added} conversation(s) added.`);
  };
  return (
    <li class="card">
      <h2>{current.name}</h2>
      <p class="muted">
        {template ?? `Template ${current.template_id}`} (version {current.template_version}) · to{' '}
        {AUDIENCE_WORDS[current.audience]} · {current.starts_on} to {current.due_on}
      </p>
      <p>{current.conversation_count} conversations</p>
      <ErrorBanner error={progress.error} />
      {progress.value ? (
        <p>
          {progress.value.completed} completed · {progress.value.notStarted} not started
          {progress.value.readable < current.conversation_count &&
            ` (of the ${progress.value.readable} you may read)`}
        </p>
      ) : (
        !progress.error && <p aria-live="polite">Counting…</p>
      )}
      <p class="muted">Last synced: {when(current.synced_at)}</p>
      <ErrorBanner error={sync.error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={runSync} disabled={sync.busy}>
          Add people who joined since<span class="visually-hidden"> to {current.name}</span>
        </button>
        <span role="status">{added}</span>
      </div>
    </li>
  );
}
