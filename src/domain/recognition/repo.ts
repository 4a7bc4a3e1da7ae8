import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { hrScopeUserIdsSql } from '../access/scope.js';
import { inTenant, type Tenant } from '../tenant.js';

/** The recognition row of a correlated subquery (named `r` in every query here). */
const sameRecognition = (alias: string) =>
  sql.raw(`${alias}.org_id = r.org_id and ${alias}.mode = r.mode and ${alias}.recognition_id = r.id`);

const receiverIdsSql = sql<number[]>`array(select x.user_id from recognition_receivers x
  where ${sameRecognition('x')} order by x.user_id)`;
const hashtagsSql = sql<string[]>`array(select x.hashtag from recognition_hashtags x
  where ${sameRecognition('x')} order by x.hashtag)`;
const reactionsSql = sql<{ kind: string; count: number }[]>`coalesce((select json_agg(json_build_object(
  'kind', k.kind, 'count', k.n) order by k.kind) from (select x.kind, count(*)::int as n
  from recognition_reactions x where ${sameRecognition('x')} group by x.kind) k), '[]'::json)`;
const commentCountSql = sql<number>`(select count(*)::int from recognition_comments x
  where ${sameRecognition('x')} and x.deleted_at is null)`;

/** Live recognitions with their receivers, hashtags, value, reactions and comment count. */
export function selectRecognitions(db: Kysely<DB>, t: Tenant) {
  return db
    .selectFrom('recognitions as r')
    .leftJoin('company_values as cv', (j) =>
      j
        .onRef('cv.org_id', '=', 'r.org_id')
        .onRef('cv.mode', '=', 'r.mode')
        .onRef('cv.id', '=', 'r.company_value_id'),
    )
    .select([
      'r.id',
      'r.giver_user_id',
      'r.message',
      'r.visibility',
      'r.company_value_id',
      'cv.name as company_value_name',
      'r.goal_id',
      'r.team_id',
      'r.created_at',
      'r.updated_at',
      receiverIdsSql.as('receiver_ids'),
      hashtagsSql.as('hashtags'),
      reactionsSql.as('reactions'),
      commentCountSql.as('comment_count'),
    ])
    .where(inTenant(t, 'r'))
    .where('r.deleted_at', 'is', null);
}

export type RecognitionRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectRecognitions>['executeTakeFirst']>>
>;

/**
 * The recognition `r` is visible to the principal: public; or they gave or received it, or manage one of
 * its receivers; hr_admins also see those whose receivers include someone in their scope. Null: everything.
 */
export function visibleRecognitionSql(p: Principal): RawBuilder<boolean> | null {
  if (policy.readAllRecognition(p)) return null;
  const me = p.userId;
  const inScope =
    p.role === 'hr_admin'
      ? sql`or exists (select 1 from recognition_receivers x where ${sameRecognition('x')}
        and x.user_id in (${hrScopeUserIdsSql(p)}))`
      : sql``;
  return sql<boolean>`(r.visibility = 'public' or r.giver_user_id = ${me}
    or exists (select 1 from recognition_receivers x join users u
      on u.org_id = x.org_id and u.mode = x.mode and u.id = x.user_id
      where ${sameRecognition('x')} and (x.user_id = ${me} or u.manager_id = ${me}))
    ${inScope})`;
}

/** Recognitions the principal may see. */
export function visibleRecognitions(db: Kysely<DB>, p: Principal) {
  const q = selectRecognitions(db, p);
  const visible = visibleRecognitionSql(p);
  return visible ? q.where(visible) : q;
}

/** A recognition the principal may see, or undefined. */
export const findVisibleRecognition = (db: Kysely<DB>, p: Principal, id: number) =>
  visibleRecognitions(db, p).where('r.id', '=', id).executeTakeFirst();

/** Takes the recognition's row lock, so that an edit and a delete run one after the other. */
export const lockRecognition = (db: Kysely<DB>, t: Tenant, id: number) =>
  db
    .selectFrom('recognitions')
    .select('id')
    .where(inTenant(t))
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();

export async function replaceHashtags(db: Kysely<DB>, t: Tenant, recognitionId: number, tags: string[]) {
  await db
    .deleteFrom('recognition_hashtags')
    .where(inTenant(t))
    .where('recognition_id', '=', recognitionId)
    .execute();
  if (tags.length === 0) return;
  await db
    .insertInto('recognition_hashtags')
    .values(
      tags.map((hashtag) => ({ org_id: t.orgId, mode: t.mode, recognition_id: recognitionId, hashtag })),
    )
    .execute();
}
