import type { Kysely } from 'kysely';
import type { DB, Mode } from '../../db/schema.js';

export const keyColumns = [
  'api_keys.id',
  'api_keys.org_id',
  'api_keys.user_id',
  'api_keys.mode',
  'api_keys.name',
  'api_keys.last_four',
  'api_keys.status',
  'api_keys.created_at',
  'api_keys.last_used_at',
  'api_keys.revoked_at',
] as const;

/** Everything authentication needs, in one round trip: the key, its holder and the notice acceptance. */
export function findKeyForAuth(db: Kysely<DB>, hash: Buffer) {
  return db
    .selectFrom('api_keys')
    .innerJoin('organizations as o', 'o.org_id', 'api_keys.org_id')
    .innerJoin('users as u', (j) =>
      j
        .onRef('u.org_id', '=', 'api_keys.org_id')
        .on('u.mode', '=', 'live')
        .onRef('u.id', '=', 'api_keys.user_id'),
    )
    .leftJoin('privacy_notice_acceptances as pa', (j) =>
      j
        .onRef('pa.org_id', '=', 'api_keys.org_id')
        .onRef('pa.user_id', '=', 'api_keys.user_id')
        .onRef('pa.version', '=', 'o.privacy_notice_version'),
    )
    .select([
      'api_keys.id',
      'api_keys.org_id',
      'api_keys.user_id',
      'api_keys.mode',
      'api_keys.status',
      'api_keys.last_used_at',
      'u.status as user_status',
      'u.role',
      'u.data_admin',
      'pa.accepted_at',
    ])
    .where('api_keys.key_hash', '=', hash)
    .executeTakeFirst();
}

export function touchLastUsed(db: Kysely<DB>, orgId: number, id: number) {
  return db
    .updateTable('api_keys')
    .set({ last_used_at: new Date() })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
}

export function listKeys(
  db: Kysely<DB>,
  orgId: number,
  filters: { userId?: number; mode?: Mode; status?: string },
) {
  let q = db.selectFrom('api_keys').select(keyColumns).where('api_keys.org_id', '=', orgId);
  if (filters.userId !== undefined) q = q.where('api_keys.user_id', '=', filters.userId);
  if (filters.mode !== undefined) q = q.where('api_keys.mode', '=', filters.mode);
  if (filters.status !== undefined) q = q.where('api_keys.status', '=', filters.status as 'active');
  return q;
}

export function findKey(db: Kysely<DB>, orgId: number, id: number) {
  return db
    .selectFrom('api_keys')
    .select(keyColumns)
    .where('api_keys.org_id', '=', orgId)
    .where('api_keys.id', '=', id)
    .executeTakeFirst();
}
