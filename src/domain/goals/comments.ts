import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { authorize, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { findMilestone } from './milestone-repo.js';
import { findVisibleGoal } from './references.js';

/** What a comment is on: a goal, or one of its milestones. */
export type CommentTarget = { goalId: number } | { milestoneId: number };

const commentColumns = [
  'id',
  'goal_id',
  'milestone_id',
  'author_user_id',
  'body',
  'created_at',
  'updated_at',
] as const;

/** The goal and milestone a target names, if the principal can see the goal; 404 otherwise. */
async function resolveTarget(db: Kysely<DB>, p: Principal, target: CommentTarget) {
  if ('goalId' in target) {
    if (!(await findVisibleGoal(db, p, target.goalId))) throw notFound('goal');
    return { goalId: target.goalId, milestoneId: null };
  }
  const milestone = await findMilestone(db, p, target.milestoneId);
  if (!milestone || !(await findVisibleGoal(db, p, milestone.goal_id))) throw notFound('milestone');
  return { goalId: milestone.goal_id, milestoneId: milestone.id };
}

function liveComments(db: Kysely<DB>, p: Principal) {
  return db
    .selectFrom('goal_comments')
    .select(commentColumns)
    .where(inTenant(p))
    .where('deleted_at', 'is', null);
}

/** Comments on a goal (its own, not its milestones') or on a milestone, oldest first. */
export async function listComments(db: Kysely<DB>, p: Principal, target: CommentTarget, page: PageRequest) {
  const { goalId, milestoneId } = await resolveTarget(db, p, target);
  const q = liveComments(db, p).where('goal_id', '=', goalId);
  return paginate(
    milestoneId === null ? q.where('milestone_id', 'is', null) : q.where('milestone_id', '=', milestoneId),
    'id',
    page,
  );
}

/** Anyone who can see the goal may comment on it. */
export async function addComment(db: Kysely<DB>, p: Principal, target: CommentTarget, body: string) {
  return db.transaction().execute(async (trx) => {
    const { goalId, milestoneId } = await resolveTarget(trx, p, target);
    const comment = await trx
      .insertInto('goal_comments')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        goal_id: goalId,
        milestone_id: milestoneId,
        author_user_id: p.userId,
        body,
      })
      .returning(commentColumns)
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'comment.created', comment.id, {
      goal_id: goalId,
      milestone_id: milestoneId,
      body,
    });
    return comment;
  });
}

/** A comment on a goal the principal can see, locked for the change; 404 otherwise. */
async function visibleComment(db: Kysely<DB>, p: Principal, id: number) {
  const comment = await liveComments(db, p).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!comment || !(await findVisibleGoal(db, p, comment.goal_id))) throw notFound('comment');
  return comment;
}

/** Only the author edits a comment. */
export async function editComment(db: Kysely<DB>, p: Principal, id: number, body: string) {
  return db.transaction().execute(async (trx) => {
    const before = await visibleComment(trx, p, id);
    authorize(before.author_user_id === p.userId, 'Only the author can edit a comment.');
    const comment = await trx
      .updateTable('goal_comments')
      .set({ body, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .returning(commentColumns)
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'comment.updated', id, { body: { from: before.body, to: body } });
    return comment;
  });
}

/** The author deletes their own comment; org admins may remove any (moderation). Kept for the audit trail. */
export async function deleteComment(db: Kysely<DB>, p: Principal, id: number) {
  await db.transaction().execute(async (trx) => {
    const before = await visibleComment(trx, p, id);
    authorize(
      before.author_user_id === p.userId || policy.writeAnyGoal(p),
      'Only the author or an admin can delete a comment.',
    );
    await trx
      .updateTable('goal_comments')
      .set({ deleted_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'comment.deleted', id, {
      goal_id: before.goal_id,
      author_user_id: before.author_user_id,
    });
  });
}
