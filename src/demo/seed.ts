import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Principal } from '../domain/access/principal.js';
import { recordChange } from '../domain/changes.js';
import { copyLiveDirectoryToTest } from '../domain/sandbox/service.js';
import type { DemoPlan, PlannedPerson } from './plan.js';

/** Ids from the shared sequence, taken up front so that rows can point at each other in one insert. */
async function allocateIds(trx: Transaction<DB>, count: number): Promise<number[]> {
  if (count === 0) return [];
  const result = await sql<{ id: number }>`
    select nextval('trellis_id_seq') as id from generate_series(1, ${count})`.execute(trx);
  return result.rows.map((r) => Number(r.id));
}

const at = <T>(items: readonly T[], i: number): T => {
  const item = items[i];
  if (item === undefined) throw new Error(`demo plan refers to a missing row ${i}`);
  return item;
};

/**
 * Writes the planned directory into an organisation that has just been created with its super admin, in
 * the caller's transaction: bulk inserts (a few statements, not 200 audited creates), one audit row that
 * says what the seed added, and a fresh copy into the test sandbox.
 */
export async function seedDirectory(trx: Transaction<DB>, actor: Principal, plan: DemoPlan) {
  const key = { org_id: actor.orgId, mode: 'live' as const };
  const allocated = await allocateIds(trx, plan.departments.length);
  const deptIds = new Map(plan.departments.map((d, i) => [d.name, at(allocated, i)]));
  const deptId = (name: string) => {
    const id = deptIds.get(name);
    if (id === undefined) throw new Error(`demo plan refers to a missing department ${name}`);
    return id;
  };
  await trx
    .insertInto('departments')
    .values(
      plan.departments.map((d) => ({
        ...key,
        id: deptId(d.name),
        name: d.name,
        parent_id: d.parent ? deptId(d.parent) : null,
      })),
    )
    .execute();

  const personIds = await allocateIds(trx, plan.people.length);
  const admin = plan.people.find((p) => p.isAdmin);
  if (admin) personIds[admin.ref] = actor.userId;
  const userId = (ref: number) => at(personIds, ref);
  const columns = (p: PlannedPerson) => ({
    employee_id: p.employee_id,
    title: p.title,
    department_id: deptId(p.department),
    manager_id: p.manager === null ? null : userId(p.manager),
    location: p.location,
    phone: p.phone,
    hire_date: p.hire_date,
    custom_fields: JSON.stringify(p.custom_fields),
  });
  const colleagues = plan.people.filter((p) => !p.isAdmin);
  await trx
    .insertInto('users')
    .values(
      colleagues.map((p) => ({
        ...key,
        ...columns(p),
        id: userId(p.ref),
        email: p.email,
        first_name: p.first_name,
        last_name: p.last_name,
        role: p.role,
        data_admin: p.data_admin,
      })),
    )
    .execute();
  if (admin) {
    await trx
      .updateTable('users')
      .set({ ...columns(admin), updated_at: new Date() })
      .where('org_id', '=', actor.orgId)
      .where('mode', '=', 'live')
      .where('id', '=', actor.userId)
      .execute();
  }
  await seedMemberships(trx, actor, plan, { userId, deptId });
  await recordChange(trx, actor, 'demo.seeded', actor.orgId, {
    departments: plan.departments.length,
    users: colleagues.length,
    groups: plan.groups.length,
    teams: plan.teams.length,
  });
  await copyLiveDirectoryToTest(trx, actor);
  return { userId, deptId };
}

/** The ids the seed gave the plan's people (by ref) and departments (by name). */
export interface IdsOf {
  userId(ref: number): number;
  deptId(name: string): number;
}

async function seedMemberships(trx: Transaction<DB>, actor: Principal, plan: DemoPlan, ids: IdsOf) {
  const key = { org_id: actor.orgId, mode: 'live' as const };
  await trx
    .insertInto('user_dotted_managers')
    .values(
      plan.dotted.map(([user, manager]) => ({
        ...key,
        user_id: ids.userId(user),
        manager_id: ids.userId(manager),
      })),
    )
    .execute();
  await trx
    .insertInto('hr_admin_scopes')
    .values(
      plan.hrScopes.map((s) => ({
        ...key,
        user_id: ids.userId(s.ref),
        scope_type: 'department' as const,
        scope_id: ids.deptId(s.department),
      })),
    )
    .execute();

  const groupIds = await allocateIds(trx, plan.groups.length);
  await trx
    .insertInto('groups')
    .values(
      plan.groups.map((g, i) => ({ ...key, id: at(groupIds, i), name: g.name, description: g.description })),
    )
    .execute();
  const groupMembers = plan.groups.flatMap((g, i) =>
    [...new Set(g.members)].map((ref) => ({ ...key, group_id: at(groupIds, i), user_id: ids.userId(ref) })),
  );
  await trx.insertInto('group_members').values(groupMembers).execute();

  const teamIds = await allocateIds(trx, plan.teams.length);
  await trx
    .insertInto('teams')
    .values(
      plan.teams.map((t, i) => ({
        ...key,
        id: at(teamIds, i),
        name: t.name,
        kind: t.kind,
        description: t.description,
      })),
    )
    .execute();
  // A person holds one role per team: the first listed (owner before manager before member) wins.
  const teamMembers = plan.teams.flatMap((t, i) =>
    t.members
      .filter((m, j) => t.members.findIndex((o) => o.ref === m.ref) === j)
      .map((m) => ({ ...key, team_id: at(teamIds, i), user_id: ids.userId(m.ref), team_role: m.role })),
  );
  await trx.insertInto('team_members').values(teamMembers).execute();
}
