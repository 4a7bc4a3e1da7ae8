import type { User } from '../api/client';
import type { paths } from '../api/schema';

type CreateBody = paths['/v1/users']['post']['requestBody']['content']['application/json'];
type UpdateBody = NonNullable<paths['/v1/users/{id}']['patch']['requestBody']>['content']['application/json'];

/** A text field as the API takes it: trimmed, and an emptied field is null (cleared), not "". */
export const textOrNull = (form: FormData, name: string) => {
  const value = String(form.get(name) ?? '').trim();
  return value === '' ? null : value;
};

const idOrNull = (form: FormData, name: string) => {
  const value = textOrNull(form, name);
  return value === null ? null : Number(value);
};

/** The person form's fields, every one sent, so that clearing a field clears it. */
function personFields(form: FormData) {
  return {
    email: String(form.get('email') ?? '').trim(),
    first_name: String(form.get('first_name') ?? '').trim(),
    last_name: String(form.get('last_name') ?? '').trim(),
    preferred_name: textOrNull(form, 'preferred_name'),
    employee_id: textOrNull(form, 'employee_id'),
    title: textOrNull(form, 'title'),
    department_id: idOrNull(form, 'department_id'),
    role: String(form.get('role') ?? 'member') as CreateBody['role'],
  };
}

/** A new person: fields left empty are left out, so the API's defaults hold. */
export function newPersonBody(form: FormData): CreateBody {
  const { email, first_name, last_name, role, ...optional } = personFields(form);
  const given = Object.entries(optional).filter(([, value]) => value !== null);
  return { email, first_name, last_name, role, ...Object.fromEntries(given) };
}

/**
 * An edit: only the fields that changed, so that a write says what it changes (the audit row too) and an
 * hr_admin who leaves the department alone is not asked to cover it. Empty when nothing changed.
 */
export function personChanges(form: FormData, before: User, managerId: number | null): UpdateBody {
  const after = { ...personFields(form), manager_id: managerId, data_admin: form.get('data_admin') === 'on' };
  const changed = Object.entries(after).filter(([key, value]) => before[key as keyof User] !== value);
  return Object.fromEntries(changed) as UpdateBody;
}
