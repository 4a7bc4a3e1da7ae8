import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inTenant, type Tenant } from '../tenant.js';

export const periodColumns = [
  'id',
  'name',
  'starts_on',
  'ends_on',
  'parent_id',
  'status',
  'created_at',
  'updated_at',
  'closed_at',
] as const;

export function selectPeriods(db: Kysely<DB>, t: Tenant) {
  return db.selectFrom('periods').select(periodColumns).where(inTenant(t));
}

export type PeriodRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectPeriods>['executeTakeFirst']>>
>;

export const findPeriod = (db: Kysely<DB>, t: Tenant, id: number) =>
  selectPeriods(db, t).where('id', '=', id).executeTakeFirst();

/** The period's ancestors, nearest first, to refuse a nesting cycle. */
export async function periodAncestorIds(db: Kysely<DB>, t: Tenant, id: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    with recursive chain(id, depth) as (
      select ${id}::bigint, 0
      union
      select p.parent_id, c.depth + 1 from periods p join chain c on p.id = c.id
      where p.org_id = ${t.orgId} and p.mode = ${t.mode} and p.parent_id is not null and c.depth < 1000
    )
    select id from chain order by depth`.execute(db);
  return result.rows.map((r) => Number(r.id));
}

/** The widest span of the period's direct sub-periods, which its own dates must keep covering. */
export function childSpan(db: Kysely<DB>, t: Tenant, id: number) {
  return db
    .selectFrom('periods')
    .select([
      sql<string | null>`min(starts_on)`.as('starts_on'),
      sql<string | null>`max(ends_on)`.as('ends_on'),
    ])
    .where(inTenant(t))
    .where('parent_id', '=', id)
    .executeTakeFirstOrThrow();
}

/**
 * The closed periods containing `day` in the family of `periodId` (itself, the periods it is nested in and
 * those nested in it): a check-in dated there is back-dating into a closed period.
 */
export async function closedPeriodsOn(db: Kysely<DB>, t: Tenant, periodId: number, day: string) {
  const result = await sql<{ id: number; name: string }>`
    with recursive below(id) as (
      select ${periodId}::bigint
      union
      select p.id from periods p join below b on p.parent_id = b.id
      where p.org_id = ${t.orgId} and p.mode = ${t.mode}
    ), above(id, parent_id) as (
      select id, parent_id from periods where org_id = ${t.orgId} and mode = ${t.mode} and id = ${periodId}
      union
      select p.id, p.parent_id from periods p join above a on p.id = a.parent_id
      where p.org_id = ${t.orgId} and p.mode = ${t.mode}
    )
    select p.id, p.name from periods p
    where p.org_id = ${t.orgId} and p.mode = ${t.mode} and p.status = 'closed'
      and p.starts_on <= ${day}::date and p.ends_on >= ${day}::date
      and (p.id in (select id from below) or p.id in (select id from above))
    order by p.id`.execute(db);
  return result.rows;
}
