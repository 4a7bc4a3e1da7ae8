import type { Generated } from 'kysely';
import type { CreatedAt, Json, MaybeMoment, ModeScoped, Timestamp } from './columns.js';
import type { Answer, Question } from './questions.js';

// Feedback (migration 0007).

export type FeedbackAnonymity = 'named' | 'anonymous_to_recipient' | 'anonymous_to_all';
export type FeedbackRequestKind = 'self_requested' | 'manager_requested' | 'scheduled';
export type FeedbackCycleKind = '360' | 'upward';
export type FeedbackRequestStatus = 'open' | 'cancelled';
export type FeedbackProviderStatus = 'pending' | 'declined' | 'submitted';
export interface FeedbackTemplatesTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  description: string | null;
  questions: Json<Question[]>;
  anonymity: FeedbackAnonymity;
  managers_can_read: boolean;
  archived: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface FeedbackCyclesTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  kind: FeedbackCycleKind;
  template_id: number;
  due_on: string | null;
  created_by: number;
  created_at: CreatedAt;
}

export interface FeedbackRequestsTable extends ModeScoped {
  id: Generated<number>;
  kind: FeedbackRequestKind;
  cycle_id: number | null;
  requester_user_id: number;
  recipient_user_id: number;
  template_id: number;
  questions: Json<Question[]>;
  anonymity: FeedbackAnonymity;
  managers_can_read: boolean;
  message: string | null;
  due_on: string | null;
  status: Generated<FeedbackRequestStatus>;
  cancelled_at: MaybeMoment;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface FeedbackProvidersTable extends ModeScoped {
  request_id: number;
  provider_user_id: number;
  status: Generated<FeedbackProviderStatus>;
  decline_reason: string | null;
}

export interface FeedbackResponsesTable extends ModeScoped {
  id: number;
  request_id: number | null;
  template_id: number | null;
  recipient_user_id: number;
  provider_user_id: number;
  anonymity: FeedbackAnonymity;
  managers_can_read: boolean;
  answers: Json<Answer[]>;
  body: string | null;
  submitted_on: Generated<string>;
}

export interface FeedbackTables {
  feedback_templates: FeedbackTemplatesTable;
  feedback_cycles: FeedbackCyclesTable;
  feedback_requests: FeedbackRequestsTable;
  feedback_providers: FeedbackProvidersTable;
  feedback_responses: FeedbackResponsesTable;
}
