import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { type Department, departmentLabel } from '../people/directory';
import { useFocusWhen } from '../people/focus';

type Mode = 'view' | 'rename' | 'delete';

/** One department: rename in place, or delete after a confirmation (the API refuses one in use). */
export function DepartmentRow({ department, onChanged }: { department: Department; onChanged: () => void }) {
  const [mode, setMode] = useState<Mode>('view');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const nameInput = useFocusWhen<HTMLInputElement>(mode === 'rename');
  const confirmButton = useFocusWhen<HTMLButtonElement>(mode === 'delete');
  const label = departmentLabel(department);
  const params = { path: { id: department.id } };

  /** A refused rename stays open to fix; a refused delete closes its confirmation and says why. */
  const run = async (write: () => Promise<unknown>, onFailure: Mode) => {
    setBusy(true);
    setError(null);
    try {
      await write();
      setMode('view');
      onChanged();
    } catch (failure) {
      setError(failure);
      setMode(onFailure);
    } finally {
      setBusy(false);
    }
  };
  const rename = (event: SubmitEvent) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget as HTMLFormElement).get('name') ?? '').trim();
    return run(() => unwrap(api.PATCH('/v1/departments/{id}', { params, body: { name } })), 'rename');
  };
  const open = (next: Mode) => {
    setError(null);
    setMode(next);
  };
  const remove = () => run(() => unwrap(api.DELETE('/v1/departments/{id}', { params })), 'view');

  return (
    <tr>
      <td data-label="Department">
        {mode === 'rename' ? (
          <form class="inline-form" aria-label={`Rename ${label}`} onSubmit={rename}>
            <label>
              New name for {label}
              <input name="name" required maxLength={200} defaultValue={department.name} ref={nameInput} />
            </label>
            <button type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" class="secondary" onClick={() => setMode('view')}>
              Cancel
            </button>
          </form>
        ) : (
          label
        )}
        <ErrorBanner error={error} />
      </td>
      <td data-label="People">{department.member_count}</td>
      <td data-label="Sub-departments">{department.child_count}</td>
      <td data-label="Actions">
        {mode === 'delete' ? (
          <fieldset class="confirm">
            <legend>Delete {label}?</legend>
            <button type="button" class="danger" disabled={busy} onClick={remove} ref={confirmButton}>
              Yes, delete
            </button>{' '}
            <button type="button" class="secondary" onClick={() => setMode('view')}>
              Cancel
            </button>
          </fieldset>
        ) : (
          <span class="row-actions">
            <button
              type="button"
              class="secondary"
              aria-label={`Rename ${label}`}
              onClick={() => open('rename')}
            >
              Rename
            </button>
            <button
              type="button"
              class="secondary"
              aria-label={`Delete ${label}`}
              onClick={() => open('delete')}
            >
              Delete
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}
