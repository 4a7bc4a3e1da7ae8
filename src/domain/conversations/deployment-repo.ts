import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { audienceSql, type Population as SharedPopulation } from '../directory/population.js';
import { inTenant, type Tenant } from '../tenant.js';

/** How many conversations the deployment `d` made. */
export const conversationCount = sql<number>`(select count(*) from conversations c where c.org_id = d.org_id
  and c.mode = d.mode and c.deployment_id = d.id)`;

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
      conversationCount.as('conversation_count'),
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

export interface Population extends SharedPopulation {
  onlyWithManager: boolean;
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
