import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { authorize, gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { notFound } from '../errors.js';
import { inTransaction } from '../transactions.js';
import * as repo from './repo.js';
import { parseScope, TOKEN_LIFETIME_MS } from './rules.js';
import { hashSecret, newInstantToken } from './secret.js';

/**
 * A person's grants (the apps they let act for them) and instant tokens (docs/oauth.md): listed and
 * revoked by the person, and an app's grants by the organisation's admins.
 */

export const listMyGrants = (db: Kysely<DB>, p: Principal, now = Date.now()) =>
  repo.selectGrants(db, p, { userId: p.userId }, new Date(now));

/** Revokes every token the person gave an app; an app they never authorised is a 404. */
export async function revokeMyGrant(db: Kysely<DB>, p: Principal, appId: number, now = Date.now()) {
  await inTransaction(db, async (trx) => {
    const revoked = await repo.revokeTokens(trx, p, { appId, userId: p.userId }, new Date(now));
    if (revoked === 0) throw notFound('OAuth grant');
    await recordChange(trx, p, 'oauth_grant.revoked', appId, { by: 'person', user_id: p.userId, revoked });
  });
}

export async function listAppGrants(db: Kysely<DB>, p: Principal, appId: number, now = Date.now()) {
  pass(p, gates.manageOAuthApps);
  if (!(await repo.findApp(db, p, appId))) throw notFound('OAuth app');
  return repo.selectGrants(db, p, { appId }, new Date(now));
}

/** An admin ends one person's grant to an app; a person without one is a 404. */
export async function revokeAppGrant(
  db: Kysely<DB>,
  p: Principal,
  appId: number,
  userId: number,
  now = Date.now(),
) {
  pass(p, gates.manageOAuthApps);
  await inTransaction(db, async (trx) => {
    const revoked = await repo.revokeTokens(trx, p, { appId, userId }, new Date(now));
    if (revoked === 0) throw notFound('OAuth grant');
    await recordChange(trx, p, 'oauth_grant.revoked', appId, { by: 'admin', user_id: userId, revoked });
  });
}

const NOT_WITH_A_TOKEN = 'Instant tokens are made with an API key or a session, never with another token.';

/**
 * A token for the caller's own scripts, in the caller's mode, shown once: the same lifetime and rules as an
 * app's. A token cannot make one (an app could otherwise outlive its grant, or a read grant widen itself).
 */
export async function createInstantToken(
  db: Kysely<DB>,
  p: Principal,
  input: { name: string; scope?: string | undefined },
  now = Date.now(),
) {
  authorize(!p.tokenId, NOT_WITH_A_TOKEN);
  const scope = parseScope(input.scope);
  const token = newInstantToken(p.mode);
  const row = await inTransaction(db, async (trx) => {
    const { id } = await trx
      .insertInto('oauth_tokens')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        user_id: p.userId,
        name: input.name,
        access_hash: hashSecret(token),
        last_four: token.slice(-4),
        scope,
        created_at: new Date(now),
        expires_at: new Date(now + TOKEN_LIFETIME_MS),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'instant_token.created', p.userId, { token_id: id, name: input.name, scope });
    return trx
      .selectFrom('oauth_tokens')
      .select(repo.tokenColumns)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  });
  return { row, token };
}

export const listInstantTokens = (db: Kysely<DB>, p: Principal, now = Date.now()) =>
  repo.selectInstantTokens(db, p, p.userId, new Date(now)).orderBy('id', 'desc').execute();

/** Revokes one of the caller's own instant tokens; anyone else's id is a 404. */
export async function revokeInstantToken(db: Kysely<DB>, p: Principal, id: number, now = Date.now()) {
  await inTransaction(db, async (trx) => {
    const revoked = await repo.revokeTokens(trx, p, { id, userId: p.userId, instant: true }, new Date(now));
    if (revoked === 0) throw notFound('instant token');
    await recordChange(trx, p, 'instant_token.revoked', p.userId, { token_id: id });
  });
}
