import type { CompiledQuery, Kysely } from 'kysely';
import { prepareOnServer } from '../../db/prepared.js';
import type { DB, Mode } from '../../db/schema.js';
import { currentNoticeAcceptance } from '../access/privacy-notice.js';

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

/**
 * Everything authentication needs, in one round trip: the key, its holder and whether the holder accepted
 * the organisation's current notice. The notice check is a scalar subquery rather than two more joins: the
 * same answer (the key's organisation always exists), planned in half the time on every request.
 */
function authQuery(db: Kysely<DB>, hash: Buffer) {
  return db
    .selectFrom('api_keys')
    .innerJoin('users as u', (j) =>
      j
        .onRef('u.org_id', '=', 'api_keys.org_id')
        .on('u.mode', '=', 'live')
        .onRef('u.id', '=', 'api_keys.user_id'),
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
    ])
    .select(currentNoticeAcceptance('api_keys.org_id', 'api_keys.user_id'))
    .where('api_keys.key_hash', '=', hash);
}

type AuthRow = Awaited<ReturnType<ReturnType<typeof authQuery>['executeTakeFirstOrThrow']>>;

/**
 * Compiled once per database handle, and prepared once per PostgreSQL connection: it runs on every request
 * and its SQL never changes, only the hash.
 */
const compiledAuthQueries = new WeakMap<Kysely<DB>, CompiledQuery<AuthRow>>();
const HASH_SLOT = Buffer.from('hash');

export async function findKeyForAuth(db: Kysely<DB>, hash: Buffer): Promise<AuthRow | undefined> {
  let compiled = compiledAuthQueries.get(db);
  if (!compiled) {
    compiled = authQuery(db, HASH_SLOT).compile();
    if (!compiled.parameters.includes(HASH_SLOT)) throw new Error('The auth query lost its hash parameter.');
    prepareOnServer(compiled.sql);
    compiledAuthQueries.set(db, compiled);
  }
  const parameters = compiled.parameters.map((p) => (p === HASH_SLOT ? hash : p));
  const { rows } = await db.executeQuery<AuthRow>({ ...compiled, parameters });
  return rows[0];
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
