import { api, type User, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { allDepartments, personName, roleLabel } from '../people/directory';
import { PEOPLE_SCREENS } from '../people/paths';
import { PersonForm } from './person-form';
import { HrScopePanel } from './person-hr-scope';
import { StatusPanel } from './person-status';

async function loadPerson(id: string) {
  const person = (await unwrap(api.GET('/v1/users/{id}', { params: { path: { id } } }))).data;
  const manager =
    person.manager_id === null
      ? null
      : await unwrap(api.GET('/v1/users/{id}', { params: { path: { id: String(person.manager_id) } } })).then(
          (answer) => answer.data,
          () => null,
        );
  return { person, manager, departments: await allDepartments() };
}

/** One person: edit their fields, role and department, deactivate or reactivate them, set an HR scope. */
export function PersonScreen({ id }: { id: string }) {
  const loaded = useLoad(() => loadPerson(id), [id]);
  const value = loaded.value;
  const changed = (person: User, manager?: User | null) =>
    value && loaded.setValue({ ...value, person, manager: manager === undefined ? value.manager : manager });

  return (
    <section>
      <p>
        <a href={PEOPLE_SCREENS.people}>All people</a>
      </p>
      <ErrorBanner error={loaded.error} />
      {!value && !loaded.error && <p aria-live="polite">Loading…</p>}
      {value && (
        <>
          <h1>{personName(value.person)}</h1>
          <p class="muted">
            {value.person.email} · {roleLabel(value.person.role)} ·{' '}
            <span class={`status ${value.person.status}`}>
              {value.person.status === 'active' ? 'Active' : 'Deactivated'}
            </span>
          </p>
          <div class="person-panels">
            <PersonForm
              key={value.person.id}
              person={value.person}
              manager={value.manager}
              departments={value.departments}
              onSaved={changed}
            />
            <div class="stack">
              <StatusPanel person={value.person} onChanged={(person) => changed(person)} />
              {value.person.role === 'hr_admin' && (
                <HrScopePanel person={value.person} departments={value.departments} />
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
