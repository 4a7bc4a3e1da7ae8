import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { type AuditQuery, auditQueryOf } from '../audit/filters';
import { ErrorBanner } from '../components/error-banner';
import { usePeopleNames } from '../config-admin/people';
import { usePaged } from '../config-admin/use-paged';
import { when } from '../config-admin/when';

type AuditEvent = components['schemas']['AuditEvent'];

/** The audit log (super admins): filtered as the API filters, oldest first as it lists, paged by cursor. */
export function AdminAuditScreen() {
  const [query, setQuery] = useState<AuditQuery>({});
  const log = usePaged(
    (cursor) =>
      unwrap(
        api.GET('/v1/audit-events', { params: { query: { ...query, size: 50, ...(cursor && { cursor }) } } }),
      ),
    [JSON.stringify(query)],
  );
  const filtered = Object.keys(query).length > 0;
  const nameOf = usePeopleNames(log.rows?.map((e) => e.actor_user_id) ?? []);

  return (
    <section>
      <h1>Audit log</h1>
      <p class="muted">
        Every change in live mode: who made it, when, through which key, with which request.
      </p>
      <AuditFilters onApply={setQuery} />
      <ErrorBanner error={log.error} />
      {log.rows === undefined && !log.error && <p aria-live="polite">Loading the audit log…</p>}
      {log.rows?.length === 0 && (
        <p>{filtered ? 'No audit event matches these filters.' : 'No audit events yet.'}</p>
      )}
      {log.rows && log.rows.length > 0 && (
        <p class="muted" aria-live="polite">
          {log.rows.length} of {log.total} events, oldest first
        </p>
      )}
      <ul class="log">
        {log.rows?.map((event) => (
          <AuditRow key={event.id} event={event} nameOf={nameOf} />
        ))}
      </ul>
      {log.hasMore && (
        <button type="button" class="secondary" onClick={log.more} disabled={log.busy}>
          Show more
        </button>
      )}
    </section>
  );
}

function AuditFilters({ onApply }: { onApply: (query: AuditQuery) => void }) {
  const field = (name: string, label: string, kind: 'text' | 'id' | 'date' = 'text') => (
    <div class="field">
      <label for={`audit-${name}`}>{label}</label>
      {kind === 'date' ? (
        <input id={`audit-${name}`} name={name} type="date" />
      ) : (
        <input id={`audit-${name}`} name={name} type="text" inputMode={kind === 'id' ? 'numeric' : 'text'} />
      )}
    </div>
  );
  return (
    <form
      class="admin-form audit-filters"
      aria-label="Filter the audit log"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(auditQueryOf(new FormData(event.currentTarget)));
      }}
      onReset={() => onApply({})}
    >
      {field('action', 'Action (e.g. period.created)')}
      {field('object_type', 'Object type (e.g. period)')}
      {field('object_id', 'Object id', 'id')}
      {field('actor_user_id', 'Actor (person id)', 'id')}
      {field('api_key_id', 'API key id', 'id')}
      {field('request_id', 'Request id')}
      {field('from', 'From day', 'date')}
      {field('to', 'To day (included)', 'date')}
      <div class="actions">
        <button type="submit">Apply filters</button>
        <button type="reset" class="secondary">
          Clear
        </button>
      </div>
    </form>
  );
}

/** One change, folded to a line; opened, every field the API answers and the changes as JSON. */
function AuditRow({ event: e, nameOf }: { event: AuditEvent; nameOf: (id: number) => string }) {
  const object = `${e.object_type}${e.object_id === null ? '' : ` ${e.object_id}`}`;
  const actor = e.actor_user_id === null ? 'the operator' : nameOf(e.actor_user_id);
  return (
    <li class="log-row">
      <details>
        <summary>
          <time dateTime={e.occurred_at}>{when(e.occurred_at)}</time> · <strong>{e.action}</strong> · {object}{' '}
          · by {actor}
        </summary>
        <dl class="facts">
          <dt>Event id</dt>
          <dd>{e.id}</dd>
          <dt>Actor id</dt>
          <dd>{e.actor_user_id ?? 'none (the operator)'}</dd>
          <dt>Mode</dt>
          <dd>{e.mode}</dd>
          <dt>API key</dt>
          <dd>{e.api_key_id ?? 'none (a session or the operator)'}</dd>
          <dt>Request id</dt>
          <dd>{e.request_id ?? 'none'}</dd>
        </dl>
        <pre class="answer">{JSON.stringify(e.changes, null, 2)}</pre>
      </details>
    </li>
  );
}
