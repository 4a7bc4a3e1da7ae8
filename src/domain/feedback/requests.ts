import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, FeedbackRequestKind, FeedbackRequestStatus } from '../../db/schema.js';
import { authorize } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordAnonymousChange, recordChange } from '../changes.js';
import { assertUsersExist } from '../directory/members.js';
import { AppError, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant, type Tenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { type RequestRow, requestViews } from './request-views.js';
import { getTemplate } from './templates.js';
import { askedSql, manages, readsRequestSql } from './visibility.js';

export interface NewRequest {
  /** Whom the feedback is about; the caller when absent (self-requested). */
  recipient_id?: number | undefined;
  template_id: number;
  provider_ids: number[];
  message?: string | null | undefined;
  due_on?: string | null | undefined;
}

export interface RequestFilters {
  recipient_id?: number | undefined;
  /** Requests about this manager's direct reports. */
  manager_id?: number | undefined;
  requester_id?: number | undefined;
  provider_id?: number | undefined;
  template_id?: number | undefined;
  cycle_id?: number | undefined;
  kind?: FeedbackRequestKind | undefined;
  status?: FeedbackRequestStatus | undefined;
  due_from?: string | undefined;
  due_until?: string | undefined;
}

/** The direct reports of a manager, as a subquery for a recipient filter. */
export const reportsOf = (db: Kysely<DB>, t: Tenant, managerId: number) =>
  db.selectFrom('users').select('id').where(inTenant(t)).where('manager_id', '=', managerId);

const selectRequests = (db: Kysely<DB>, t: Tenant) =>
  db.selectFrom('feedback_requests').selectAll().where(inTenant(t));

const today = () => new Date().toISOString().slice(0, 10);
/** Past its due date (UTC): no answer or decline is taken any more, and anonymous pools are final. */
export const isPastDue = (request: { due_on: string | null }) =>
  request.due_on !== null && request.due_on < today();
const invalidOperation = (description: string) => new AppError('invalid_operation', description);

/** Requests the principal reads in full or was asked to answer; the rest do not exist for them. */
export async function listRequests(db: Kysely<DB>, p: Principal, f: RequestFilters, page: PageRequest) {
  let q = selectRequests(db, p).where(sql<boolean>`(${readsRequestSql(p)} or ${askedSql(p)})`);
  if (f.recipient_id !== undefined) q = q.where('recipient_user_id', '=', f.recipient_id);
  if (f.requester_id !== undefined) q = q.where('requester_user_id', '=', f.requester_id);
  if (f.manager_id !== undefined) q = q.where('recipient_user_id', 'in', reportsOf(db, p, f.manager_id));
  if (f.template_id !== undefined) q = q.where('template_id', '=', f.template_id);
  if (f.cycle_id !== undefined) q = q.where('cycle_id', '=', f.cycle_id);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.due_from) q = q.where('due_on', '>=', f.due_from);
  if (f.due_until) q = q.where('due_on', '<=', f.due_until);
  if (f.provider_id !== undefined) {
    // Who else was asked is shown to full readers only, so only they may filter by another provider.
    const asked = askedSql({ ...p, userId: f.provider_id });
    q = q.where(f.provider_id === p.userId ? asked : sql<boolean>`(${asked} and ${readsRequestSql(p)})`);
  }
  const found = await paginate(q, 'id', page);
  return { ...found, rows: await requestViews(db, p, found.rows) };
}

/** A request the principal reads in full or was asked to answer; a 404 for everyone else. */
export async function findRequest(db: Kysely<DB>, p: Principal, id: number): Promise<RequestRow> {
  const row = await selectRequests(db, p)
    .where('id', '=', id)
    .where(sql<boolean>`(${readsRequestSql(p)} or ${askedSql(p)})`)
    .executeTakeFirst();
  if (!row) throw notFound('feedback request');
  return row;
}

export async function getRequest(db: Kysely<DB>, p: Principal, id: number) {
  const [view] = await requestViews(db, p, [await findRequest(db, p, id)]);
  return view as NonNullable<typeof view>;
}

/** Checks the people asked: users of the tenant, never the recipient, none asked before on this request. */
async function addProviders(trx: Transaction<DB>, p: Principal, request: RequestRow, ids: number[]) {
  if (ids.includes(request.recipient_user_id)) {
    throw invalidOperation('The recipient cannot be asked for feedback on themselves.');
  }
  await assertUsersExist(trx, p, ids);
  const already = await trx
    .selectFrom('feedback_providers')
    .select('provider_user_id')
    .where(inTenant(p))
    .where('request_id', '=', request.id)
    .where('provider_user_id', 'in', ids)
    .executeTakeFirst();
  if (already) {
    throw new AppError(
      'duplicate_resource',
      `User ${already.provider_user_id} was already asked for this feedback.`,
    );
  }
  await trx
    .insertInto('feedback_providers')
    .values(
      ids.map((id) => ({
        org_id: p.orgId,
        mode: p.mode,
        request_id: request.id,
        provider_user_id: id,
        decline_reason: null,
      })),
    )
    .execute();
}

/**
 * Asks providers for feedback: about the caller (self-requested) or about one of the caller's reports
 * (manager-requested, on a template that lets managers read). The request copies the template's questions,
 * anonymity and manager access, so that a later edit of the template changes nothing already asked.
 */
