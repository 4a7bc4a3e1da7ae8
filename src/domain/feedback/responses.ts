import { type Kysely, type Selectable, sql } from 'kysely';
import type { Answer, DB, FeedbackResponsesTable } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { recordAnonymousChange, recordChange } from '../changes.js';
import { assertUsersExist } from '../directory/members.js';
import { AppError, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { randomId } from '../random-id.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { checkAnswers, DEFAULT_PARAGRAPH_LIMIT } from './questions.js';
import { pendingAsk, reportsOf } from './requests.js';
import { getTemplate } from './templates.js';
import { readableResponseSql } from './visibility.js';

export type ResponseRow = Selectable<FeedbackResponsesTable>;

export interface ResponseFilters {
  recipient_id?: number | undefined;
  /** Feedback about this manager's direct reports. */
  manager_id?: number | undefined;
  provider_id?: number | undefined;
  request_id?: number | undefined;
  template_id?: number | undefined;
  submitted_from?: string | undefined;
  submitted_until?: string | undefined;
}

/** Feedback as plain rows: responses to requests and unprompted feedback. */
const selectResponses = (db: Kysely<DB>, p: Principal) =>
  db
    .selectFrom('feedback_responses')
    .selectAll()
    .where(inTenant(p))
    .where(sql<boolean>`${readableResponseSql(p)}`);

/**
 * The feedback the principal may read one by one (visibility.ts). Every filter, the count and the order
 * apply to that set only, so a filter by provider answers the same whether or not that provider wrote an
 * answer anonymous to the caller. Rows are ordered by id, and ids are random: the order says nothing of
 * when each was written.
 */
export function listResponses(db: Kysely<DB>, p: Principal, f: ResponseFilters, page: PageRequest) {
  let q = selectResponses(db, p);
  if (f.recipient_id !== undefined) q = q.where('recipient_user_id', '=', f.recipient_id);
  if (f.manager_id !== undefined) q = q.where('recipient_user_id', 'in', reportsOf(db, p, f.manager_id));
  if (f.provider_id !== undefined) q = q.where('provider_user_id', '=', f.provider_id);
  if (f.request_id !== undefined) q = q.where('request_id', '=', f.request_id);
  if (f.template_id !== undefined) q = q.where('template_id', '=', f.template_id);
  if (f.submitted_from) q = q.where('submitted_on', '>=', f.submitted_from);
  if (f.submitted_until) q = q.where('submitted_on', '<=', f.submitted_until);
  return paginate(q, 'id', page);
}

export async function getResponse(db: Kysely<DB>, p: Principal, id: number): Promise<ResponseRow> {
  const row = await selectResponses(db, p).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('feedback');
  return row;
}

/**
 * A provider answers a request they were asked on. The answers are checked against the questions the
 * request asked. On an anonymous request the audit row names nobody (changes.ts recordAnonymousChange).
 */
export async function respond(db: Kysely<DB>, p: Principal, requestId: number, answers: Answer[]) {
  const id = await inTransaction(db, async (trx) => {
    const request = await pendingAsk(trx, p, requestId);
    const checked = checkAnswers(request.questions, answers);
    const id = randomId();
    await trx
      .insertInto('feedback_responses')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        id,
        request_id: request.id,
        template_id: request.template_id,
        recipient_user_id: request.recipient_user_id,
        provider_user_id: p.userId,
        anonymity: request.anonymity,
        managers_can_read: request.managers_can_read,
        answers: JSON.stringify(checked),
        body: null,
      })
      .execute();
    await trx
      .updateTable('feedback_providers')
      .set({ status: 'submitted' })
      .where(inTenant(p))
      .where('request_id', '=', request.id)
      .where('provider_user_id', '=', p.userId)
      .execute();
    const changes = { request_id: request.id, answered: checked.length };
    if (request.anonymity === 'named') await recordChange(trx, p, 'feedback.submitted', id, changes);
    else await recordAnonymousChange(trx, p, 'feedback.submitted', id, changes);
    return id;
  });
  return getResponse(db, p, id);
}

export interface UnpromptedFeedback {
  recipient_id: number;
  template_id?: number | undefined;
  answers?: Answer[] | undefined;
  body?: string | undefined;
}

const invalid = (field: string, problem: string) =>
  new AppError('invalid_parameters', `${field}: ${problem}`, [{ field, problem }]);

/**
 * Feedback given without a request: the answers to a template's questions, or a free paragraph. It is
 * always named: anonymity hides a provider among the people asked, and nobody was asked here.
 */
export async function giveFeedback(db: Kysely<DB>, p: Principal, input: UnpromptedFeedback) {
  if ((input.template_id === undefined) === (input.body === undefined)) {
    throw invalid('body', 'send either template_id with answers, or body');
  }
  if (input.template_id === undefined && input.answers !== undefined) {
    throw invalid('answers', 'answers need the template_id they answer');
  }
  if (input.recipient_id === p.userId)
    throw new AppError('invalid_operation', 'Feedback is given to someone else.');
  if (input.body !== undefined && [...input.body].length > DEFAULT_PARAGRAPH_LIMIT) {
    throw invalid('body', `is longer than ${DEFAULT_PARAGRAPH_LIMIT} characters`);
  }
  await assertUsersExist(db, p, [input.recipient_id]);
  const id = await inTransaction(db, async (trx) => {
    let answers: Answer[] = [];
    let managersCanRead = true;
    if (input.template_id !== undefined) {
      const template = await getTemplate(trx, p, input.template_id);
      if (template.archived) throw new AppError('invalid_operation', 'The feedback template is archived.');
      if (template.anonymity !== 'named') {
        throw new AppError(
          'invalid_operation',
          'An anonymous template is for requests; unprompted feedback is named.',
        );
      }
      answers = checkAnswers(template.questions, input.answers ?? []);
      managersCanRead = template.managers_can_read;
    }
    const id = randomId();
    await trx
      .insertInto('feedback_responses')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        id,
        request_id: null,
        template_id: input.template_id ?? null,
        recipient_user_id: input.recipient_id,
        provider_user_id: p.userId,
        anonymity: 'named',
        managers_can_read: managersCanRead,
        answers: JSON.stringify(answers),
        body: input.body ?? null,
      })
      .execute();
    await recordChange(trx, p, 'feedback.given', id, {
      recipient_id: input.recipient_id,
      template_id: input.template_id ?? null,
    });
    return id;
  });
  return getResponse(db, p, id);
}
