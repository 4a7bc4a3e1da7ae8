import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json, MaybeMoment, ModeScoped, Timestamp } from './columns.js';

// Comments and assessments (migration 0003).

/** The scores an organisation assesses goals on (migration 0003): min to max in steps, labels optional. */
export interface AssessmentScale {
  min: number;
  max: number;
  step: number;
  labels: { score: number; label: string }[];
}

export type AssessorRole = 'self' | 'manager' | 'team_lead' | 'editor' | 'admin';

export interface OrgSettingsTable extends ModeScoped {
  assessment_scale: Json<AssessmentScale | null>;
  /** Feedback: how many providers must answer before pooled anonymous answers are shown (migration 0007). */
  feedback_anonymity_threshold: number | null;
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

export interface GoalFeedbackTables {
  org_settings: OrgSettingsTable;
  goal_comments: GoalCommentsTable;
  goal_assessments: GoalAssessmentsTable;
}
