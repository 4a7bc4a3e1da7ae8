import type { Kysely, Transaction } from 'kysely';
import type { DB, Mode } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError } from '../errors.js';
import { inTransaction } from '../transactions.js';
import { authenticateClient, type ClientCredentials } from './clients.js';
import * as repo from './repo.js';
import { narrowScope, pkceVerifierMatches, TOKEN_LIFETIME_MS } from './rules.js';
import { hashSecret, newAccessToken, newRefreshToken } from './secret.js';

/** What /oauth/token answers: the tokens in plain text, once. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scope: string;
}

/** Who a token is issued to, and through what: the person (in the app's mode), the app, the code. */
interface Issue {
  orgId: number;
  mode: Mode;
  appId: number;
  userId: number;
  scope: string;
  codeId: number;
}

/** The person an app acts for, as the audit log names them when the app changes its tokens. */
const actorFor = (issue: { orgId: number; mode: Mode; userId: number }, requestId: string | null) =>
  ({
    orgId: issue.orgId,
    mode: issue.mode,
    userId: issue.userId,
    role: 'member',
    dataAdmin: false,
    apiKeyId: null,
    requestId,
  }) satisfies Principal;

async function issue(trx: Transaction<DB>, grant: Issue, now: number, requestId: string | null) {
  const accessToken = newAccessToken(grant.mode);
  const refreshToken = newRefreshToken();
  await trx
    .insertInto('oauth_tokens')
    .values({
      org_id: grant.orgId,
      mode: grant.mode,
      app_id: grant.appId,
      user_id: grant.userId,
      access_hash: hashSecret(accessToken),
      refresh_hash: hashSecret(refreshToken),
      last_four: accessToken.slice(-4),
      scope: grant.scope,
      code_id: grant.codeId,
      created_at: new Date(now),
      expires_at: new Date(now + TOKEN_LIFETIME_MS),
    })
    .execute();
  await recordChange(trx, actorFor(grant, requestId), 'oauth_token.issued', grant.appId, {
    scope: grant.scope,
  });
  return { accessToken, refreshToken, expiresIn: TOKEN_LIFETIME_MS / 1000, scope: grant.scope };
}

export interface CodeExchange {
  code: string | undefined;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
}

/**
 * A code for tokens (RFC 6749 §4.1.3): the client proven, the code its own, unused, unexpired, asked with
 * the redirect URI it was issued for and the verifier of its PKCE challenge. A code presented a second
 * time revokes every token issued from it (§4.1.2), and that revocation is committed before the refusal.
 */
export async function exchangeCode(
  db: Kysely<DB>,
  client: ClientCredentials,
  input: CodeExchange,
  now: number,
  requestId: string | null,
): Promise<IssuedTokens> {
  const app = await authenticateClient(db, client, now);
  if (!input.code || input.code.length > 200) throw new AppError('invalid_auth_code');
  const outcome = await inTransaction(db, async (trx) => {
    const code = await repo.findCodeForExchange(trx, hashSecret(input.code as string));
    if (!code || code.app_id !== app.id || code.org_id !== app.org_id || code.mode !== app.mode)
      throw new AppError('invalid_auth_code');
    if (code.used_at) {
      const revoked = await repo.revokeTokens(trx, repo.tenantOf(code), { codeId: code.id }, new Date(now));
      await recordChange(
        trx,
        actorFor({ ...code, orgId: code.org_id, userId: code.user_id }, requestId),
        'oauth_code.reused',
        app.id,
        { tokens_revoked: revoked },
      );
      return 'reused' as const;
    }
    if (Date.parse(code.expires_at) <= now) throw new AppError('auth_code_expired');
    if (input.redirectUri !== code.redirect_uri) throw new AppError('invalid_redirect_uri');
    const verifier = input.codeVerifier;
    const pkce =
      code.code_challenge === null
        ? verifier === undefined
        : pkceVerifierMatches(verifier ?? '', code.code_challenge);
    if (!pkce)
      throw new AppError('invalid_auth_code', 'The PKCE code_verifier is missing or does not match.');
    await trx
      .updateTable('oauth_codes')
      .set({ used_at: new Date(now) })
      .where('org_id', '=', code.org_id)
      .where('mode', '=', code.mode)
      .where('id', '=', code.id)
      .execute();
    const grant = {
      orgId: code.org_id,
      mode: code.mode,
      appId: app.id,
      userId: code.user_id,
      scope: code.scope,
      codeId: code.id,
    };
    return issue(trx, grant, now, requestId);
  });
  if (outcome === 'reused')
    throw new AppError(
      'invalid_auth_code',
      'The code was already used: every token issued from it is revoked.',
    );
  return outcome;
}

/**
 * A refresh token for new tokens (RFC 6749 §6): the old pair is revoked and a new one issued for the same
 * grant, its scope the same or narrower, never wider.
 */
export async function refreshGrant(
  db: Kysely<DB>,
  client: ClientCredentials,
  input: { refreshToken: string | undefined; scope: string | undefined },
  now: number,
  requestId: string | null,
): Promise<IssuedTokens> {
  const app = await authenticateClient(db, client, now);
  if (!input.refreshToken || input.refreshToken.length > 200) throw new AppError('invalid_grant');
  return inTransaction(db, async (trx) => {
    const token = await repo.findTokenByRefresh(trx, hashSecret(input.refreshToken as string));
    if (!token || token.app_id !== app.id || token.revoked_at || Date.parse(token.expires_at) <= now)
      throw new AppError('invalid_grant');
    const scope = narrowScope(token.scope, input.scope);
    await repo.revokeTokens(trx, repo.tenantOf(token), { id: token.id }, new Date(now));
    const grant = {
      orgId: token.org_id,
      mode: token.mode,
      appId: app.id,
      userId: token.user_id,
      scope,
      codeId: token.code_id as number,
    };
    return issue(trx, grant, now, requestId);
  });
}

/** The token row an access or refresh token names, when it belongs to this app. */
async function tokenOfApp(db: Kysely<DB>, appId: number, token: string) {
  if (token.length > 200) return undefined;
  const hash = hashSecret(token);
  const row = (await repo.findTokenByAccess(db, hash)) ?? (await repo.findTokenByRefresh(db, hash));
  return row?.app_id === appId ? row : undefined;
}

/**
 * RFC 7009: an app revokes one of its own tokens (access or refresh: the pair goes together). An unknown
 * token, or another app's, is answered the same as a revoked one, so the answer reveals nothing.
 */
export async function revokeByClient(
  db: Kysely<DB>,
  client: ClientCredentials,
  token: string,
  now: number,
  requestId: string | null,
) {
  const app = await authenticateClient(db, client, now);
  await inTransaction(db, async (trx) => {
    const row = await tokenOfApp(trx, app.id, token);
    if (!row || row.revoked_at) return;
    await repo.revokeTokens(trx, repo.tenantOf(row), { id: row.id }, new Date(now));
    await recordChange(
      trx,
      actorFor({ orgId: row.org_id, mode: row.mode, userId: row.user_id }, requestId),
      'oauth_grant.revoked',
      app.id,
      { by: 'app', token_id: row.id },
    );
  });
}
