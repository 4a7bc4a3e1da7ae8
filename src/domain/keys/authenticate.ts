import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import type { KnownKey, PrincipalCache } from '../access/principal-cache.js';
import { assertNoticeAccepted } from '../access/privacy-notice.js';
import { AppError } from '../errors.js';
import { findKeyForAuth, touchLastUsed } from './repo.js';
import { hashKey } from './secret.js';

/** last_used_at is written at most once a minute per key, so a busy key does not write on every call. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Turns a key into the principal, or refuses it: one query, or none when the cache knows the key (it
 * forgets on any change, see principal-cache.ts). Only keys that pass are remembered.
 */
export async function principalForKey(
  db: Kysely<DB>,
  key: string,
  requestId: string,
  cache?: PrincipalCache,
): Promise<Principal> {
  const hash = hashKey(key);
  const found = cache?.get(hash) ?? (await lookUp(db, hash, cache));
  if (Date.now() - found.touchedAt > TOUCH_INTERVAL_MS) {
    await touchLastUsed(db, found.principal.orgId, found.principal.apiKeyId as number);
    found.touchedAt = Date.now();
  }
  return { ...found.principal, requestId };
}

async function lookUp(db: Kysely<DB>, hash: Buffer, cache?: PrincipalCache) {
  const generation = cache?.generation ?? 0;
  const row = await findKeyForAuth(db, hash);
  if (!row) throw new AppError('invalid_access_token');
  if (row.status !== 'active') throw new AppError('access_token_revoked');
  if (row.user_status !== 'active') throw new AppError('user_deactivated');
  assertNoticeAccepted(row);
  const found: KnownKey = {
    principal: {
      orgId: row.org_id,
      mode: row.mode,
      userId: row.user_id,
      role: row.role,
      dataAdmin: row.data_admin,
      apiKeyId: row.id,
    },
    touchedAt: row.last_used_at ? Date.parse(row.last_used_at) : 0,
  };
  cache?.remember(hash, found, generation);
  return found;
}
