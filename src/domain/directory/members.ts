import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { inTenant, type Tenant } from '../tenant.js';

/** The people fields a group's or team's member list shows: enough to render a row without a second call. */
export const memberColumns = [
  'users.email',
  'users.first_name',
  'users.last_name',
  'users.preferred_name',
  'users.title',
  'users.department_id',
  'users.status',
] as const;

/** Refuses a membership write naming someone who is not a user of the tenant (same org, same mode). */
export async function assertUsersExist(db: Kysely<DB>, t: Tenant, userIds: number[]): Promise<void> {
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) return;
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where(inTenant(t))
    .where('id', 'in', wanted)
    .execute();
  const found = new Set(rows.map((r) => r.id));
  const missing = wanted.find((id) => !found.has(id));
  if (missing !== undefined) throw new AppError('invalid_operation', `User ${missing} does not exist.`);
}

/** A case-insensitive "name contains" filter, with LIKE's wildcards taken literally. */
export const nameContains = (column: string, text: string) =>
  sql<boolean>`strpos(lower(${sql.ref(column)}), ${text.toLowerCase()}) > 0`;

/** Drops the hr_admin scopes that pointed at a department or group being deleted, so none dangles. */
export async function dropHrScopes(
  db: Kysely<DB>,
  t: Tenant,
  scopeType: 'department' | 'group',
  scopeId: number,
): Promise<number> {
  const result = await db
    .deleteFrom('hr_admin_scopes')
    .where(inTenant(t))
    .where('scope_type', '=', scopeType)
    .where('scope_id', '=', scopeId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The status of each named person of the tenant (absent: no such person), for writes that name people. */
export async function statusesOf(db: Kysely<DB>, t: Tenant, userIds: number[]) {
  if (userIds.length === 0) return new Map<number, string>();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'status'])
    .where(inTenant(t))
    .where('id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.status as string]));
}

/** Everyone on a team, as a write that names the team means them. */
export async function teamMemberIds(db: Kysely<DB>, t: Tenant, teamId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('team_members')
    .select('user_id')
    .where(inTenant(t))
    .where('team_id', '=', teamId)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}
