import type { Kysely } from 'kysely';
import type { DB, TeamKind, TeamRole } from '../../db/schema.js';
import { authorize, gates, pass, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { assertCanManageTeamMembers } from '../access/scope.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { assertUsersExist, nameContains } from '../directory/members.js';
import { AppError, notFound, type UniqueConstraints } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import * as repo from './repo.js';

/** A team's name is unique in the organisation (migration 0001). */
export const uniqueConstraints: UniqueConstraints = {
  teams_name: 'A team with this name already exists.',
};

export interface TeamFields {
  name?: string;
  kind?: TeamKind;
  description?: string | null;
}

export interface NewTeam extends TeamFields {
  name: string;
  kind: TeamKind;
}

export interface TeamFilters {
  kind?: TeamKind | undefined;
  q?: string | undefined;
  /** Only the teams this user belongs to. */
  member_id?: number | undefined;
}

export function listTeams(db: Kysely<DB>, p: Principal, f: TeamFilters, page: PageRequest) {
  authorize(policy.readDirectory(p));
  let q = repo.selectTeams(db, p);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.q) q = q.where(nameContains('name', f.q));
  if (f.member_id !== undefined) q = q.where(repo.hasMemberSql(f.member_id));
  return paginate(q, 'id', page);
}

export async function getTeam(db: Kysely<DB>, p: Principal, id: number) {
  authorize(policy.readDirectory(p));
  const team = await repo.findTeam(db, p, id);
  if (!team) throw notFound('team');
  return team;
}

export async function listTeamMembers(db: Kysely<DB>, p: Principal, id: number, page: PageRequest) {
  await getTeam(db, p, id);
  return paginate(repo.selectTeamMembers(db, p, id), 'tm.user_id', page);
}

export async function createTeam(db: Kysely<DB>, p: Principal, input: NewTeam) {
  pass(p, gates.manageTeams);
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('teams')
      .values({ org_id: p.orgId, mode: p.mode, ...input })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'team.created', id, { ...input });
    return (await repo.findTeam(trx, p, id)) as repo.TeamRow;
  });
}

export async function updateTeam(db: Kysely<DB>, p: Principal, id: number, fields: TeamFields) {
  pass(p, gates.manageTeams);
  return db.transaction().execute(async (trx) => {
    const before = await repo.findTeam(trx, p, id);
    if (!before) throw notFound('team');
    const changes = diff(before as unknown as Record<string, unknown>, fields as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return before;
    await trx
      .updateTable('teams')
      .set({ ...fields, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'team.updated', id, changes);
    return (await repo.findTeam(trx, p, id)) as repo.TeamRow;
  });
}

/** A team that owns goals stays: the goals (and their history) name it. Its memberships go with it. */
export async function deleteTeam(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageTeams);
  await db.transaction().execute(async (trx) => {
    const before = await repo.findTeam(trx, p, id);
    if (!before) throw notFound('team');
    const goals = await repo.ownedGoalCount(trx, p, id);
    if (goals > 0) {
      throw new AppError('invalid_operation', `The team owns ${goals} goals (deleted ones included).`);
    }
    await trx.deleteFrom('teams').where(inTenant(p)).where('id', '=', id).execute();
    await recordChange(trx, p, 'team.deleted', id, {
      name: before.name,
      kind: before.kind,
      member_count: before.member_count,
    });
  });
}

/** Adds a member with a role, or changes the role of one already there; `added` tells which. */
export async function setTeamMember(
  db: Kysely<DB>,
  p: Principal,
  key: { teamId: number; userId: number },
  teamRole: TeamRole,
) {
  return db.transaction().execute(async (trx) => {
    const team = await getTeam(trx, p, key.teamId);
    await assertCanManageTeamMembers(trx, p, team.id);
    await assertUsersExist(trx, p, [key.userId]);
    const before = await repo.findTeamMember(trx, p, team.id, key.userId);
    if (before?.team_role !== teamRole) {
      await repo.upsertTeamMember(trx, p, key, teamRole);
      await recordChange(trx, p, before ? 'team.member_role_changed' : 'team.member_added', team.id, {
        user_id: key.userId,
        team_role: before ? { from: before.team_role, to: teamRole } : teamRole,
      });
    }
    const member = (await repo.findTeamMember(trx, p, team.id, key.userId)) as repo.TeamMemberRow;
    return { member, added: before === undefined };
  });
}

export async function removeTeamMember(
  db: Kysely<DB>,
  p: Principal,
  key: { teamId: number; userId: number },
) {
  await db.transaction().execute(async (trx) => {
    const team = await getTeam(trx, p, key.teamId);
    await assertCanManageTeamMembers(trx, p, team.id);
    const before = await repo.findTeamMember(trx, p, team.id, key.userId);
    if (!before || !(await repo.deleteTeamMember(trx, p, team.id, key.userId))) throw notFound('team member');
    await recordChange(trx, p, 'team.member_removed', team.id, {
      user_id: key.userId,
      team_role: before.team_role,
    });
  });
}
