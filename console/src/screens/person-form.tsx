import { useState } from 'preact/hooks';
import { api, type User, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { DepartmentSelect, RoleSelect } from '../people/department-select';
import type { Department } from '../people/directory';
import { personChanges, textOrNull } from '../people/fields';

interface Props {
  person: User;
  manager: User | null;
  departments: Department[];
  onSaved: (person: User, manager: User | null) => void;
}

/** The manager an email names: the current one unchanged, none when emptied, else looked up by the API. */
async function managerFor(email: string | null, current: User | null): Promise<User | null> {
  if (email === null) return null;
  if (current && email.toLowerCase() === current.email.toLowerCase()) return current;
  return (await unwrap(api.GET('/v1/users/{id}', { params: { path: { id: email } } }))).data;
}

/** A person's fields, role and department; the API decides who may change what and says so when not. */
export function PersonForm({ person, manager, departments, onSaved }: Props) {
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const id = `person-${person.id}`;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    setNote('');
    try {
      const nextManager = await managerFor(textOrNull(form, 'manager_email'), manager);
      const body = personChanges(form, person, nextManager?.id ?? null);
      if (Object.keys(body).length === 0) {
        setNote('Nothing to save: no field was changed.');
        return;
      }
      const params = { path: { id: String(person.id) } };
      const saved = (await unwrap(api.PATCH('/v1/users/{id}', { params, body }))).data;
      setNote('Saved.');
      onSaved(saved, nextManager);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="stack person-form"
      aria-label={`Edit ${person.first_name} ${person.last_name}`}
      onSubmit={submit}
    >
      <h2>Details</h2>
      <ErrorBanner error={error} />
      <label>
        Email
        <input name="email" type="email" required maxLength={320} defaultValue={person.email} />
      </label>
      <label>
        First name
        <input name="first_name" required maxLength={100} defaultValue={person.first_name} />
      </label>
      <label>
        Last name
        <input name="last_name" required maxLength={100} defaultValue={person.last_name} />
      </label>
      <label>
        Preferred name
        <input name="preferred_name" maxLength={100} defaultValue={person.preferred_name ?? ''} />
      </label>
      <label>
        Title
        <input name="title" maxLength={200} defaultValue={person.title ?? ''} />
      </label>
      <label>
        Employee id
        <input name="employee_id" maxLength={64} defaultValue={person.employee_id ?? ''} />
      </label>
      <label for={`${id}-department`}>Department</label>
      <DepartmentSelect id={`${id}-department`} departments={departments} value={person.department_id} />
      <label>
        Manager's email
        <input name="manager_email" type="email" maxLength={320} defaultValue={manager?.email ?? ''} />
      </label>
      <label for={`${id}-role`}>Role</label>
      <RoleSelect id={`${id}-role`} value={person.role} />
      <label class="inline">
        <input name="data_admin" type="checkbox" defaultChecked={person.data_admin} />
        Data admin (reads and writes every object through the API)
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save changes'}
      </button>
      <p role="status">{note}</p>
    </form>
  );
}
