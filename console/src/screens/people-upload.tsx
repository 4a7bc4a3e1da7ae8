import { useState } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner';
import { PEOPLE_SCREENS } from '../people/paths';
import { type UploadMode, type UploadOutcome, uploadPeople } from '../people/upload';
import { UploadReport } from './people-upload-report';

const COLUMNS =
  'email, first_name, last_name, employee_id, preferred_name, title, department_id, manager_email, ' +
  'location, phone, hire_date, role, status, custom.<name>';

/** Upload people from a CSV file: one request, applied whole or not at all unless partial is chosen. */
export function PeopleUploadScreen() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<UploadOutcome | null>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) {
      setError(new Error('Choose a CSV file first.'));
      return;
    }
    setBusy(file.name);
    setError(null);
    setOutcome(null);
    try {
      setOutcome(await uploadPeople(await file.text(), String(form.get('mode')) as UploadMode));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section>
      <h1>Upload people</h1>
      <p>
        <a href={PEOPLE_SCREENS.people}>People</a>
      </p>
      <p>
        A header row, then one person per line. A row updates the person with its employee id, else with its
        email, else adds them. Columns: <code>{COLUMNS}</code>; lists are separated by <code>;</code> and an
        empty cell leaves a field as it is.
      </p>
      <form class="stack upload-form" aria-label="Upload people" onSubmit={submit}>
        <label>
          CSV file
          <input name="file" type="file" accept=".csv,text/csv" required />
        </label>
        <fieldset>
          <legend>When some rows are wrong</legend>
          <label class="inline">
            <input type="radio" name="mode" value="all_or_nothing" defaultChecked />
            Apply nothing, and list the wrong rows
          </label>
          <label class="inline">
            <input type="radio" name="mode" value="partial" />
            Apply the good rows, and list the wrong ones
          </label>
        </fieldset>
        <button type="submit" disabled={busy !== null}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </form>
      {busy && (
        <div class="upload-progress">
          <div class="progress-track indeterminate" role="progressbar" aria-label={`Uploading ${busy}`}>
            <div class="progress-fill" />
          </div>
          <p aria-live="polite">Uploading and applying {busy}: the server applies the whole file at once.</p>
        </div>
      )}
      <ErrorBanner error={error} />
      {outcome && <UploadReport outcome={outcome} />}
    </section>
  );
}
