import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { forbidden } from '../errors.js';
import { inTenant } from '../tenant.js';
import { authorize, policy } from './policy.js';
import type { Principal } from './principal.js';

/** The departments an hr_admin covers: their scoped departments and everything below them. */
export async function hrScopeDepartmentIds(db: Kysely<DB>, p: Principal): Promise<Set<number>> {
  const result = await sql<{ id: number }>`
    with recursive scoped(id) as (
      select scope_id from hr_admin_scopes
      where org_id = ${p.orgId} and mode = ${p.mode} and user_id = ${p.userId} and scope_type = 'department'
      union
      select d.id from departments d join scoped s on d.parent_id = s.id
      where d.org_id = ${p.orgId} and d.mode = ${p.mode}
    )
    select id from scoped`.execute(db);
  return new Set(result.rows.map((r) => Number(r.id)));
}

async function inScopedGroup(db: Kysely<DB>, p: Principal, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('group_members as gm')
    .innerJoin('hr_admin_scopes as s', (j) =>
      j
        .onRef('s.org_id', '=', 'gm.org_id')
        .onRef('s.mode', '=', 'gm.mode')
        .onRef('s.scope_id', '=', 'gm.group_id')
        .on('s.scope_type', '=', 'group'),
    )
    .select('gm.user_id')
    .where(inTenant(p, 'gm'))
    .where('gm.user_id', '=', userId)
    .where(inTenant(p, 's'))
    .where('s.user_id', '=', p.userId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Refuses a write to a user outside the caller's reach. Org admins reach everyone; an hr_admin reaches
 * the people of their departments and groups, and may only place people into departments they cover.
 */
export async function assertCanWriteUser(
  db: Kysely<DB>,
  p: Principal,
  target: { id?: number; department_id: number | null } | null,
  newDepartmentId?: number | null,
): Promise<void> {
  if (policy.isOrgAdmin(p)) return;
  if (p.role !== 'hr_admin') throw forbidden();
  const departments = await hrScopeDepartmentIds(db, p);
  if (target) {
    const inDepartment = target.department_id !== null && departments.has(target.department_id);
    const inGroup = target.id !== undefined && (await inScopedGroup(db, p, target.id));
    if (!inDepartment && !inGroup) throw forbidden('The user is outside your HR scope.');
  }
  if (newDepartmentId !== undefined && (newDepartmentId === null || !departments.has(newDepartmentId))) {
    throw forbidden('You can only place people into departments of your HR scope.');
  }
}

/**
 * Reporting lines are a privilege boundary: a manager writes their reports' goals and reads their private
 * ones. Org admins name anyone; an hr_admin names only people of their scope as a new manager or
 * dotted-line manager, and never themselves (docs/directory.md). `named` are the managers a write adds.
 */
export async function assertCanNameManagers(db: Kysely<DB>, p: Principal, named: number[]) {
  if (policy.isOrgAdmin(p) || named.length === 0) return;
  if (p.role !== 'hr_admin') throw forbidden();
  if (named.includes(p.userId)) throw forbidden("You cannot make yourself someone's manager.");
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where(inTenant(p))
    .where('id', 'in', named)
    .where(sql<boolean>`id in (${hrScopeUserIdsSql(p)})`)
    .execute();
  const inScope = new Set(rows.map((r) => r.id));
  const outside = named.find((id) => !inScope.has(id));
  if (outside !== undefined) throw forbidden(`Manager ${outside} is outside your HR scope.`);
}

/** The people an hr_admin covers, as a subquery, so that list queries can filter by scope in SQL. */
export function hrScopeUserIdsSql(p: Principal) {
  return sql<number>`select u.id from users u where u.org_id = ${p.orgId} and u.mode = ${p.mode} and (
    u.department_id in (
      with recursive scoped(id) as (
        select scope_id from hr_admin_scopes
        where org_id = ${p.orgId} and mode = ${p.mode} and user_id = ${p.userId} and scope_type = 'department'
        union
        select d.id from departments d join scoped s on d.parent_id = s.id
        where d.org_id = ${p.orgId} and d.mode = ${p.mode}
      )
      select id from scoped)
    or u.id in (
      select gm.user_id from group_members gm
      join hr_admin_scopes s on s.org_id = gm.org_id and s.mode = gm.mode and s.scope_id = gm.group_id
      where gm.org_id = ${p.orgId} and gm.mode = ${p.mode} and s.user_id = ${p.userId} and s.scope_type = 'group'))`;
}

/** Refuses a change to a team's members unless the caller is an org admin or one of the team's owners. */
export async function assertCanManageTeamMembers(db: Kysely<DB>, p: Principal, teamId: number) {
  if (policy.manageTeamMembers(p, null)) return;
  const row = await db
    .selectFrom('team_members')
    .select('team_role')
    .where(inTenant(p))
    .where('team_id', '=', teamId)
    .where('user_id', '=', p.userId)
    .executeTakeFirst();
  authorize(
    policy.manageTeamMembers(p, row?.team_role ?? null),
    "Only admins and the team's owners manage its members.",
  );
}
