import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB, DeploymentAudience } from '../../db/schema.js';
import { inTenant, type Tenant } from '../tenant.js';

export function selectDeployments(db: Kysely<DB>, t: Tenant) {
  return db
    .selectFrom('conversation_deployments as d')
    .select([
      'd.id',
      'd.template_id',
      'd.template_version',
      'd.name',
      'd.period_id',
      'd.starts_on',
      'd.due_on',
      'd.audience',
      'd.audience_ids',
      'd.only_with_manager',
      sql<number>`(select count(*) from conversations c where c.org_id = d.org_id and c.mode = d.mode
        and c.deployment_id = d.id)`.as('conversation_count'),
      'd.created_at',
      'd.updated_at',
      'd.synced_at',
    ])
    .where(inTenant(t, 'd'));
}

export type DeploymentRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectDeployments>['executeTakeFirst']>>
>;

export const findDeployment = (db: Kysely<DB>, t: Tenant, id: number) =>
  selectDeployments(db, t).where('d.id', '=', id).executeTakeFirst();

export interface Population {
  audience: DeploymentAudience;
  ids: number[];
  onlyWithManager: boolean;
}

/** The people of a population, as a predicate on `u` (users): sub-departments count with their parent. */
function audienceSql(t: Tenant, population: Population): RawBuilder<boolean> {
  const ids = sql.join(population.ids.length > 0 ? population.ids : [0]);
  switch (population.audience) {
    case 'everyone':
      return sql<boolean>`true`;
    case 'people':
      return sql<boolean>`u.id in (${ids})`;
    case 'groups':
      return sql<boolean>`u.id in (select gm.user_id from group_members gm
        where gm.org_id = ${t.orgId} and gm.mode = ${t.mode} and gm.group_id in (${ids}))`;
    case 'departments':
      return sql<boolean>`u.department_id in (
        with recursive sub(id) as (
          select id from departments where org_id = ${t.orgId} and mode = ${t.mode} and id in (${ids})
          union
          select d.id from departments d join sub on d.parent_id = sub.id
          where d.org_id = ${t.orgId} and d.mode = ${t.mode}
        )
        select id from sub)`;
  }
}

export interface DeploymentTarget {
  id: number;
  template_id: number;
  template_version: number;
  starts_on: string;
  due_on: string;
}

/**
 * One conversation for every active person of the population who has none in this deployment yet, with
 * their active manager (or none, when the deployment takes people without one): one INSERT … SELECT, so
 * that 9,000 conversations cost one statement. Returns how many were made.
 */
export async function insertConversations(
  db: Kysely<DB>,
  t: Tenant,
  d: DeploymentTarget,
  population: Population,
  createdBy: number,
): Promise<number> {
  const withManager = population.onlyWithManager ? sql`and m.id is not null` : sql``;
  const result = await sql<{ n: string | number }>`with made as (
    insert into conversations (org_id, mode, template_id, template_version, deployment_id, manager_id, report_id,
      starts_on, due_on, created_by)
    select u.org_id, u.mode, ${d.template_id}, ${d.template_version}, ${d.id}, m.id, u.id,
      ${d.starts_on}::date, ${d.due_on}::date, ${createdBy}
    from users u
    left join users m on m.org_id = u.org_id and m.mode = u.mode and m.id = u.manager_id and m.status = 'active'
    where u.org_id = ${t.orgId} and u.mode = ${t.mode} and u.status = 'active'
      and ${audienceSql(t, population)} ${withManager}
    order by u.id
    on conflict (org_id, mode, deployment_id, report_id) where deployment_id is not null do nothing
    returning 1)
  select count(*) as n from made`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/** The ids among `ids` that name no row of the table in the tenant. */
export async function missingIds(
  db: Kysely<DB>,
  t: Tenant,
  table: 'departments' | 'groups' | 'users',
  ids: number[],
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom(table).select('id').where(inTenant(t)).where('id', 'in', ids).execute();
  const found = new Set(rows.map((r) => Number(r.id)));
  return ids.filter((id) => !found.has(id));
}
