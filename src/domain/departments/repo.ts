import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inTenant, type Tenant } from '../tenant.js';

export interface PathStep {
  id: number;
  name: string;
}

/** The department's ancestors, root first, as [{ id, name }]: one short recursive query per row. */
const pathSql = sql<PathStep[]>`(
  with recursive up(id, name, parent_id, depth) as (
    select a.id, a.name, a.parent_id, 1 from departments a
    where a.org_id = departments.org_id and a.mode = departments.mode and a.id = departments.parent_id
    union all
    select a.id, a.name, a.parent_id, up.depth + 1 from departments a join up on a.id = up.parent_id
    where a.org_id = departments.org_id and a.mode = departments.mode and up.depth < 1000
  )
  select coalesce(json_agg(json_build_object('id', id, 'name', name) order by depth desc), '[]'::json)
  from up)`;

/** People whose department this is (active and deactivated: either keeps it from being deleted). */
const memberCountSql = sql<number>`(select count(*) from users u
  where u.org_id = departments.org_id and u.mode = departments.mode and u.department_id = departments.id)`;

const childCountSql = sql<number>`(select count(*) from departments c
  where c.org_id = departments.org_id and c.mode = departments.mode and c.parent_id = departments.id)`;

export function selectDepartments(db: Kysely<DB>, t: Tenant) {
  return db
    .selectFrom('departments')
    .select(['id', 'name', 'parent_id', 'created_at', 'updated_at'])
    .select([pathSql.as('path'), memberCountSql.as('member_count'), childCountSql.as('child_count')])
    .where(inTenant(t));
}

export type DepartmentRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectDepartments>['executeTakeFirst']>>
>;

export const findDepartment = (db: Kysely<DB>, t: Tenant, id: number) =>
  selectDepartments(db, t).where('id', '=', id).executeTakeFirst();

/** The department and its ancestors, nearest first, to refuse a move that would make a cycle. */
export async function departmentChain(db: Kysely<DB>, t: Tenant, id: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    with recursive chain(id, depth) as (
      select ${id}::bigint, 0
      union
      select d.parent_id, c.depth + 1 from departments d join chain c on d.id = c.id
      where d.org_id = ${t.orgId} and d.mode = ${t.mode} and d.parent_id is not null and c.depth < 1000
    )
    select id from chain order by depth`.execute(db);
  return result.rows.map((r) => Number(r.id));
}

/** Serialises changes to the tree within a tenant, so two concurrent moves cannot together form a cycle. */
export async function lockTree(db: Kysely<DB>, t: Tenant): Promise<void> {
  await sql`select pg_advisory_xact_lock(7302, ${t.orgId % 2_147_483_647}::int)`.execute(db);
}

/** Goals owned by the department, deleted ones included: their history still names it. */
export async function ownedGoalCount(db: Kysely<DB>, t: Tenant, id: number): Promise<number> {
  const row = await db
    .selectFrom('goals')
    .select(sql<number>`count(*)`.as('n'))
    .where(inTenant(t))
    .where('owner_department_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
