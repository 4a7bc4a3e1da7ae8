import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB, Moment } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { type Page, type PageRequest, totalOf } from '../paging.js';
import { inTenant, type Tenant } from '../tenant.js';
import { selectMilestones } from './milestone-repo.js';

export const checkinColumns = [
  'id',
  'goal_id',
  'milestone_id',
  'user_id',
  'api_key_id',
  'request_id',
  'value',
  'comment',
  'confidence',
  'closed_period_override',
  'checked_in_at',
  'created_at',
] as const;

export function selectCheckins(db: Kysely<DB>, t: Tenant) {
  return db.selectFrom('checkins').select(checkinColumns).where(inTenant(t));
}

type Query = ReturnType<typeof selectCheckins>;
export type CheckinRow = NonNullable<Awaited<ReturnType<Query['executeTakeFirst']>>>;

/**
 * The milestones of the goal a check-in dated `at` on `milestoneId` lands on, in display order, the checked-in
 * one with what its history says: the latest value and confidence by date, whether a check-in dated after
 * `at` already gives each (a back-dated check-in does not override those), and the latest date of all, `at`
 * included. One query, read under the chain's lock so that it sees every check-in before it.
 */
export function milestonesAtCheckin(db: Kysely<DB>, t: Tenant, milestoneId: number, at: Date) {
  const history = sql`from checkins k where k.org_id = ${t.orgId} and k.mode = ${t.mode}
    and k.milestone_id = milestones.id`;
  // Only the checked-in milestone's history is asked: CASE leaves the subqueries unrun for the others.
  const ofTarget = <T>(expression: RawBuilder<T>) =>
    sql<T | null>`case when milestones.id = ${milestoneId} then ${expression} end`;
  const latest = (column: 'value' | 'confidence') =>
    ofTarget(sql<
      number | null
    >`(select ${sql.ref(`k.${column}`)} ${history} and ${sql.ref(`k.${column}`)} is not null
      order by k.checked_in_at desc, k.id desc limit 1)`);
  const givenAfter = (column: 'value' | 'confidence') =>
    ofTarget(sql<boolean>`exists (select 1 ${history} and ${sql.ref(`k.${column}`)} is not null
      and k.checked_in_at > ${at})`);
  return selectMilestones(db, t)
    .select([
      latest('value').as('latest_value'),
      givenAfter('value').as('value_given_after'),
      latest('confidence').as('latest_confidence'),
      givenAfter('confidence').as('confidence_given_after'),
      ofTarget(sql<Moment>`greatest((select max(k.checked_in_at) ${history}), ${at}::timestamptz)`).as(
        'last',
      ),
    ])
    .where(
      'goal_id',
      '=',
      sql<number>`(select goal_id from milestones where org_id = ${t.orgId} and mode = ${t.mode}
        and id = ${milestoneId})`,
    )
    .orderBy('position')
    .orderBy('id')
    .execute();
}

const encodePosition = (row: CheckinRow) =>
  Buffer.from(`ck:${Date.parse(row.checked_in_at)}:${row.id}`).toString('base64url');

function decodePosition(after: string) {
  const match = /^ck:(\d{1,15}):(\d{1,16})$/.exec(Buffer.from(after, 'base64url').toString());
  if (!match?.[1] || !match[2]) throw new AppError('invalid_cursor');
  return { at: new Date(Number(match[1])), id: Number(match[2]) };
}

/**
 * Newest first by checked_in_at (a back-dated check-in takes its place in the past), then id. A position
 * is keyset on both, so deep pages cost what the first does; paging.ts pages by ascending id only.
 */
export async function pageCheckins(query: Query, request: PageRequest): Promise<Page<CheckinRow>> {
  const { limit } = request;
  const offset = request.after === undefined ? (request.offset ?? 0) : null;
  let rows = query
    .orderBy('checked_in_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (request.after !== undefined) {
    const { at, id } = decodePosition(request.after);
    rows = rows.where(sql<boolean>`(checked_in_at, id) < (${at}, ${id})`);
  } else {
    rows = rows.offset(offset ?? 0);
  }
  const fetched = await rows.execute();
  const totalCount = await totalOf(query);
  const pageRows = fetched.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  const after = fetched.length > limit && last ? encodePosition(last) : null;
  return { rows: pageRows, totalCount, offset, limit, after };
}
