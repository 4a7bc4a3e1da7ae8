import type { ColumnType, Generated } from 'kysely';

export type Mode = 'live' | 'test';
export type Role = 'super_admin' | 'admin' | 'hr_admin' | 'member';
/** A moment as queries return it: ISO 8601 in UTC to the millisecond (db/connect.ts momentOf). Written as a Date or such a string. */
export type Moment = string;
type CreatedAt = ColumnType<Moment, Date | Moment | undefined, never>;
type Timestamp = ColumnType<Moment, Date | Moment | undefined, Date | Moment>;
type MaybeMoment = ColumnType<Moment | null, Date | Moment | null | undefined, Date | Moment | null>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface OrganizationsTable {
  org_id: Generated<number>;
  slug: string;
  name: string;
  privacy_notice_version: Generated<number>;
  created_at: CreatedAt;
}

/** The scores an organisation assesses goals on (migration 0003): min to max in steps, labels optional. */
export interface AssessmentScale {
  min: number;
  max: number;
  step: number;
  labels: { score: number; label: string }[];
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
  last_used_at: MaybeMoment;
  revoked_at: MaybeMoment;
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
  periods: PeriodsTable;
  goals: GoalsTable;
  goal_contributors: GoalContributorsTable;
  goal_teams: GoalTeamsTable;
  goal_categories: GoalLabelsTable;
  goal_tags: GoalLabelsTable;
  milestones: MilestonesTable;
  checkins: CheckinsTable;
  org_settings: OrgSettingsTable;
  goal_comments: GoalCommentsTable;
  goal_assessments: GoalAssessmentsTable;
}

// Goals (migration 0002). numeric columns arrive as JS numbers (see connect.ts); dates as 'YYYY-MM-DD'.
export type PeriodStatus = 'open' | 'closed';
export type GoalType = 'company' | 'department' | 'team' | 'personal';
export type GoalVisibility = 'public' | 'private' | 'teams';
export type GoalStatus = 'open' | 'closed' | 'archived';
export type ProgressSource = 'milestones' | 'children';
export type MetricUnit = 'number' | 'percent' | 'currency' | 'binary';
export type MetricDirection = 'increase' | 'decrease' | 'range';
export type UpdateInterval = 'daily' | 'weekly' | 'monthly' | 'quarterly';
export type MilestoneStatus = 'open' | 'closed';

export interface PeriodsTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  starts_on: string;
  ends_on: string;
  parent_id: number | null;
  status: ColumnType<PeriodStatus, PeriodStatus | undefined>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  closed_at: MaybeMoment;
}

export interface GoalsTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  description: string | null;
  goal_type: GoalType;
  owner_user_id: number | null;
  owner_team_id: number | null;
  owner_department_id: number | null;
  period_id: number | null;
  starts_on: string;
  ends_on: string;
  visibility: ColumnType<GoalVisibility, GoalVisibility | undefined>;
  status: ColumnType<GoalStatus, GoalStatus | undefined>;
  parent_id: number | null;
  progress_source: ColumnType<ProgressSource, ProgressSource | undefined>;
  progress: ColumnType<number, number | undefined>;
  last_checkin_at: MaybeMoment;
  custom_fields: Json<Record<string, unknown>>;
  created_by: number | null;
  updated_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deleted_at: MaybeMoment;
}

export interface GoalContributorsTable extends ModeScoped {
  goal_id: number;
  user_id: number;
  can_edit: ColumnType<boolean, boolean | undefined>;
  created_at: CreatedAt;
}

export interface GoalTeamsTable extends ModeScoped {
  goal_id: number;
  team_id: number;
}

/** goal_categories and goal_tags: a name per row. */
export interface GoalLabelsTable extends ModeScoped {
  goal_id: number;
  name: string;
}

export interface MilestonesTable extends ModeScoped {
  id: Generated<number>;
  goal_id: number;
  owner_user_id: number;
  name: string;
  description: string | null;
  unit: ColumnType<MetricUnit, MetricUnit | undefined>;
  currency_code: string | null;
  start_value: ColumnType<number, number | undefined>;
  target_value: number;
  current_value: number;
  direction: MetricDirection;
  range_yellow: number | null;
  range_red: number | null;
  weight: ColumnType<number, number | undefined>;
  update_interval: ColumnType<UpdateInterval, UpdateInterval | undefined>;
  confidence: number | null;
  progress: ColumnType<number, number | undefined>;
  position: ColumnType<number, number | undefined>;
  status: ColumnType<MilestoneStatus, MilestoneStatus | undefined>;
  starts_on: string | null;
  ends_on: string | null;
  last_checkin_at: MaybeMoment;
  created_by: number | null;
  updated_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deleted_at: MaybeMoment;
}

export interface CheckinsTable extends ModeScoped {
  id: Generated<number>;
  goal_id: number;
  milestone_id: number | null;
  user_id: number;
  api_key_id: number | null;
  request_id: string | null;
  value: number | null;
  comment: string | null;
  confidence: number | null;
  closed_period_override: ColumnType<boolean, boolean | undefined, never>;
  checked_in_at: ColumnType<Moment, Date | Moment, never>;
  created_at: CreatedAt;
}

// Comments and assessments (migration 0003).
export type AssessorRole = 'self' | 'manager' | 'team_lead' | 'editor' | 'admin';

export interface OrgSettingsTable extends ModeScoped {
  assessment_scale: Json<AssessmentScale | null>;
  updated_at: Timestamp;
}

export interface GoalCommentsTable extends ModeScoped {
  id: Generated<number>;
  goal_id: number;
  milestone_id: number | null;
  author_user_id: number;
  body: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deleted_at: MaybeMoment;
}

export interface GoalAssessmentsTable extends ModeScoped {
  id: Generated<number>;
  goal_id: number;
  assessor_user_id: number;
  assessor_role: AssessorRole;
  score: number;
  scale_min: number;
  scale_max: number;
  comment: string | null;
  before_end: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}
