import type { Role } from '../../db/schema.js';
import type { UniqueConstraints } from '../errors.js';

/** The users' unique indexes (migration 0001), as a client reads a clash with one. */
export const uniqueConstraints: UniqueConstraints = {
  users_email: 'A user with this email already exists.',
  users_employee_id: 'A user with this employee id already exists.',
};

/** The writable fields of a user, as every face hands them to the service. */
export interface UserFields {
  employee_id?: string | null;
  email?: string;
  first_name?: string;
  last_name?: string;
  preferred_name?: string | null;
  title?: string | null;
  department_id?: number | null;
  manager_id?: number | null;
  dotted_line_manager_ids?: number[];
  location?: string | null;
  phone?: string | null;
  hire_date?: string | null;
  role?: Role;
  data_admin?: boolean;
  custom_fields?: Record<string, unknown>;
}

export interface NewUser extends UserFields {
  email: string;
  first_name: string;
  last_name: string;
}
