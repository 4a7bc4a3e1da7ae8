import { type Kysely, sql } from 'kysely';
import type { DB, EditRequestStatus } from '../../db/schema.js';
import { authorize, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { hrScopeUserIdsSql } from '../access/scope.js';
import { recordChange } from '../changes.js';
import { AppError, forbidden, notFound, type UniqueConstraints } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import * as repo from './conversation-repo.js';
import { sideOf } from './views.js';

/**
 * Submitted answers are final; to change them, their author asks (an edit request) and an approver —
 * an org admin, or an hr_admin whose scope holds the report (Betterworks: "Approve edit requests") —
 * reopens them or says no. An approved request turns the side's submitted answers back into its draft.
 */

/** One pending request a side (migration 0006): two sent at once meet this index. */
export const uniqueConstraints: UniqueConstraints = {
  conversation_edit_requests_pending: 'An edit request of this side is already waiting for a decision.',
};

export interface EditRequestFilters {
  conversation_id?: number | undefined;
  status?: EditRequestStatus | undefined;
}

const columns = [
  'r.id',
  'r.conversation_id',
  'r.side',
  'r.requested_by',
  'r.reason',
  'r.status',
  'r.decided_by',
  'r.decision_note',
  'r.decided_at',
  'r.created_at',
] as const;

function selectRequests(db: Kysely<DB>, p: Principal) {
  return db
    .selectFrom('conversation_edit_requests as r')
    .innerJoin('conversations as c', (j) =>
      j
        .onRef('c.org_id', '=', 'r.org_id')
        .onRef('c.mode', '=', 'r.mode')
        .onRef('c.id', '=', 'r.conversation_id'),
    )
    .select(columns)
    .where(inTenant(p, 'r'));
}

/** The requests the caller sees: their conversations' (as a participant), and those they may decide. */
function visibleSql(p: Principal) {
  if (policy.decideEditRequests(p)) return null;
  const hr = p.role === 'hr_admin' ? sql`or c.report_id in (${hrScopeUserIdsSql(p)})` : sql``;
  return sql<boolean>`(c.manager_id = ${p.userId} or c.report_id = ${p.userId} ${hr})`;
}

export async function listEditRequests(
  db: Kysely<DB>,
  p: Principal,
  f: EditRequestFilters,
  page: PageRequest,
) {
  let q = selectRequests(db, p);
  const visible = visibleSql(p);
  if (visible) q = q.where(visible);
  if (f.conversation_id !== undefined) q = q.where('r.conversation_id', '=', f.conversation_id);
  if (f.status !== undefined) q = q.where('r.status', '=', f.status);
  return paginate(q, 'r.id', page);
}

async function findRequest(db: Kysely<DB>, p: Principal, id: number) {
  let q = selectRequests(db, p)
    .select(['c.report_id', 'c.manager_id', 'c.status as conversation_status'])
    .where('r.id', '=', id);
  const visible = visibleSql(p);
  if (visible) q = q.where(visible);
  return q.executeTakeFirst();
}

export async function getEditRequest(db: Kysely<DB>, p: Principal, id: number) {
  const found = await findRequest(db, p, id);
  if (!found) throw notFound('edit request');
  const { report_id: _r, manager_id: _m, conversation_status: _s, ...request } = found;
  return request;
}

/** A participant whose answers are submitted asks to change them; one pending request a side at a time. */
export async function requestEdit(
  db: Kysely<DB>,
  p: Principal,
  conversationId: number,
  reason: string | null,
) {
  const id = await inTransaction(db, async (trx) => {
    if (!(await repo.lockConversation(trx, p, conversationId))) throw notFound('conversation');
    const c = await repo.findReadableConversation(trx, p, conversationId);
    if (!c) throw notFound('conversation');
    const side = sideOf(p, c);
    if (!side) throw forbidden('Only a participant asks to edit their own answers.');
    if (c.status === 'completed') throw new AppError('invalid_operation', 'The conversation is completed.');
    if (c[`${side}_submitted_at`] === null)
      throw new AppError('invalid_operation', 'Your answers are not submitted: change your draft instead.');
    const pending = await trx
      .selectFrom('conversation_edit_requests')
      .select('id')
      .where(inTenant(p))
      .where('conversation_id', '=', conversationId)
      .where('side', '=', side)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (pending)
      throw new AppError(
        'invalid_operation',
        `Edit request ${pending.id} is already waiting for a decision.`,
      );
    const { id } = await trx
      .insertInto('conversation_edit_requests')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        conversation_id: conversationId,
        side,
        requested_by: p.userId,
        reason,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'conversation_edit_request.created', id, {
      conversation_id: conversationId,
      side,
    });
    return id;
  });
  return getEditRequest(db, p, id);
}

async function assertCanDecide(
  db: Kysely<DB>,
  p: Principal,
  request: { requested_by: number; report_id: number },
) {
  if (request.requested_by === p.userId) throw forbidden('Nobody decides their own edit request.');
  if (policy.decideEditRequests(p)) return;
  const inScope =
    p.role === 'hr_admin' &&
    (await db
      .selectFrom('users')
      .select('id')
      .where(inTenant(p))
      .where('id', '=', request.report_id)
      .where(sql<boolean>`id in (${hrScopeUserIdsSql(p)})`)
      .executeTakeFirst()) !== undefined;
  authorize(inScope, 'Only admins and HR admins whose scope holds the report decide edit requests.');
}

/** Approves or denies a pending request; approval reopens the side's answers as its draft. */
export async function decideEditRequest(
  db: Kysely<DB>,
  p: Principal,
  id: number,
  decision: 'approved' | 'denied',
  note: string | null,
) {
  await inTransaction(db, async (trx) => {
    const request = await findRequest(trx, p, id);
    if (!request) throw notFound('edit request');
    await assertCanDecide(trx, p, request);
    await repo.lockConversation(trx, p, request.conversation_id);
    const current = await trx
      .selectFrom('conversation_edit_requests')
      .select('status')
      .where(inTenant(p))
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.status !== 'pending')
      throw new AppError('invalid_operation', `The edit request was already ${current.status}.`);
    const now = new Date();
    await trx
      .updateTable('conversation_edit_requests')
      .set({ status: decision, decided_by: p.userId, decision_note: note, decided_at: now })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    if (decision === 'approved' && request.conversation_status === 'completed')
      throw new AppError(
        'invalid_operation',
        'The conversation is completed; its answers can no longer be reopened.',
      );
    if (decision === 'approved') await reopen(trx, p, request.conversation_id, request.side, now);
    const event =
      decision === 'approved' ? 'conversation_edit_request.approved' : 'conversation_edit_request.denied';
    await recordChange(trx, p, event, id, { conversation_id: request.conversation_id, side: request.side });
  });
  return getEditRequest(db, p, id);
}

/** The side's submitted answers become its draft again; the conversation is no longer shared. */
async function reopen(
  trx: Kysely<DB>,
  p: Principal,
  conversationId: number,
  side: 'manager' | 'report',
  now: Date,
) {
  const other = side === 'manager' ? 'report' : 'manager';
  await trx
    .updateTable('conversations')
    .set({
      [`${side}_draft`]: sql`${sql.ref(`${side}_answers`)}`,
      [`${side}_answers`]: null,
      [`${side}_submitted_at`]: null,
      shared_at: null,
      status: sql`case when ${sql.ref(`${other}_submitted_at`)} is null then 'in_progress' else 'submitted' end`,
      updated_at: now,
    })
    .where(inTenant(p))
    .where('id', '=', conversationId)
    .execute();
}
