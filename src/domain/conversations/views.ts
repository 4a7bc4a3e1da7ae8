import type { Answers, AnswerValue, ConversationQuestion } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import type { ConversationDetailRow, ConversationRow } from './conversation-repo.js';
import { answerList } from './questions.js';

/**
 * What one caller sees of a conversation: the one place that decides, so that every face shows the same.
 * - Drafts and private notes: their author alone.
 * - A side's submitted answers: its author; the other participant once the conversation is shared, without
 *   confidential answers, ever; other readers (skip-level, admins, HR) once submitted, confidential answers
 *   to HR roles only (super admins, hr_admins whose scope holds the report).
 */
export type Side = 'manager' | 'report';

export const sideOf = (p: Principal, c: { manager_id: number | null; report_id: number }): Side | null =>
  c.report_id === p.userId ? 'report' : c.manager_id === p.userId ? 'manager' : null;

export interface AnswerView {
  question_id: number;
  value: AnswerValue;
}

export interface ConversationView extends ConversationRow {
  my_side: Side | null;
  shared_notes: string | null;
  manager_questions: ConversationQuestion[];
  report_questions: ConversationQuestion[];
  manager_answers: AnswerView[] | null;
  report_answers: AnswerView[] | null;
  my_draft: AnswerView[] | null;
  my_private_note: string | null;
  goal_ids: number[];
}

function visibleAnswers(row: ConversationDetailRow, side: Side, viewer: Side | null): AnswerView[] | null {
  const submitted: Answers | null = row[`${side}_answers`];
  const questions: ConversationQuestion[] = row[`${side}_questions`];
  if (submitted === null) return null;
  if (viewer === side) return answerList(questions, submitted);
  if (viewer !== null && row.shared_at === null) return null;
  const seesConfidential = viewer === null && row.hr_reader;
  return answerList(
    questions.filter((q) => seesConfidential || !q.confidential),
    submitted,
  );
}

export function conversationView(
  p: Principal,
  row: ConversationDetailRow,
  privateNote: string | null,
): ConversationView {
  const viewer = sideOf(p, row);
  const {
    manager_draft,
    report_draft,
    manager_answers: _m,
    report_answers: _r,
    hr_reader: _hr,
    confirm_meeting: _c,
    allow_goals: _g,
    format: _f,
    ...rest
  } = row;
  const draft = viewer === 'manager' ? manager_draft : viewer === 'report' ? report_draft : null;
  return {
    ...rest,
    my_side: viewer,
    manager_answers: visibleAnswers(row, 'manager', viewer),
    report_answers: visibleAnswers(row, 'report', viewer),
    my_draft: draft && viewer ? answerList(row[`${viewer}_questions`], draft) : null,
    my_private_note: viewer ? privateNote : null,
  };
}
