import { useState } from 'preact/hooks';
import { api, type User, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { DepartmentSelect, RoleSelect } from '../people/department-select';
import { type Department, personName } from '../people/directory';
import { newPersonBody } from '../people/fields';
import { invite } from '../people/invite';
import { personPath } from '../people/paths';

interface Outcome {
  person: User;
  invited: boolean;
  /** The invitation's failure (503 mail_not_sent): the person exists, the mail did not go. */
  inviteError: unknown;
}

/** Adds a person, and mails them an invitation to choose a password unless told not to. */
export function NewPersonForm({
  departments,
  onCreated,
}: {
  departments: Department[];
  onCreated: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const person = (await unwrap(api.POST('/v1/users', { body: newPersonBody(fields) }))).data;
      const wanted = fields.get('invite') === 'on';
      const inviteError = wanted
        ? await invite(person.id).then(
            () => null,
            (failure) => failure,
          )
        : null;
      setOutcome({ person, invited: wanted && !inviteError, inviteError });
      form.reset();
      onCreated();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="new-person">
      <summary>Add a person</summary>
      <form class="stack person-form" aria-label="Add a person" onSubmit={submit}>
        <ErrorBanner error={error} />
        <label>
          Email
          <input name="email" type="email" required maxLength={320} autoComplete="off" />
        </label>
        <label>
          First name
          <input name="first_name" required maxLength={100} />
        </label>
        <label>
          Last name
          <input name="last_name" required maxLength={100} />
        </label>
        <label>
          Title
          <input name="title" maxLength={200} />
        </label>
        <label>
          Employee id
          <input name="employee_id" maxLength={64} />
        </label>
        <label for="new-person-department">Department</label>
        <DepartmentSelect id="new-person-department" departments={departments} value={null} />
        <label for="new-person-role">Role</label>
        <RoleSelect id="new-person-role" value="member" />
        <label class="inline">
          <input name="invite" type="checkbox" defaultChecked />
          Mail them an invitation to sign in
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add person'}
        </button>
      </form>
      {outcome && <CreatedNote {...outcome} />}
    </details>
  );
}

function CreatedNote({ person, invited, inviteError }: Outcome) {
  return (
    <div>
      <p role="status">
        <a href={personPath(person.id)}>{personName(person)}</a> was added
        {invited ? `, and an invitation to sign in was mailed to ${person.email}.` : '.'}
      </p>
      {inviteError ? (
        <>
          <p>The invitation was not sent; send it again from their page.</p>
          <ErrorBanner error={inviteError} />
        </>
      ) : null}
    </div>
  );
}
