import type { Role } from '../../db/schema.js';

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
