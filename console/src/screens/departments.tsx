import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { allDepartments, type Department, departmentLabel } from '../people/directory';
import { PEOPLE_SCREENS } from '../people/paths';
import { DepartmentRow } from './department-row';

/** The department tree as a list by path: member counts, create, rename, delete. */
export function DepartmentsScreen() {
  const departments = useLoad(allDepartments, []);
  return (
    <section>
      <h1>Departments</h1>
      <p>
        <a href={PEOPLE_SCREENS.people}>People</a>
      </p>
      <NewDepartmentForm departments={departments.value ?? []} onCreated={() => departments.reload()} />
      <ErrorBanner error={departments.error} />
      {!departments.value && !departments.error && <p aria-live="polite">Loading departments…</p>}
      {departments.value?.length === 0 && <p>No departments yet: add the first one above.</p>}
      {departments.value && departments.value.length > 0 && (
        <table class="departments-table">
          <caption class="visually-hidden">Departments</caption>
          <thead>
            <tr>
              <th scope="col">Department</th>
              <th scope="col">People</th>
              <th scope="col">Sub-departments</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {departments.value.map((d) => (
              <DepartmentRow key={d.id} department={d} onChanged={() => departments.reload()} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NewDepartmentForm({ departments, onCreated }: { departments: Department[]; onCreated: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const parent = String(fields.get('parent_id') ?? '');
    const body = {
      name: String(fields.get('name') ?? '').trim(),
      parent_id: parent === '' ? null : Number(parent),
    };
    setBusy(true);
    setError(null);
    setNote('');
    try {
      const created = (await unwrap(api.POST('/v1/departments', { body }))).data;
      setNote(`${departmentLabel(created)} was added.`);
      form.reset();
      onCreated();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="filters" aria-label="Add a department" onSubmit={submit}>
      <label>
        New department
        <input name="name" required maxLength={200} />
      </label>
      <label>
        Under
        <select name="parent_id">
          <option value="">Top level</option>
          {departments.map((d) => (
            <option key={d.id} value={String(d.id)}>
              {departmentLabel(d)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add department'}
      </button>
      <div class="form-outcome">
        <ErrorBanner error={error} />
        <p role="status">{note}</p>
      </div>
    </form>
  );
}
