import { useState } from 'preact/hooks';
import { api, type User, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { allDepartments, departmentLabel, managersOf, personName, roleLabel } from '../people/directory';
import { PEOPLE_SCREENS, personPath } from '../people/paths';
import { NewPersonForm } from './people-create';

const SIZE = 20;
type StatusFilter = 'all' | 'active' | 'deactivated';

interface Filters {
  q: string;
  status: StatusFilter;
  page: number;
}

/** One page of people, with the names of their managers. */
async function loadPeople({ q, status, page }: Filters) {
  const query = { page, size: SIZE, ...(q && { q }), ...(status !== 'all' && { status }) };
  const answer = await unwrap(api.GET('/v1/users', { params: { query } }));
  return { people: answer.data, total: answer.total_count, managers: await managersOf(answer.data) };
}

/** The organisation's people: search by name or email, filter by status, page through, add one. */
export function PeopleScreen() {
  const [filters, setFilters] = useState<Filters>({ q: '', status: 'all', page: 1 });
  const people = useLoad(() => loadPeople(filters), [filters.q, filters.status, filters.page]);
  // Departments are read once for the screen: paging through people does not change them.
  const departments = useLoad(allDepartments, []);
  const departmentNames = new Map((departments.value ?? []).map((d) => [d.id, departmentLabel(d)]));
  const search = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const status = String(form.get('status')) as StatusFilter;
    setFilters({ q: String(form.get('q') ?? '').trim(), status, page: 1 });
  };
  const pages = people.value ? Math.max(1, Math.ceil(people.value.total / SIZE)) : 1;

  return (
    <section>
      <h1>People</h1>
      <p>
        <a href={PEOPLE_SCREENS.upload}>Upload people from a CSV file</a> ·{' '}
        <a href={PEOPLE_SCREENS.departments}>Departments</a>
      </p>
      <NewPersonForm departments={departments.value ?? []} onCreated={() => people.reload()} />
      <form class="filters" aria-label="Search people" onSubmit={search}>
        <label>
          Name or email
          <input name="q" type="search" maxLength={100} />
        </label>
        <label>
          Status
          <select name="status">
            <option value="all">All</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorBanner error={people.error ?? departments.error} />
      {!people.value && !people.error && <p aria-live="polite">Loading people…</p>}
      {people.value && people.value.people.length === 0 && <p>No one matches.</p>}
      {people.value && people.value.people.length > 0 && (
        <>
          <PeopleTable {...people.value} departments={departmentNames} />
          <nav class="pager" aria-label="Pages of people">
            <button
              type="button"
              disabled={filters.page <= 1}
              onClick={() => setFilters({ ...filters, page: filters.page - 1 })}
            >
              Previous
            </button>
            <span aria-live="polite">
              Page {filters.page} of {pages} · {people.value.total} people
            </span>
            <button
              type="button"
              disabled={filters.page >= pages}
              onClick={() => setFilters({ ...filters, page: filters.page + 1 })}
            >
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

interface TableProps {
  people: User[];
  departments: Map<number, string>;
  managers: Map<number, User>;
}

function PeopleTable({ people, departments, managers }: TableProps) {
  const managerOf = (user: User) => {
    if (user.manager_id === null) return '—';
    const manager = managers.get(user.manager_id);
    return manager ? personName(manager) : `#${user.manager_id}`;
  };
  return (
    <table class="people-table">
      <caption class="visually-hidden">People</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Role</th>
          <th scope="col">Department</th>
          <th scope="col">Manager</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {people.map((user) => (
          <tr key={user.id}>
            <td data-label="Name">
              <a href={personPath(user.id)}>{personName(user)}</a>
            </td>
            <td data-label="Email">{user.email}</td>
            <td data-label="Role">{roleLabel(user.role)}</td>
            <td data-label="Department">
              {user.department_id === null ? '—' : (departments.get(user.department_id) ?? '—')}
            </td>
            <td data-label="Manager">{managerOf(user)}</td>
            <td data-label="Status">
              <span class={`status ${user.status}`}>
                {user.status === 'active' ? 'Active' : 'Deactivated'}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
