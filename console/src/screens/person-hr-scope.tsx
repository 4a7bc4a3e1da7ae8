import { useState } from 'preact/hooks';
import { api, type User, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { allGroups, type Department, departmentLabel } from '../people/directory';

const checkedIds = (form: FormData, name: string) => form.getAll(name).map((value) => Number(value));

async function loadScope(userId: number) {
  const params = { path: { id: String(userId) } };
  const scope = (await unwrap(api.GET('/v1/users/{id}/hr-scope', { params }))).data;
  return { scope, groups: await allGroups() };
}

/**
 * Who an hr_admin covers: departments (with their sub-departments) and groups. The API lets only super
 * admins read and set it; anyone else sees its refusal here, in words.
 */
export function HrScopePanel({ person, departments }: { person: User; departments: Department[] }) {
  const loaded = useLoad(() => loadScope(person.id), [person.id]);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body = {
      department_ids: checkedIds(form, 'department_ids'),
      group_ids: checkedIds(form, 'group_ids'),
    };
    setBusy(true);
    setError(null);
    setNote('');
    try {
      const params = { path: { id: String(person.id) } };
      const scope = (await unwrap(api.PUT('/v1/users/{id}/hr-scope', { params, body }))).data;
      if (loaded.value) loaded.setValue({ ...loaded.value, scope });
      setNote('HR scope saved.');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const value = loaded.value;
  return (
    <section class="card" aria-labelledby="hr-scope-heading">
      <h2 id="hr-scope-heading">HR scope</h2>
      <ErrorBanner error={loaded.error ?? error} />
      {!value && !loaded.error && <p aria-live="polite">Loading the scope…</p>}
      {value && (
        <form class="stack" onSubmit={submit}>
          <p class="muted">The people this HR admin may change: departments bring their sub-departments.</p>
          <fieldset>
            <legend>Departments</legend>
            {departments.length === 0 && <p>No departments yet.</p>}
            {departments.map((d) => (
              <label class="inline" key={d.id}>
                <input
                  type="checkbox"
                  name="department_ids"
                  value={String(d.id)}
                  defaultChecked={value.scope.department_ids.includes(d.id)}
                />
                {departmentLabel(d)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Groups</legend>
            {value.groups.length === 0 && <p>No groups yet.</p>}
            {value.groups.map((g) => (
              <label class="inline" key={g.id}>
                <input
                  type="checkbox"
                  name="group_ids"
                  value={String(g.id)}
                  defaultChecked={value.scope.group_ids.includes(g.id)}
                />
                {g.name}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save HR scope'}
          </button>
          <p role="status">{note}</p>
        </form>
      )}
    </section>
  );
}
