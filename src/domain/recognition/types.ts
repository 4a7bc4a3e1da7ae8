import type { RecognitionVisibility } from '../../db/schema.js';

export const MAX_MESSAGE = 2000;
/** How long a giver may still edit what they wrote. */
export const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;
export const REACTION_KINDS = ['like', 'clap', 'celebrate', 'heart', 'insightful'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

export interface NewRecognition {
  /** People who receive it; with `team_id`, the team's members join them. */
  receiver_ids?: number[] | undefined;
  team_id?: number | undefined;
  message: string;
  hashtags?: string[] | undefined;
  company_value_id?: number | null | undefined;
  goal_id?: number | null | undefined;
  visibility?: RecognitionVisibility | undefined;
}

export interface RecognitionFields {
  message?: string | undefined;
  hashtags?: string[] | undefined;
  company_value_id?: number | null | undefined;
  goal_id?: number | null | undefined;
  visibility?: RecognitionVisibility | undefined;
}

export interface RecognitionFilters {
  receiver_id?: number | undefined;
  giver_id?: number | undefined;
  hashtag?: string | undefined;
  company_value_id?: number | undefined;
  /** Recognitions with a receiver in this department (their department now). */
  department_id?: number | undefined;
  /** Recognitions made within the period's dates. */
  period_id?: number | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
}

/** A range of moments for counts: from inclusive, to exclusive; either may be open. */
export interface MomentRange {
  from?: string | undefined;
  to?: string | undefined;
}