export async function createRequest(db: Kysely<DB>, p: Principal, input: NewRequest) {
  const recipient = input.recipient_id ?? p.userId;
  const kind: FeedbackRequestKind = recipient === p.userId ? 'self_requested' : 'manager_requested';
  if (kind === 'manager_requested') {
    await assertUsersExist(db, p, [recipient]);
    authorize(
      await manages(db, p, recipient),
      'You can only request feedback about yourself or your reports.',
    );
  }
  if (input.due_on && input.due_on < today()) {
    throw new AppError('invalid_parameters', 'due_on: the due date is in the past.', [
      { field: 'due_on', problem: 'is in the past' },
    ]);
  }
  return inTransaction(db, async (trx) => {
    const template = await getTemplate(trx, p, input.template_id);
    if (template.archived) throw invalidOperation('The feedback template is archived.');
    if (kind === 'manager_requested' && !template.managers_can_read) {
      throw invalidOperation("The template does not let managers read their reports' feedback.");
    }
    const { id } = await trx
      .insertInto('feedback_requests')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        kind,
        requester_user_id: p.userId,
        recipient_user_id: recipient,
        template_id: template.id,
        questions: JSON.stringify(template.questions),
        anonymity: template.anonymity,
        managers_can_read: template.managers_can_read,
        message: input.message ?? null,
        due_on: input.due_on ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const request = (await selectRequests(trx, p).where('id', '=', id).executeTakeFirst()) as RequestRow;
    await addProviders(trx, p, request, input.provider_ids);
    await recordChange(trx, p, 'feedback_request.created', id, {
      kind,
      recipient_id: recipient,
      template_id: template.id,
      provider_ids: input.provider_ids,
      due_on: input.due_on ?? null,
    });
    return request;
  });
}

/** The request, open and made by the caller: only a requester changes a request. */
async function ownOpenRequest(trx: Transaction<DB>, p: Principal, id: number, what: string) {
  const request = await findRequest(trx, p, id);
  authorize(request.requester_user_id === p.userId, `Only the requester can ${what}.`);
  if (request.status !== 'open') throw invalidOperation('The feedback request was cancelled.');
  return request;
}

const anyAnswer = async (trx: Transaction<DB>, t: Tenant, id: number) =>
  (await trx
    .selectFrom('feedback_providers')
    .select('request_id')
    .where(inTenant(t))
    .where('request_id', '=', id)
    .where('status', '=', 'submitted')
    .executeTakeFirst()) !== undefined;

export async function askMoreProviders(db: Kysely<DB>, p: Principal, id: number, providerIds: number[]) {
  await inTransaction(db, async (trx) => {
    const request = await ownOpenRequest(trx, p, id, 'ask more providers');
    if (request.anonymity !== 'named' && (await anyAnswer(trx, p, id))) {
      // The pool before and after the newcomers' answers would differ by exactly their answers.
      throw invalidOperation(
        'Answers have come in: people asked now would be the only difference between two pools of anonymous answers. Make a new request.',
      );
    }
    await addProviders(trx, p, request, providerIds);
    await recordChange(trx, p, 'feedback_request.providers_added', id, { provider_ids: providerIds });
  });
  return getRequest(db, p, id);
}

export async function cancelRequest(db: Kysely<DB>, p: Principal, id: number) {
  await inTransaction(db, async (trx) => {
    await ownOpenRequest(trx, p, id, 'cancel a feedback request');
    await trx
      .updateTable('feedback_requests')
      .set({ status: 'cancelled', cancelled_at: new Date(), updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'feedback_request.cancelled', id, {
      status: { from: 'open', to: 'cancelled' },
    });
  });
  return getRequest(db, p, id);
}

/** The caller's own pending ask on an open request: what answering and declining both need. */
export async function pendingAsk(trx: Transaction<DB>, p: Principal, id: number) {
  const request = await findRequest(trx, p, id);
  const ask = await trx
    .selectFrom('feedback_providers')
    .select('status')
    .where(inTenant(p))
    .where('request_id', '=', id)
    .where('provider_user_id', '=', p.userId)
    .forUpdate()
    .executeTakeFirst();
  authorize(ask !== undefined, 'You were not asked for feedback on this request.');
  if (request.status !== 'open') throw invalidOperation('The feedback request was cancelled.');
  if (isPastDue(request)) throw invalidOperation(`The feedback request was due on ${request.due_on}.`);
  if (ask?.status === 'submitted')
    throw new AppError('duplicate_resource', 'You have already answered this request.');
  if (ask?.status === 'declined') throw invalidOperation('You have declined this request.');
  return request;
}

/**
 * A provider declines with a reason. On an anonymous request, who declined is as secret as who answered
 * (it would narrow who did): the audit row names nobody, and readers see the reasons without names.
 */
export async function declineRequest(db: Kysely<DB>, p: Principal, id: number, reason: string) {
  await inTransaction(db, async (trx) => {
    const request = await pendingAsk(trx, p, id);
    await trx
      .updateTable('feedback_providers')
      .set({ status: 'declined', decline_reason: reason })
      .where(inTenant(p))
      .where('request_id', '=', id)
      .where('provider_user_id', '=', p.userId)
      .execute();
    if (request.anonymity === 'named') {
      await recordChange(trx, p, 'feedback_request.declined', id, { reason });
    } else {
      await recordAnonymousChange(trx, p, 'feedback_request.declined', id, {});
    }
  });
  return getRequest(db, p, id);
}

/** The requester asks for a reminder to the providers who have not answered: how many, never who (cycles.ts). */
export async function remindRequest(db: Kysely<DB>, p: Principal, id: number) {
  await inTransaction(db, async (trx) => {
    await ownOpenRequest(trx, p, id, 'send reminders');
    const { n } = await trx
      .selectFrom('feedback_providers')
      .select(sql<number>`count(*)`.as('n'))
      .where(inTenant(p))
      .where('request_id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    if (Number(n) === 0) throw invalidOperation('Every provider has answered or declined.');
    await recordChange(trx, p, 'feedback_request.reminder_due', id, { pending: Number(n) });
  });
  return getRequest(db, p, id);
}
