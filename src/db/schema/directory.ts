import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json, MaybeMoment, ModeScoped, Timestamp } from './columns.js';

// The directory: departments, users, groups, teams (migration 0001).

export type Role = 'super_admin' | 'admin' | 'hr_admin' | 'member';
/** A person, or a service account: a user who is not a person and never signs in (migration 0015). */
export type UserKind = 'person' | 'service';

export interface DepartmentsTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UsersTable extends ModeScoped {
  id: Generated<number>;
  employee_id: string | null;
  email: string;
  first_name: string;
  last_name: string;
  preferred_name: string | null;
  title: string | null;
  department_id: number | null;
  manager_id: number | null;
  location: string | null;
  phone: string | null;
  hire_date: string | null;
  status: ColumnType<'active' | 'deactivated', 'active' | 'deactivated' | undefined>;
  role: ColumnType<Role, Role | undefined>;
  data_admin: ColumnType<boolean, boolean | undefined>;
  kind: ColumnType<UserKind, UserKind | undefined, never>;
  custom_fields: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deactivated_at: MaybeMoment;
}

export interface UserDottedManagersTable extends ModeScoped {
  user_id: number;
  manager_id: number;
}

export interface GroupsTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  description: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface GroupMembersTable extends ModeScoped {
  group_id: number;
  user_id: number;
}

export type TeamKind = 'functional' | 'working_group';
export type TeamRole = 'owner' | 'manager' | 'member';

export interface TeamsTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  kind: TeamKind;
  description: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TeamMembersTable extends ModeScoped {
  team_id: number;
  user_id: number;
  team_role: TeamRole;
}

export interface DirectoryTables {
  departments: DepartmentsTable;
  users: UsersTable;
  user_dotted_managers: UserDottedManagersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
}
