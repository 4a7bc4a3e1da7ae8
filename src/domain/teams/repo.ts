import { type Kysely, sql } from 'kysely';
import type { DB, TeamRole } from '../../db/schema.js';
import { memberColumns } from '../directory/members.js';
import { inTenant, type Tenant } from '../tenant.js';

const memberCountSql = sql<number>`(select count(*) from team_members m
  where m.org_id = teams.org_id and m.mode = teams.mode and m.team_id = teams.id)`;

export function selectTeams(db: Kysely<DB>, t: Tenant) {
  return db
    .selectFrom('teams')
    .select(['id', 'name', 'kind', 'description', 'created_at', 'updated_at'])
    .select(memberCountSql.as('member_count'))
    .where(inTenant(t));
}

export type TeamRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectTeams>['executeTakeFirst']>>>;

export const findTeam = (db: Kysely<DB>, t: Tenant, id: number) =>
  selectTeams(db, t).where('id', '=', id).executeTakeFirst();

/** Teams that have this user among their members. */
export const hasMemberSql = (userId: number) => sql<boolean>`exists (select 1 from team_members m
  where m.org_id = teams.org_id and m.mode = teams.mode and m.team_id = teams.id and m.user_id = ${userId})`;

export function selectTeamMembers(db: Kysely<DB>, t: Tenant, teamId: number) {
  return db
    .selectFrom('team_members as tm')
    .innerJoin('users', (j) =>
      j
        .onRef('users.org_id', '=', 'tm.org_id')
        .onRef('users.mode', '=', 'tm.mode')
        .onRef('users.id', '=', 'tm.user_id'),
    )
    .select(['tm.user_id', 'tm.team_role'])
    .select(memberColumns)
    .where(inTenant(t, 'tm'))
    .where('tm.team_id', '=', teamId);
}

export type TeamMemberRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectTeamMembers>['executeTakeFirst']>>
>;

export const findTeamMember = (db: Kysely<DB>, t: Tenant, teamId: number, userId: number) =>
  selectTeamMembers(db, t, teamId).where('tm.user_id', '=', userId).executeTakeFirst();

/** Adds the member or changes their role in one statement, so a concurrent add cannot collide. */
export async function upsertTeamMember(
  db: Kysely<DB>,
  t: Tenant,
  key: { teamId: number; userId: number },
  teamRole: TeamRole,
) {
  await db
    .insertInto('team_members')
    .values({ org_id: t.orgId, mode: t.mode, team_id: key.teamId, user_id: key.userId, team_role: teamRole })
    .onConflict((c) =>
      c.columns(['org_id', 'mode', 'team_id', 'user_id']).doUpdateSet({ team_role: teamRole }),
    )
    .execute();
}

export async function deleteTeamMember(db: Kysely<DB>, t: Tenant, teamId: number, userId: number) {
  const result = await db
    .deleteFrom('team_members')
    .where(inTenant(t))
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Goals owned by the team, deleted ones included: their history still names it. */
export async function ownedGoalCount(db: Kysely<DB>, t: Tenant, id: number): Promise<number> {
  const row = await db
    .selectFrom('goals')
    .select(sql<number>`count(*)`.as('n'))
    .where(inTenant(t))
    .where('owner_team_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
