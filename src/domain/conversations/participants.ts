import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { authorize, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { visibleGoalSql } from '../goals/visibility.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import * as repo from './conversation-repo.js';
import { conversationAfterWrite, getConversation } from './service.js';
import { sideOf } from './views.js';

/**
 * Who takes part and what they discuss: a conversation's manager can be replaced (by org admins, or an
 * hr_admin whose scope holds the report), and its participants link the goals they discuss, where the
 * template allows it, among goals both of them may see.
 */

/** Replaces the manager while their answers are not submitted; their unsubmitted draft goes with them. */
export async function reassignManager(db: Kysely<DB>, p: Principal, id: number, managerId: number) {
  await inTransaction(db, async (trx) => {
    if (!(await repo.lockConversation(trx, p, id))) throw notFound('conversation');
    const c = await trx
      .selectFrom('conversations as c')
      .select([
        'c.manager_id',
        'c.report_id',
        'c.status',
        'c.manager_submitted_at',
        hrCovers(p).as('in_scope'),
      ])
      .where(inTenant(p, 'c'))
      .where('c.id', '=', id)
      .executeTakeFirstOrThrow();
    if (!policy.reassignConversations(p) && !c.in_scope) {
      if (!(await repo.findReadableConversation(trx, p, id))) throw notFound('conversation');
      authorize(false, 'Only admins and HR admins whose scope holds the report reassign a conversation.');
    }
    if (c.status === 'completed') throw new AppError('invalid_operation', 'The conversation is completed.');
    if (c.manager_submitted_at !== null)
      throw new AppError(
        'invalid_operation',
        "The manager's answers are submitted; they stay with who wrote them.",
      );
    if (managerId === c.report_id)
      throw new AppError('invalid_operation', 'The report cannot be their own manager in a conversation.');
    if (managerId === c.manager_id) return;
    const manager = await trx
      .selectFrom('users')
      .select('status')
      .where(inTenant(p))
      .where('id', '=', managerId)
      .executeTakeFirst();
    if (manager?.status !== 'active')
      throw new AppError('invalid_operation', `User ${managerId} does not exist or is deactivated.`);
    await trx
      .updateTable('conversations')
      .set({
        manager_id: managerId,
        manager_draft: sql<string>`null`,
        manager_confirmed_at: null,
        updated_at: new Date(),
      })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'conversation.manager_reassigned', id, {
      manager_id: { from: c.manager_id, to: managerId },
    });
  });
  return conversationAfterWrite(db, p, id);
}

const hrCovers = (p: Principal) => (p.role === 'hr_admin' ? repo.hrCoversReportSql(p) : sql<boolean>`false`);

/** A participant as the goals' visibility sees them: their live role and grant. */
async function participantPrincipal(db: Kysely<DB>, p: Principal, userId: number): Promise<Principal> {
  const live = await db
    .selectFrom('users')
    .select(['role', 'data_admin'])
    .where('org_id', '=', p.orgId)
    .where('mode', '=', 'live')
    .where('id', '=', userId)
    .executeTakeFirst();
  return {
    ...p,
    userId,
    role: live?.role ?? 'member',
    dataAdmin: live?.data_admin ?? false,
    apiKeyId: null,
  };
}

async function asParticipant(db: Kysely<DB>, p: Principal, id: number) {
  const c = await repo.findReadableConversation(db, p, id);
  if (!c) throw notFound('conversation');
  if (!sideOf(p, c))
    throw forbidden("Only the conversation's manager and report choose the goals it discusses.");
  return c;
}

/** Links a goal both participants may see; the template must allow goals. */
export async function linkGoal(db: Kysely<DB>, p: Principal, id: number, goalId: number) {
  await inTransaction(db, async (trx) => {
    const c = await asParticipant(trx, p, id);
    if (!c.allow_goals)
      throw new AppError('invalid_operation', "This conversation's template does not allow goals.");
    let q = trx
      .selectFrom('goals')
      .select('goals.id')
      .where(inTenant(p, 'goals'))
      .where('goals.id', '=', goalId)
      .where('goals.deleted_at', 'is', null);
    for (const userId of [c.manager_id, c.report_id]) {
      if (userId === null) continue;
      const visible = visibleGoalSql(await participantPrincipal(trx, p, userId));
      if (visible) q = q.where(visible);
    }
    if (!(await q.executeTakeFirst()))
      throw new AppError(
        'invalid_operation',
        `Goal ${goalId} does not exist or is not visible to both participants.`,
      );
    const added = await trx
      .insertInto('conversation_goals')
      .values({ org_id: p.orgId, mode: p.mode, conversation_id: id, goal_id: goalId, added_by: p.userId })
      .onConflict((oc) => oc.doNothing())
      .returning('goal_id')
      .executeTakeFirst();
    if (added) await recordChange(trx, p, 'conversation.goal_linked', id, { goal_id: goalId });
  });
  return getConversation(db, p, id);
}

export async function unlinkGoal(db: Kysely<DB>, p: Principal, id: number, goalId: number) {
  await inTransaction(db, async (trx) => {
    await asParticipant(trx, p, id);
    const removed = await trx
      .deleteFrom('conversation_goals')
      .where(inTenant(p))
      .where('conversation_id', '=', id)
      .where('goal_id', '=', goalId)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw notFound('goal of this conversation');
    await recordChange(trx, p, 'conversation.goal_unlinked', id, { goal_id: goalId });
  });
  return getConversation(db, p, id);
}
