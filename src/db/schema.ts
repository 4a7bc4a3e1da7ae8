import type { ColumnType, Generated } from 'kysely';

export type Mode = 'live' | 'test';
export type Role = 'super_admin' | 'admin' | 'hr_admin' | 'member';
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface OrganizationsTable {
  org_id: Generated<number>;
  slug: string;
  name: string;
  privacy_notice_version: Generated<number>;
  created_at: CreatedAt;
}

interface ModeScoped {
  org_id: number;
  mode: Mode;
}

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
  custom_fields: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deactivated_at: Date | null;
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

export interface HrAdminScopesTable extends ModeScoped {
  user_id: number;
  scope_type: 'department' | 'group';
  scope_id: number;
}

export interface PrivacyNoticeAcceptancesTable {
  org_id: number;
  user_id: number;
  version: number;
  accepted_at: CreatedAt;
}

export interface ApiKeysTable {
  org_id: number;
  id: Generated<number>;
  user_id: number;
  mode: Mode;
  name: string;
  key_hash: Buffer;
  last_four: string;
  status: ColumnType<'active' | 'revoked', 'active' | 'revoked' | undefined>;
  created_by: number | null;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditEventsTable extends ModeScoped {
  id: Generated<number>;
  occurred_at: CreatedAt;
  actor_user_id: number | null;
  api_key_id: number | null;
  request_id: string | null;
  action: string;
  object_type: string;
  object_id: number | null;
  changes: Json<Record<string, unknown>>;
}

export interface IdempotencyKeysTable {
  org_id: number;
  api_key_id: number;
  idempotency_key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: CreatedAt;
}

export interface DB {
  organizations: OrganizationsTable;
  departments: DepartmentsTable;
  users: UsersTable;
  user_dotted_managers: UserDottedManagersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  hr_admin_scopes: HrAdminScopesTable;
  privacy_notice_acceptances: PrivacyNoticeAcceptancesTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  idempotency_keys: IdempotencyKeysTable;
}
