import type { Generated } from 'kysely';
import type { CreatedAt, MaybeMoment, ModeScoped, Timestamp } from './columns.js';

// Recognition (migration 0008).

export type RecognitionVisibility = 'public' | 'private';

export interface CompanyValuesTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  description: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deleted_at: MaybeMoment;
}

export interface RecognitionsTable extends ModeScoped {
  id: Generated<number>;
  giver_user_id: number;
  message: string;
  visibility: RecognitionVisibility;
  company_value_id: number | null;
  goal_id: number | null;
  /** The team named at write time, when its members were the receivers; kept for the record only. */
  team_id: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deleted_at: MaybeMoment;
}

export interface RecognitionReceiversTable extends ModeScoped {
  recognition_id: number;
  user_id: number;
}

export interface RecognitionHashtagsTable extends ModeScoped {
  recognition_id: number;
  hashtag: string;
}

export interface RecognitionReactionsTable extends ModeScoped {
  id: Generated<number>;
  recognition_id: number;
  user_id: number;
  kind: string;
  created_at: CreatedAt;
}

export interface RecognitionCommentsTable extends ModeScoped {
  id: Generated<number>;
  recognition_id: number;
  author_user_id: number;
  body: string;
  created_at: CreatedAt;
  deleted_at: MaybeMoment;
}

export interface RecognitionTables {
  company_values: CompanyValuesTable;
  recognitions: RecognitionsTable;
  recognition_receivers: RecognitionReceiversTable;
  recognition_hashtags: RecognitionHashtagsTable;
  recognition_reactions: RecognitionReactionsTable;
  recognition_comments: RecognitionCommentsTable;
}
