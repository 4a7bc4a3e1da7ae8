import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inTenant, type Tenant } from '../tenant.js';
import type { ContributorInput } from './types.js';

export const goalColumns = [
  'goals.id',
  'goals.name',
  'goals.description',
  'goals.goal_type',
  'goals.owner_user_id',
  'goals.owner_team_id',
  'goals.owner_department_id',
  'goals.period_id',
  'goals.starts_on',
  'goals.ends_on',
  'goals.visibility',
  'goals.status',
  'goals.parent_id',
  'goals.progress_source',
  'goals.progress',
  'goals.last_checkin_at',
  'goals.custom_fields',
  'goals.created_by',
  'goals.updated_by',
  'goals.created_at',
  'goals.updated_at',
] as const;

const sameGoal = sql`x.org_id = goals.org_id and x.mode = goals.mode and x.goal_id = goals.id`;
const contributors = sql<{ user_id: number; can_edit: boolean }[]>`coalesce((
  select json_agg(json_build_object('user_id', x.user_id, 'can_edit', x.can_edit) order by x.user_id)
  from goal_contributors x where ${sameGoal}), '[]'::json)`;
const teamIds = sql<number[]>`array(select x.team_id from goal_teams x where ${sameGoal} order by x.team_id)`;
const categories = sql<
  string[]
>`array(select x.name from goal_categories x where ${sameGoal} order by x.name collate "C")`;
const tags = sql<
  string[]
>`array(select x.name from goal_tags x where ${sameGoal} order by x.name collate "C")`;

/** Live (not deleted) goals of the tenant, with their contributor, team, category and tag lists. */
export function selectGoals(db: Kysely<DB>, t: Tenant) {
  return db
    .selectFrom('goals')
    .select(goalColumns)
    .select([
      contributors.as('contributors'),
      teamIds.as('team_ids'),
      categories.as('categories'),
      tags.as('tags'),
    ])
    .where(inTenant(t, 'goals'))
    .where('goals.deleted_at', 'is', null);
}

export type GoalRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectGoals>['executeTakeFirst']>>>;

/** The row of a live goal, locked until the transaction ends, so that concurrent roll-ups queue up. */
export function lockGoal(db: Kysely<DB>, t: Tenant, id: number) {
  return db
    .selectFrom('goals')
    .select(['id', 'parent_id', 'progress', 'progress_source'])
    .where(inTenant(t))
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** The goal's ancestors, nearest first, to refuse an alignment that would make a cycle. */
export async function ancestorIds(db: Kysely<DB>, t: Tenant, goalId: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    with recursive chain(id, depth) as (
      select ${goalId}::bigint, 0
      union
      select g.parent_id, c.depth + 1 from goals g join chain c on g.id = c.id
      where g.org_id = ${t.orgId} and g.mode = ${t.mode} and g.parent_id is not null and c.depth < 10000
    )
    select id from chain order by depth`.execute(db);
  return result.rows.map((r) => Number(r.id));
}

/** Alignment changes in one organisation queue on this lock, so two concurrent moves cannot form a cycle. */
export async function lockAlignment(db: Kysely<DB>, t: Tenant) {
  await sql`select pg_advisory_xact_lock(7301, ${t.orgId % 2_147_483_647}::int)`.execute(db);
}

const scoped = <T extends 'goal_contributors' | 'goal_teams' | 'goal_categories' | 'goal_tags'>(
  db: Kysely<DB>,
  table: T,
  t: Tenant,
  goalId: number,
) =>
  db
    .deleteFrom(table as 'goal_tags')
    .where(inTenant(t))
    .where('goal_id', '=', goalId);

export async function replaceContributors(
  db: Kysely<DB>,
  t: Tenant,
  goalId: number,
  list: ContributorInput[],
) {
  await scoped(db, 'goal_contributors', t, goalId).execute();
  if (list.length === 0) return;
  await db
    .insertInto('goal_contributors')
    .values(
      list.map((c) => ({
        org_id: t.orgId,
        mode: t.mode,
        goal_id: goalId,
        user_id: c.user_id,
        can_edit: c.can_edit ?? false,
      })),
    )
    .execute();
}

/** Adds a contributor unless they already are one (a milestone owner becomes one, without edit rights). */
export async function addContributor(db: Kysely<DB>, t: Tenant, goalId: number, userId: number) {
  await db
    .insertInto('goal_contributors')
    .values({ org_id: t.orgId, mode: t.mode, goal_id: goalId, user_id: userId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function replaceGoalTeams(db: Kysely<DB>, t: Tenant, goalId: number, teamIds: number[]) {
  await scoped(db, 'goal_teams', t, goalId).execute();
  if (teamIds.length === 0) return;
  await db
    .insertInto('goal_teams')
    .values(teamIds.map((id) => ({ org_id: t.orgId, mode: t.mode, goal_id: goalId, team_id: id })))
    .execute();
}

export async function replaceLabels(
  db: Kysely<DB>,
  table: 'goal_categories' | 'goal_tags',
  t: Tenant,
  goalId: number,
  names: string[],
) {
  await scoped(db, table, t, goalId).execute();
  if (names.length === 0) return;
  await db
    .insertInto(table)
    .values(names.map((name) => ({ org_id: t.orgId, mode: t.mode, goal_id: goalId, name })))
    .execute();
}
