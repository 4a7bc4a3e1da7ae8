import { type Kysely, sql } from 'kysely';
import type { Answer, AnswerValue, DB, Question } from '../../db/schema.js';
import { authorize } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { inTenant } from '../tenant.js';
import type { RequestRow } from './request-views.js';
import { findRequest, isPastDue } from './requests.js';
import { feedbackSettings } from './settings.js';
import { namesHiddenFrom, readsRequestSql } from './visibility.js';

export interface QuestionResult {
  question_id: number;
  type: Question['type'];
  text: string;
  answered: number;
  /** paragraph: the answers, in text order (never the order they came in). */
  texts: string[] | null;
  /** scale and star_rating: the mean, and how many gave each point from 1 up. */
  average: number | null;
  distribution: { value: number; count: number }[] | null;
  /** single_select and multi_select: how many chose each option, in the question's order. */
  options: { option: string; count: number }[] | null;
}

export interface RequestResults {
  request_id: number;
  submitted: number;
  threshold: number;
  anonymous_to_you: boolean;
  withheld: boolean;
  withheld_reason: string | null;
  questions: QuestionResult[];
}

function resultOf(q: Question, values: AnswerValue[]): QuestionResult {
  const result: QuestionResult = {
    question_id: q.id,
    type: q.type,
    text: q.text,
    answered: values.length,
    texts: null,
    average: null,
    distribution: null,
    options: null,
  };
  if (q.type === 'paragraph') result.texts = (values as string[]).slice().sort();
  if (q.type === 'scale' || q.type === 'star_rating') {
    const points = (q.type === 'scale' ? q.scale_max : q.stars) ?? 0;
    const numbers = values as number[];
    result.average = numbers.length ? numbers.reduce((a, b) => a + b, 0) / numbers.length : null;
    result.distribution = Array.from({ length: points }, (_, i) => ({
      value: i + 1,
      count: numbers.filter((n) => n === i + 1).length,
    }));
  }
  if (q.type === 'single_select' || q.type === 'multi_select') {
    const chosen = values.flatMap((v) => (Array.isArray(v) ? v : [v as string]));
    result.options = (q.options ?? []).map((option) => ({
      option,
      count: chosen.filter((c) => c === option).length,
    }));
  }
  return result;
}

/**
 * Why a pool hidden from its reader is not shown yet, or null. It is shown once the threshold of providers
 * answered **and** no answer can join it any more (nobody pending, the due date passed, or the request was
 * cancelled): a pool that grew after a reader saw it would show them the newcomer's answers as the difference.
 */
async function withholding(
  db: Kysely<DB>,
  p: Principal,
  request: RequestRow,
  submitted: number,
  threshold: number,
): Promise<string | null> {
  if (submitted < threshold) {
    return (
      `The answers are anonymous to you and are shown once ${threshold} providers have answered; ` +
      `${submitted} have so far.`
    );
  }
  if (request.status === 'cancelled' || isPastDue(request)) return null;
  const pending = await db
    .selectFrom('feedback_providers')
    .select('provider_user_id')
    .where(inTenant(p))
    .where('request_id', '=', request.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return pending
    ? 'The answers are anonymous to you and are shown once every provider has answered or declined, ' +
        'or the request is past its due date or cancelled, so that they never change after you see them.'
    : null;
}

/**
 * A request's answers pooled per question: counts, means and texts in text order, never a response as a whole
 * and never who gave which. Where providers are anonymous to the reader, nothing is shown until the
 * organisation's threshold of providers (at least 3) has answered.
 */
export async function requestResults(db: Kysely<DB>, p: Principal, id: number): Promise<RequestResults> {
  const request = await findRequest(db, p, id);
  const reads = await db
    .selectFrom('feedback_requests')
    .select('id')
    .where(inTenant(p))
    .where('id', '=', id)
    .where(sql<boolean>`${readsRequestSql(p)}`)
    .executeTakeFirst();
  authorize(
    reads !== undefined,
    'Only the requester, the recipient and those who oversee them read the results.',
  );
  const rows = await db
    .selectFrom('feedback_responses')
    .select('answers')
    .where(inTenant(p))
    .where('request_id', '=', id)
    .execute();
  const { anonymity_threshold: threshold } = await feedbackSettings(db, p);
  const hidden = namesHiddenFrom(p, request);
  const reason = hidden ? await withholding(db, p, request, rows.length, threshold) : null;
  const answers: Answer[] = reason ? [] : rows.flatMap((r) => r.answers);
  return {
    request_id: id,
    submitted: rows.length,
    threshold,
    anonymous_to_you: hidden,
    withheld: reason !== null,
    withheld_reason: reason,
    questions: request.questions.map((q) =>
      resultOf(
        q,
        answers.filter((a) => a.question_id === q.id).map((a) => a.value),
      ),
    ),
  };
}
