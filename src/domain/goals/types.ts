import type {
  GoalStatus,
  GoalType,
  GoalVisibility,
  MetricDirection,
  MetricUnit,
  MilestoneStatus,
  ProgressSource,
  UpdateInterval,
} from '../../db/schema.js';

export interface ContributorInput {
  user_id: number;
  can_edit?: boolean | undefined;
}

/** The writable fields of a goal, as every face hands them to the service. */
export interface GoalFields {
  name?: string;
  description?: string | null;
  goal_type?: GoalType;
  owner_user_id?: number | null;
  owner_team_id?: number | null;
  owner_department_id?: number | null;
  period_id?: number | null;
  starts_on?: string;
  ends_on?: string;
  visibility?: GoalVisibility;
  team_ids?: number[];
  status?: GoalStatus;
  parent_id?: number | null;
  progress_source?: ProgressSource;
  contributors?: ContributorInput[];
  categories?: string[];
  tags?: string[];
  custom_fields?: Record<string, unknown>;
}

export interface NewGoal extends GoalFields {
  name: string;
  milestones?: NewMilestone[];
}

export interface MilestoneFields {
  name?: string;
  description?: string | null;
  owner_user_id?: number;
  unit?: MetricUnit;
  currency_code?: string | null;
  start_value?: number;
  target_value?: number;
  direction?: MetricDirection;
  range_yellow?: number | null;
  range_red?: number | null;
  weight?: number;
  update_interval?: UpdateInterval;
  confidence?: number | null;
  position?: number;
  status?: MilestoneStatus;
  starts_on?: string | null;
  ends_on?: string | null;
}

export interface NewMilestone extends MilestoneFields {
  name: string;
  /** Only at creation: afterwards the current value moves through check-ins, which keep the history. */
  current_value?: number;
}

export interface CheckInInput {
  value?: number | undefined;
  /**
   * Instead of `value`, on a milestone: the amount added to its current value, read under the check-in's
   * lock, so concurrent adds all count. The check-in records the value it gives.
   */
  add?: number | undefined;
  comment?: string | undefined;
  confidence?: number | undefined;
  checked_in_at?: string | undefined;
  allow_closed_period?: boolean | undefined;
}
