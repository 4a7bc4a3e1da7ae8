import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { assertNoticeAccepted } from '../access/privacy-notice.js';
import { AppError } from '../errors.js';
import { authenticateClient, type ClientCredentials } from './clients.js';
import * as repo from './repo.js';
import { scopeAllowsWrite } from './rules.js';
import { hashSecret } from './secret.js';

/** last_used_at is written at most once a minute per token, as keys' and sessions' are. */
const TOUCH_INTERVAL_MS = 60_000;

type TokenRow = NonNullable<Awaited<ReturnType<typeof repo.findTokenForAuth>>>;

/**
 * The rule every token obeys, as every key and session does (docs/sign-in.md, item 8): known, not revoked
 * (nor its app deleted), not expired, its person active and the current notice accepted.
 */
async function liveToken(db: Kysely<DB>, token: string, now: number): Promise<TokenRow> {
  const row = token.length <= 200 ? await repo.findTokenForAuth(db, hashSecret(token)) : undefined;
  if (!row) throw new AppError('invalid_access_token', 'The access token is invalid.');
  if (row.revoked_at || row.app_revoked_at)
    throw new AppError('access_token_revoked', 'The access token has been revoked.');
  if (Date.parse(row.expires_at) <= now)
    throw new AppError('invalid_access_token', 'The access token has expired.');
  if (row.user_status !== 'active') throw new AppError('user_deactivated');
  assertNoticeAccepted(row);
  return row;
}

/**
 * An OAuth or instant token as /v1 resolves it: the person's own Principal, in the token's mode. Its scope
 * narrows what the person may do, never widens it: a read token's write is refused before any route runs.
 * No cache: a revocation is seen by the very next request.
 */
export async function principalForToken(
  db: Kysely<DB>,
  token: string,
  requestId: string,
  write: boolean,
  now = Date.now(),
): Promise<Principal> {
  const row = await liveToken(db, token, now);
  if (write && !scopeAllowsWrite(row.scope))
    throw new AppError('insufficient_access', `This token's scope is "${row.scope}": it cannot write.`);
  if (now - Date.parse(row.last_used_at ?? '1970-01-01T00:00:00Z') > TOUCH_INTERVAL_MS)
    await repo.touchToken(db, repo.tenantOf(row), row.id, new Date(now));
  return {
    orgId: row.org_id,
    mode: row.mode,
    userId: row.user_id,
    role: row.role,
    dataAdmin: row.data_admin,
    apiKeyId: null,
    tokenId: row.id,
    requestId,
  };
}

/**
 * RFC 7662: a confidential app asks whether one of its own tokens is in force. Any other token (unknown,
 * another app's, refused for any reason) is simply inactive: the answer reveals nothing more.
 */
export async function introspect(db: Kysely<DB>, client: ClientCredentials, token: string, now: number) {
  const app = await authenticateClient(db, client, now);
  if (app.kind === 'public') throw new AppError('invalid_client_hash', 'Only confidential apps introspect.');
  const row = await liveToken(db, token, now).catch(() => null);
  if (!row || row.app_id !== app.id) return { active: false as const };
  return {
    active: true as const,
    scope: row.scope,
    client_id: app.client_id,
    token_type: 'Bearer',
    sub: String(row.user_id),
    exp: Math.floor(Date.parse(row.expires_at) / 1000),
    iat: Math.floor(Date.parse(row.created_at) / 1000),
    organization_id: row.org_id,
    mode: row.mode,
  };
}
