import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json, MaybeMoment, ModeScoped, Timestamp } from './columns.js';
import type { AnswerValue, Question } from './questions.js';

// Conversation templates and their versions, deployments, conversations, private notes (migration 0006).

export type ConversationKind = 'anytime' | 'scheduled';
export type ConversationFormat = 'one_way' | 'two_way';
export type ConversationStatus = 'not_started' | 'in_progress' | 'submitted' | 'shared' | 'completed';
export type DeploymentAudience = 'everyone' | 'departments' | 'groups' | 'people';

/** The talent record value a manager's single-select question may propose (docs/conversations.md). */
export type MappedTalentField = 'performance' | 'potential';

/** One question of a template version, as stored; `id` is unique across every template. */
export type ConversationQuestion = Question & {
  /** Its answers are never shown to the other participant. */
  confidential: boolean;
  /** Its submitted answer becomes the proposed value of this field in the report's open talent records. */
  talent_field?: MappedTalentField;
};

/** A side's answers, by question id. */
export type Answers = Record<string, AnswerValue>;

/** A boolean with a database default. */
type Flag = ColumnType<boolean, boolean | undefined, boolean>;

export interface ConversationTemplatesTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  description: string | null;
  kind: ConversationKind;
  format: ConversationFormat;
  only_managers_start: Flag;
  confirm_meeting: Flag;
  allow_goals: Flag;
  skip_level_reads: Flag;
  admins_read: Flag;
  hr_in_scope_reads: Flag;
  version: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ConversationTemplateVersionsTable extends ModeScoped {
  template_id: number;
  version: number;
  manager_questions: Json<ConversationQuestion[]>;
  report_questions: Json<ConversationQuestion[]>;
  created_at: CreatedAt;
}

export interface ConversationDeploymentsTable extends ModeScoped {
  id: Generated<number>;
  template_id: number;
  template_version: number;
  name: string;
  period_id: number | null;
  starts_on: string;
  due_on: string;
  audience: DeploymentAudience;
  audience_ids: Json<number[]>;
  only_with_manager: Flag;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  synced_at: MaybeMoment;
}

export interface ConversationsTable extends ModeScoped {
  id: Generated<number>;
  template_id: number;
  template_version: number;
  deployment_id: number | null;
  manager_id: number | null;
  report_id: number;
  status: ColumnType<ConversationStatus, ConversationStatus | undefined, ConversationStatus>;
  starts_on: string;
  due_on: string;
  shared_notes: string | null;
  manager_draft: Json<Answers | null>;
  report_draft: Json<Answers | null>;
  manager_answers: Json<Answers | null>;
  report_answers: Json<Answers | null>;
  manager_submitted_at: MaybeMoment;
  report_submitted_at: MaybeMoment;
  shared_at: MaybeMoment;
  completed_at: MaybeMoment;
  manager_confirmed_at: MaybeMoment;
  report_confirmed_at: MaybeMoment;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ConversationPrivateNotesTable extends ModeScoped {
  conversation_id: number;
  author_user_id: number;
  body: string;
  updated_at: Timestamp;
}

export type EditRequestStatus = 'pending' | 'approved' | 'denied';

export interface ConversationEditRequestsTable extends ModeScoped {
  id: Generated<number>;
  conversation_id: number;
  side: 'manager' | 'report';
  requested_by: number;
  reason: string | null;
  status: ColumnType<EditRequestStatus, EditRequestStatus | undefined, EditRequestStatus>;
  decided_by: number | null;
  decision_note: string | null;
  decided_at: MaybeMoment;
  created_at: CreatedAt;
}

export interface ConversationGoalsTable extends ModeScoped {
  conversation_id: number;
  goal_id: number;
  added_by: number;
  created_at: CreatedAt;
}

export interface ConversationsTables {
  conversation_edit_requests: ConversationEditRequestsTable;
  conversation_goals: ConversationGoalsTable;
  conversation_templates: ConversationTemplatesTable;
  conversation_template_versions: ConversationTemplateVersionsTable;
  conversation_deployments: ConversationDeploymentsTable;
  conversations: ConversationsTable;
  conversation_private_notes: ConversationPrivateNotesTable;
}
