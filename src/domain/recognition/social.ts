import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { authorize, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { findVisibleRecognition } from './repo.js';
import type { ReactionKind } from './types.js';

/** Reactions and comments: whoever may see a recognition may react to it and comment on it. */

async function visible(db: Kysely<DB>, p: Principal, id: number) {
  if (!(await findVisibleRecognition(db, p, id))) throw notFound('recognition');
}

const reactionColumns = ['id', 'recognition_id', 'user_id', 'kind', 'created_at'] as const;
const commentColumns = ['id', 'recognition_id', 'author_user_id', 'body', 'created_at'] as const;

export async function listReactions(db: Kysely<DB>, p: Principal, id: number, page: PageRequest) {
  await visible(db, p, id);
  const q = db
    .selectFrom('recognition_reactions')
    .select(reactionColumns)
    .where(inTenant(p))
    .where('recognition_id', '=', id);
  return paginate(q, 'id', page);
}

/** One reaction per person per kind: reacting again with the same kind returns the first, unchanged. */
export async function addReaction(db: Kysely<DB>, p: Principal, id: number, kind: ReactionKind) {
  return inTransaction(db, async (trx) => {
    await visible(trx, p, id);
    const inserted = await trx
      .insertInto('recognition_reactions')
      .values({ org_id: p.orgId, mode: p.mode, recognition_id: id, user_id: p.userId, kind })
      .onConflict((oc) => oc.columns(['org_id', 'mode', 'recognition_id', 'user_id', 'kind']).doNothing())
      .returning(reactionColumns)
      .executeTakeFirst();
    if (inserted) {
      await recordChange(trx, p, 'recognition.reacted', id, { reaction_id: inserted.id, kind });
      return { reaction: inserted, created: true };
    }
    const existing = await trx
      .selectFrom('recognition_reactions')
      .select(reactionColumns)
      .where(inTenant(p))
      .where('recognition_id', '=', id)
      .where('user_id', '=', p.userId)
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow();
    return { reaction: existing, created: false };
  });
}

/** Only the person who reacted takes their reaction back. */
export async function removeReaction(db: Kysely<DB>, p: Principal, id: number, reactionId: number) {
  await inTransaction(db, async (trx) => {
    await visible(trx, p, id);
    const reaction = await trx
      .selectFrom('recognition_reactions')
      .select(reactionColumns)
      .where(inTenant(p))
      .where('recognition_id', '=', id)
      .where('id', '=', reactionId)
      .executeTakeFirst();
    if (!reaction) throw notFound('reaction');
    authorize(reaction.user_id === p.userId, 'Only the person who reacted can take a reaction back.');
    await trx.deleteFrom('recognition_reactions').where(inTenant(p)).where('id', '=', reactionId).execute();
    await recordChange(trx, p, 'recognition.reaction_removed', id, {
      reaction_id: reactionId,
      kind: reaction.kind,
    });
  });
}

const liveComments = (db: Kysely<DB>, p: Principal, id: number) =>
  db
    .selectFrom('recognition_comments')
    .select(commentColumns)
    .where(inTenant(p))
    .where('recognition_id', '=', id)
    .where('deleted_at', 'is', null);

export async function listComments(db: Kysely<DB>, p: Principal, id: number, page: PageRequest) {
  await visible(db, p, id);
  return paginate(liveComments(db, p, id), 'id', page);
}

export async function addComment(db: Kysely<DB>, p: Principal, id: number, body: string) {
  return inTransaction(db, async (trx) => {
    await visible(trx, p, id);
    const comment = await trx
      .insertInto('recognition_comments')
      .values({ org_id: p.orgId, mode: p.mode, recognition_id: id, author_user_id: p.userId, body })
      .returning(commentColumns)
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'recognition.commented', id, { comment_id: comment.id, body });
    return comment;
  });
}

/** The author deletes their comment; org admins may remove any (moderation). Kept for the audit trail. */
export async function deleteComment(db: Kysely<DB>, p: Principal, id: number, commentId: number) {
  await inTransaction(db, async (trx) => {
    await visible(trx, p, id);
    const comment = await liveComments(trx, p, id).where('id', '=', commentId).forUpdate().executeTakeFirst();
    if (!comment) throw notFound('comment');
    authorize(
      comment.author_user_id === p.userId || policy.moderateRecognition(p),
      'Only the author or an admin can delete a comment.',
    );
    await trx
      .updateTable('recognition_comments')
      .set({ deleted_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', commentId)
      .execute();
    await recordChange(trx, p, 'recognition.comment_deleted', id, {
      comment_id: commentId,
      author_user_id: comment.author_user_id,
      body: comment.body,
    });
  });
}
