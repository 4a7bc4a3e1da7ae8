import type { GoalType, GoalVisibility, MetricDirection, MetricUnit } from '../../db/schema.js';
import type { BulkUpload, RowError } from '../bulk.js';
import type { resolveMetric } from './metric.js';

/** The shapes of a bulk goal upload, shared by its planner (bulk.ts), its lookups and its writer. */

/** One row of an upload: Betterworks' OKR columns, plus keys that link milestones and parents. */
export interface BulkGoalInput {
  type: 'goal' | 'milestone';
  name: string;
  /** The row's own name for goal_key and parent_key in other rows. */
  key?: string | undefined;
  description?: string | undefined;
  /** 0–100. A goal's own progress counts only when it has no milestones. */
  progress?: number | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
  /** Default: the caller (a goal), the goal's owner (a milestone). */
  owner_email?: string | undefined;
  categories?: string[] | undefined;
  /** A milestone's goal row; default: the closest goal row above it. */
  goal_key?: string | undefined;
  /** A goal's parent: a goal row of this upload, or an existing goal. */
  parent_key?: string | undefined;
  parent_id?: number | undefined;
  /** A period by name, instead of or besides the dates. */
  period?: string | undefined;
  visibility?: Exclude<GoalVisibility, 'teams'> | undefined;
  goal_type?: 'personal' | 'company' | undefined;
  unit?: Exclude<MetricUnit, 'currency'> | undefined;
  direction?: Exclude<MetricDirection, 'range'> | undefined;
  start_value?: number | undefined;
  target_value?: number | undefined;
  current_value?: number | undefined;
  /** A goal row's milestones inline (JSON): the same as milestone rows below it. */
  milestones?: BulkMilestoneInput[] | undefined;
}

export type BulkMilestoneInput = Pick<
  BulkGoalInput,
  | 'name'
  | 'progress'
  | 'owner_email'
  | 'unit'
  | 'direction'
  | 'start_value'
  | 'target_value'
  | 'current_value'
>;

export type BulkGoalUpload = BulkUpload<BulkGoalInput>;

export interface PlannedMilestone {
  row: number;
  name: string;
  owner_user_id: number;
  metric: ReturnType<typeof resolveMetric>;
}

export interface PlannedGoal {
  row: number;
  key: string | undefined;
  input: BulkGoalInput;
  owner_user_id: number;
  goal_type: GoalType;
  period_id: number | null;
  starts_on: string;
  ends_on: string;
  visibility: GoalVisibility;
  parent: { id: number } | { goal: PlannedGoal } | null;
  categories: string[];
  milestones: PlannedMilestone[];
  error?: RowError;
}

export interface BulkGoalResult {
  created_goals: number;
  created_milestones: number;
  failed: number;
  errors: RowError[];
  goals: { row: number; key: string | null; id: number }[];
}
