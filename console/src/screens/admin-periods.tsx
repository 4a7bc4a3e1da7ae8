import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorBanner } from '../components/error-banner';
import { useAction } from '../config-admin/use-action';
import { usePaged } from '../config-admin/use-paged';

type Period = components['schemas']['Period'];
interface PeriodFields {
  name: string;
  starts_on: string;
  ends_on: string;
}

const fieldsOf = (form: HTMLFormElement): PeriodFields => {
  const data = new FormData(form);
  return {
    name: String(data.get('name') ?? '').trim(),
    starts_on: String(data.get('starts_on') ?? ''),
    ends_on: String(data.get('ends_on') ?? ''),
  };
};

/** Periods (cycles) goals run in: list, create, and edit the name and dates; the API judges the dates. */
export function AdminPeriodsScreen() {
  const periods = usePaged(
    (cursor) =>
      unwrap(api.GET('/v1/periods', { params: { query: { size: 100, ...(cursor && { cursor }) } } })),
    [],
  );
  const create = useAction(async (form: HTMLFormElement) => {
    const made = await unwrap(api.POST('/v1/periods', { body: fieldsOf(form) }));
    form.reset();
    await periods.reload();
    return made.data;
  });

  return (
    <section>
      <h1>Periods</h1>
      <ErrorBanner error={periods.error} />
      {periods.rows === undefined && !periods.error && <p aria-live="polite">Loading periods…</p>}
      {periods.rows?.length === 0 && <p>No periods yet: create the first below.</p>}
      <ul class="cards">
        {periods.rows?.map((period) => (
          <PeriodCard key={period.id} period={period} onSaved={periods.reload} />
        ))}
      </ul>
      {periods.hasMore && (
        <button type="button" class="secondary" onClick={periods.more} disabled={periods.busy}>
          Show more
        </button>
      )}
      <PeriodForm
        title="New period"
        submit="Create period"
        busy={create.busy}
        error={create.error}
        onSubmit={(form) => create.run(form)}
      />
      <p role="status">{create.result && `Period ${create.result.name} was created.`}</p>
    </section>
  );
}

function PeriodCard({ period, onSaved }: { period: Period; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const save = useAction(async (form: HTMLFormElement) => {
    const path = { params: { path: { id: period.id } } };
    await unwrap(api.PATCH('/v1/periods/{id}', { ...path, body: fieldsOf(form) }));
    setEditing(false);
    onSaved();
  });
  return (
    <li class="card">
      <h2>{period.name}</h2>
      <p class="muted">
        {period.starts_on} to {period.ends_on} · {period.status}
        {period.parent_id !== null && ` · within period ${period.parent_id}`}
      </p>
      {editing ? (
        <PeriodForm
          title={`Edit ${period.name}`}
          submit="Save"
          period={period}
          busy={save.busy}
          error={save.error}
          onSubmit={(form) => save.run(form)}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <button type="button" class="secondary" onClick={() => setEditing(true)}>
          Edit<span class="visually-hidden"> {period.name}</span>
        </button>
      )}
    </li>
  );
}

interface FormProps {
  title: string;
  submit: string;
  period?: Period;
  busy: boolean;
  error: unknown;
  onSubmit: (form: HTMLFormElement) => void;
  onCancel?: () => void;
}

/** Name, start and end; required here as in the API, every other judgement (order, nesting) is the API's. */
function PeriodForm({ title, submit, period, busy, error, onSubmit, onCancel }: FormProps) {
  const id = period ? `period-${period.id}` : 'period-new';
  return (
    <form
      class="stack admin-form"
      aria-label={title}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(event.currentTarget);
      }}
    >
      <h3>{title}</h3>
      <ErrorBanner error={error} />
      <label for={`${id}-name`}>Name</label>
      <input id={`${id}-name`} name="name" required maxLength={100} defaultValue={period?.name} />
      <label for={`${id}-start`}>Starts on</label>
      <input id={`${id}-start`} name="starts_on" type="date" required defaultValue={period?.starts_on} />
      <label for={`${id}-end`}>Ends on</label>
      <input id={`${id}-end`} name="ends_on" type="date" required defaultValue={period?.ends_on} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : submit}
        </button>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
