import { type Kysely, sql } from 'kysely';
import type { DB, Mode } from '../../db/schema.js';
import { inTenant } from '../tenant.js';

export const userColumns = [
  'users.id',
  'users.employee_id',
  'users.email',
  'users.first_name',
  'users.last_name',
  'users.preferred_name',
  'users.title',
  'users.department_id',
  'users.manager_id',
  'users.location',
  'users.phone',
  'users.hire_date',
  'users.status',
  'users.role',
  'users.data_admin',
  'users.kind',
  'users.custom_fields',
  'users.created_at',
  'users.updated_at',
  'users.deactivated_at',
] as const;

const dottedManagerIds = sql<number[]>`array(
  select d.manager_id from user_dotted_managers d
  where d.org_id = users.org_id and d.mode = users.mode and d.user_id = users.id order by d.manager_id)`;

export function selectUsers(db: Kysely<DB>, orgId: number, mode: Mode) {
  return db
    .selectFrom('users')
    .select(userColumns)
    .select(dottedManagerIds.as('dotted_line_manager_ids'))
    .where(inTenant({ orgId, mode }, 'users'));
}

export type UserRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectUsers>['executeTakeFirst']>>>;

/** A user by id (a number or digits) or by email (case-insensitive). */
export function findUserByRef(db: Kysely<DB>, orgId: number, mode: Mode, ref: string | number) {
  const q = selectUsers(db, orgId, mode);
  if (typeof ref === 'number' || /^\d{1,15}$/.test(ref))
    return q.where('users.id', '=', Number(ref)).executeTakeFirst();
  return q.where(sql`lower(users.email)`, '=', ref.toLowerCase()).executeTakeFirst();
}

/** The user's managers, nearest first, to detect a reporting-line cycle before it is written. */
export async function managerChain(
  db: Kysely<DB>,
  orgId: number,
  mode: Mode,
  managerId: number,
): Promise<number[]> {
  const result = await sql<{ id: number }>`
    with recursive chain(id, depth) as (
      select ${managerId}::bigint, 0
      union
      select u.manager_id, c.depth + 1 from users u join chain c on u.id = c.id
      where u.org_id = ${orgId} and u.mode = ${mode} and u.manager_id is not null and c.depth < 1000
    )
    select id from chain order by depth`.execute(db);
  return result.rows.map((r) => Number(r.id));
}

export async function replaceDottedManagers(
  db: Kysely<DB>,
  key: { orgId: number; mode: Mode; userId: number },
  managerIds: number[],
) {
  await db
    .deleteFrom('user_dotted_managers')
    .where(inTenant(key))
    .where('user_id', '=', key.userId)
    .execute();
  if (managerIds.length === 0) return;
  await db
    .insertInto('user_dotted_managers')
    .values(
      managerIds.map((id) => ({ org_id: key.orgId, mode: key.mode, user_id: key.userId, manager_id: id })),
    )
    .execute();
}

/** Which of these ids name users of the org and mode. */
export async function existingUserIds(db: Kysely<DB>, orgId: number, mode: Mode, ids: number[]) {
  if (ids.length === 0) return new Set<number>();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where(inTenant({ orgId, mode }))
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}
