import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { notFound } from '../errors.js';
import { inTenant } from '../tenant.js';
import { visibleRecognitionSql } from './repo.js';
import type { MomentRange } from './types.js';

/**
 * Aggregates over the recognitions the reader may see, and only those: a private recognition a reader may
 * not see counts nowhere for them, so counts cannot reveal it.
 */
function readable(db: Kysely<DB>, p: Principal, range: MomentRange) {
  let q = db.selectFrom('recognitions as r').where(inTenant(p, 'r')).where('r.deleted_at', 'is', null);
  const visible = visibleRecognitionSql(p);
  if (visible) q = q.where(visible);
  if (range.from) q = q.where('r.created_at', '>=', range.from);
  if (range.to) q = q.where('r.created_at', '<', range.to);
  return q;
}

/** Each hashtag used in the range with the number of recognitions carrying it, most used first. */
export async function hashtagCounts(db: Kysely<DB>, p: Principal, range: MomentRange, limit: number) {
  const recognitions = readable(db, p, range).select('r.id');
  const rows = await db
    .selectFrom('recognition_hashtags as h')
    .select(['h.hashtag', sql<number>`count(*)::int`.as('count')])
    .where(inTenant(p, 'h'))
    .where('h.recognition_id', 'in', recognitions)
    .groupBy('h.hashtag')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('h.hashtag')
    .limit(limit)
    .execute();
  return rows;
}

/** How many recognitions a person gave and received in the range, among those the reader may see. */
export async function personCounts(db: Kysely<DB>, p: Principal, userId: number, range: MomentRange) {
  const person = await db
    .selectFrom('users')
    .select('id')
    .where(inTenant(p))
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!person) throw notFound('user');
  const given = readable(db, p, range)
    .select(sql<number>`count(*)::int`.as('n'))
    .where('r.giver_user_id', '=', userId);
  const received = readable(db, p, range)
    .select(sql<number>`count(*)::int`.as('n'))
    .where(sql<boolean>`exists (select 1 from recognition_receivers x where x.org_id = r.org_id
      and x.mode = r.mode and x.recognition_id = r.id and x.user_id = ${userId})`);
  const [g, rcv] = await Promise.all([given.executeTakeFirstOrThrow(), received.executeTakeFirstOrThrow()]);
  return { user_id: userId, given: Number(g.n), received: Number(rcv.n) };
}
