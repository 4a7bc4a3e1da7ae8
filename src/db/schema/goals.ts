import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json, MaybeMoment, ModeScoped, Moment, Timestamp } from './columns.js';

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

export interface GoalsTables {
  periods: PeriodsTable;
  goals: GoalsTable;
  goal_contributors: GoalContributorsTable;
  goal_teams: GoalTeamsTable;
  goal_categories: GoalLabelsTable;
  goal_tags: GoalLabelsTable;
  milestones: MilestonesTable;
  checkins: CheckinsTable;
}
