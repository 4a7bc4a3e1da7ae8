import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { memberColumns } from '../directory/members.js';
import { inTenant, type Tenant } from '../tenant.js';

const memberCountSql = sql<number>`(select count(*) from group_members m
  where m.org_id = groups.org_id and m.mode = groups.mode and m.group_id = groups.id)`;

export function selectGroups(db: Kysely<DB>, t: Tenant) {
  return db
    .selectFrom('groups')
    .select(['id', 'name', 'description', 'created_at', 'updated_at', memberCountSql.as('member_count')])
    .where(inTenant(t));
}

export type GroupRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectGroups>['executeTakeFirst']>>>;

export const findGroup = (db: Kysely<DB>, t: Tenant, id: number) =>
  selectGroups(db, t).where('id', '=', id).executeTakeFirst();

/** Groups that have this user among their members. */
export const hasMemberSql = (userId: number) => sql<boolean>`exists (select 1 from group_members m
  where m.org_id = groups.org_id and m.mode = groups.mode and m.group_id = groups.id and m.user_id = ${userId})`;

export function selectGroupMembers(db: Kysely<DB>, t: Tenant, groupId: number) {
  return db
    .selectFrom('group_members as gm')
    .innerJoin('users', (j) =>
      j
        .onRef('users.org_id', '=', 'gm.org_id')
        .onRef('users.mode', '=', 'gm.mode')
        .onRef('users.id', '=', 'gm.user_id'),
    )
    .select('gm.user_id')
    .select(memberColumns)
    .where(inTenant(t, 'gm'))
    .where('gm.group_id', '=', groupId);
}

export type GroupMemberRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectGroupMembers>['executeTakeFirst']>>
>;

export async function groupMemberIds(db: Kysely<DB>, t: Tenant, groupId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('user_id')
    .where(inTenant(t))
    .where('group_id', '=', groupId)
    .execute();
  return rows.map((r) => r.user_id);
}

export async function addGroupMembers(db: Kysely<DB>, t: Tenant, groupId: number, userIds: number[]) {
  if (userIds.length === 0) return;
  await db
    .insertInto('group_members')
    .values(userIds.map((user_id) => ({ org_id: t.orgId, mode: t.mode, group_id: groupId, user_id })))
    .execute();
}

/** Removes everyone not in `keep`; `keep` is bounded by the request, the current list may be far longer. */
export async function keepOnlyGroupMembers(db: Kysely<DB>, t: Tenant, groupId: number, keep: number[]) {
  let q = db.deleteFrom('group_members').where(inTenant(t)).where('group_id', '=', groupId);
  if (keep.length > 0) q = q.where('user_id', 'not in', keep);
  await q.execute();
}

/** Takes the group's row lock, so that two member-list replacements run one after the other. */
export const lockGroup = (db: Kysely<DB>, t: Tenant, id: number) =>
  db.selectFrom('groups').select('id').where(inTenant(t)).where('id', '=', id).forUpdate().executeTakeFirst();
