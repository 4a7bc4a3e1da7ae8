import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Principal } from '../domain/access/principal.js';
import { findKeyForAuth, touchLastUsed } from '../domain/keys/repo.js';
import { hashKey } from '../domain/keys/secret.js';
import { AppError } from './errors.js';
import type { KnownKey, PrincipalCache } from './principal-cache.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** Query parameters that look like a credential: refused, so that keys never land in URLs and logs. */
export const CREDENTIAL_PARAMS = ['access_token', 'api_key', 'apikey', 'key', 'token'];
const BEARER = /^Bearer\s+(\S{1,200})$/i;
/** last_used_at is written at most once a minute per key, so a busy key does not write on every call. */
const TOUCH_INTERVAL_MS = 60_000;

export function credentialFromRequest(request: FastifyRequest): string {
  const query = request.query as Record<string, unknown> | undefined;
  if (query && CREDENTIAL_PARAMS.some((p) => p in query)) throw new AppError('access_token_in_query');
  const header = request.headers.authorization;
  if (!header) throw new AppError('missing_access_token');
  const match = BEARER.exec(header);
  if (!match?.[1])
    throw new AppError('invalid_access_token', 'Send the key as "Authorization: Bearer <key>".');
  return match[1];
}

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
  if (!row.accepted_at) throw new AppError('privacy_notice_not_accepted');
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

export function authenticate(db: Kysely<DB>, cache?: PrincipalCache) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    request.principal = await principalForKey(db, credentialFromRequest(request), request.id, cache);
  };
}
