import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { ConfirmButton } from '../config-admin/confirm-button';
import { usePeopleNames } from '../config-admin/people';
import { useAction } from '../config-admin/use-action';
import { usePaged } from '../config-admin/use-paged';
import { when } from '../config-admin/when';
import type { MetricHook } from './types';

/**
 * Inbound metric webhooks of everyone in the organisation (an admin's list holds all of them): when each was
 * last used and why it last failed, so an admin can see which sender stopped; pause, resume or delete.
 */
export function MetricHooks() {
  const hooks = usePaged(
    (cursor) =>
      unwrap(api.GET('/v1/metric-hooks', { params: { query: { size: 50, ...(cursor && { cursor }) } } })),
    [],
  );
  const nameOf = usePeopleNames(hooks.rows?.map((h) => h.created_by) ?? []);
  return (
    <div>
      <ErrorBanner error={hooks.error} />
      {hooks.rows === undefined && !hooks.error && <p aria-live="polite">Loading metric webhooks…</p>}
      {hooks.rows?.length === 0 && <p>No metric webhooks: nobody pushes metric values by URL yet.</p>}
      <ul class="cards">
        {hooks.rows?.map((hook) => (
          <HookCard key={hook.id} hook={hook} maker={nameOf(hook.created_by)} onChanged={hooks.reload} />
        ))}
      </ul>
      {hooks.hasMore && (
        <button type="button" class="secondary" onClick={hooks.more} disabled={hooks.busy}>
          Show more
        </button>
      )}
    </div>
  );
}

interface CardProps {
  hook: MetricHook;
  maker: string;
  onChanged: () => void;
}

function HookCard({ hook, maker, onChanged }: CardProps) {
  const path = { params: { path: { id: hook.id } } };
  const toggle = useAction(async () => {
    await unwrap(api.PATCH('/v1/metric-hooks/{id}', { ...path, body: { enabled: !hook.enabled } }));
    onChanged();
  });
  const remove = useAction(async () => {
    await unwrap(api.DELETE('/v1/metric-hooks/{id}', path));
    onChanged();
  });
  return (
    <li class="card">
      <h3>{hook.name}</h3>
      <p class="muted">
        URL ending …{hook.url_last_four} · made by {maker} ·{' '}
        {hook.milestone_id === null ? 'any milestone its maker may update' : `milestone ${hook.milestone_id}`}{' '}
        · {hook.enabled ? 'active' : 'paused'}
      </p>
      <p>
        Last used {when(hook.last_used_at)} · {hook.failure_count} failure
        {hook.failure_count === 1 ? '' : 's'}
        {hook.last_failure && ` · last ${when(hook.last_failure_at)}: ${hook.last_failure}`}
      </p>
      <ErrorBanner error={toggle.error ?? remove.error} />
      <div class="actions">
        <button type="button" disabled={toggle.busy} onClick={() => toggle.run()}>
          {hook.enabled ? 'Pause' : 'Resume'}
          <span class="visually-hidden"> {hook.name}</span>
        </button>
        <ConfirmButton label="Delete" about={hook.name} busy={remove.busy} onConfirm={() => remove.run()} />
      </div>
    </li>
  );
}
