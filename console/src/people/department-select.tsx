import { type Department, departmentLabel, ROLES } from './directory';

// Options carry `selected` rather than the select a `value`: Preact re-applies a `value` on every render,
// which would undo a choice the person made before any other state changed.

/** A department picker; "No department" sends null. */
export function DepartmentSelect({
  id,
  departments,
  value,
}: {
  id: string;
  departments: Department[];
  value: number | null;
}) {
  return (
    <select id={id} name="department_id">
      <option value="" selected={value === null}>
        No department
      </option>
      {departments.map((d) => (
        <option key={d.id} value={String(d.id)} selected={d.id === value}>
          {departmentLabel(d)}
        </option>
      ))}
    </select>
  );
}

export function RoleSelect({ id, value }: { id: string; value: string }) {
  return (
    <select id={id} name="role">
      {ROLES.map((role) => (
        <option key={role.value} value={role.value} selected={role.value === value}>
          {role.label}
        </option>
      ))}
    </select>
  );
}
