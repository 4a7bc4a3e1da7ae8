import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { authorize, gates, pass, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { assertUsersExist, dropHrScopes, nameContains } from '../directory/members.js';
import { notFound, type UniqueConstraints } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import * as repo from './repo.js';

/** A group's name is unique in the organisation (migration 0001). */
export const uniqueConstraints: UniqueConstraints = {
  groups_name: 'A group with this name already exists.',
};

export interface GroupFields {
  name?: string;
  description?: string | null;
}

export interface NewGroup extends GroupFields {
  name: string;
  user_ids?: number[];
}

export interface GroupFilters {
  q?: string | undefined;
  /** Only the groups this user belongs to. */
  member_id?: number | undefined;
}

export function listGroups(db: Kysely<DB>, p: Principal, f: GroupFilters, page: PageRequest) {
  authorize(policy.readDirectory(p));
  let q = repo.selectGroups(db, p);
  if (f.q) q = q.where(nameContains('name', f.q));
  if (f.member_id !== undefined) q = q.where(repo.hasMemberSql(f.member_id));
  return paginate(q, 'id', page);
}

export async function getGroup(db: Kysely<DB>, p: Principal, id: number) {
  authorize(policy.readDirectory(p));
  const group = await repo.findGroup(db, p, id);
  if (!group) throw notFound('group');
  return group;
}

export async function listGroupMembers(db: Kysely<DB>, p: Principal, id: number, page: PageRequest) {
  await getGroup(db, p, id);
  return paginate(repo.selectGroupMembers(db, p, id), 'gm.user_id', page);
}

/** Makes the member list exactly `userIds`; returns who was added and who removed, for the audit row. */
async function setMembers(trx: Transaction<DB>, p: Principal, groupId: number, userIds: number[]) {
  await assertUsersExist(trx, p, userIds);
  const current = new Set(await repo.groupMemberIds(trx, p, groupId));
  const wanted = new Set(userIds);
  const added = [...wanted].filter((id) => !current.has(id));
  const removed = [...current].filter((id) => !wanted.has(id));
  if (removed.length > 0) await repo.keepOnlyGroupMembers(trx, p, groupId, [...wanted]);
  await repo.addGroupMembers(trx, p, groupId, added);
  return { added, removed };
}

export async function createGroup(db: Kysely<DB>, p: Principal, input: NewGroup) {
  pass(p, gates.manageGroups);
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('groups')
      .values({ org_id: p.orgId, mode: p.mode, name: input.name, description: input.description ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setMembers(trx, p, id, input.user_ids ?? []);
    await recordChange(trx, p, 'group.created', id, { ...input });
    return (await repo.findGroup(trx, p, id)) as repo.GroupRow;
  });
}

export async function updateGroup(db: Kysely<DB>, p: Principal, id: number, fields: GroupFields) {
  pass(p, gates.manageGroups);
  return db.transaction().execute(async (trx) => {
    const before = await repo.findGroup(trx, p, id);
    if (!before) throw notFound('group');
    const changes = diff(before as unknown as Record<string, unknown>, fields as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return before;
    await trx
      .updateTable('groups')
      .set({ ...fields, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'group.updated', id, changes);
    return (await repo.findGroup(trx, p, id)) as repo.GroupRow;
  });
}

/** Replaces the whole member list: the one way to change a group's members (a sync sends the full list). */
export async function replaceGroupMembers(db: Kysely<DB>, p: Principal, id: number, userIds: number[]) {
  pass(p, gates.manageGroups);
  return db.transaction().execute(async (trx) => {
    if (!(await repo.lockGroup(trx, p, id))) throw notFound('group');
    const { added, removed } = await setMembers(trx, p, id, userIds);
    if (added.length > 0 || removed.length > 0) {
      await trx
        .updateTable('groups')
        .set({ updated_at: new Date() })
        .where(inTenant(p))
        .where('id', '=', id)
        .execute();
      await recordChange(trx, p, 'group.members_replaced', id, { added, removed });
    }
    return (await repo.findGroup(trx, p, id)) as repo.GroupRow;
  });
}

/** Deleting a group removes its memberships and any HR-admin scope over it; the people stay. */
export async function deleteGroup(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageGroups);
  await db.transaction().execute(async (trx) => {
    const before = await repo.findGroup(trx, p, id);
    if (!before) throw notFound('group');
    const scopesDropped = await dropHrScopes(trx, p, 'group', id);
    await trx.deleteFrom('groups').where(inTenant(p)).where('id', '=', id).execute();
    await recordChange(trx, p, 'group.deleted', id, {
      name: before.name,
      member_count: before.member_count,
      ...(scopesDropped > 0 && { hr_admin_scopes_dropped: scopesDropped }),
    });
  });
}
