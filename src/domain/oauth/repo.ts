import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { currentNoticeAcceptance } from '../access/privacy-notice.js';
import { inTenant, type Tenant } from '../tenant.js';

// OAuth's SQL: apps, codes and tokens (migration 0013). Every query of an organisation's rows filters by
// the tenant; the lookups by a secret's hash (a client id, a code, a token) are how the tenant is found.

/** The tenant a row found by its hash belongs to. */
export const tenantOf = (row: { org_id: number; mode: Tenant['mode'] }): Tenant => ({
  orgId: row.org_id,
  mode: row.mode,
});

export const appColumns = [
  'oauth_apps.id',
  'oauth_apps.org_id',
  'oauth_apps.mode',
  'oauth_apps.name',
  'oauth_apps.description',
  'oauth_apps.logo_url',
  'oauth_apps.redirect_uris',
  'oauth_apps.contact_email',
  'oauth_apps.kind',
  'oauth_apps.client_id',
  'oauth_apps.previous_secret_expires_at',
  'oauth_apps.created_by',
  'oauth_apps.created_at',
  'oauth_apps.updated_at',
] as const;

/** The organisation's apps in force (a deleted app is gone from every list and lookup). */
export const selectApps = (db: Kysely<DB>, t: Tenant) =>
  db.selectFrom('oauth_apps').select(appColumns).where(inTenant(t)).where('revoked_at', 'is', null);

export const findApp = (db: Kysely<DB>, t: Tenant, id: number) =>
  selectApps(db, t).where('id', '=', id).executeTakeFirst();

/** An app by its client id, with its secrets' hashes, for the authorization server. */
export const findAppByClientId = (db: Kysely<DB>, clientId: string) =>
  db
    .selectFrom('oauth_apps')
    .select([...appColumns, 'secret_hash', 'previous_secret_hash'])
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();

export type AppRow = NonNullable<Awaited<ReturnType<typeof findApp>>>;
export type AppWithSecrets = NonNullable<Awaited<ReturnType<typeof findAppByClientId>>>;

/** A code by its hash, locked: the exchange that reads it marks it used in the same transaction. */
export const findCodeForExchange = (db: Kysely<DB>, hash: Buffer) =>
  db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', hash).forUpdate().executeTakeFirst();

export const tokenColumns = [
  'oauth_tokens.id',
  'oauth_tokens.org_id',
  'oauth_tokens.mode',
  'oauth_tokens.app_id',
  'oauth_tokens.user_id',
  'oauth_tokens.name',
  'oauth_tokens.last_four',
  'oauth_tokens.scope',
  'oauth_tokens.code_id',
  'oauth_tokens.created_at',
  'oauth_tokens.expires_at',
  'oauth_tokens.revoked_at',
  'oauth_tokens.last_used_at',
] as const;

/**
 * Everything a request with a token needs, in one round trip: the token, its app (revoked or not), its
 * person's status, role and grant, and whether they accepted the current notice.
 */
export const findTokenForAuth = (db: Kysely<DB>, hash: Buffer) =>
  db
    .selectFrom('oauth_tokens')
    .innerJoin('users as u', (j) =>
      j
        .onRef('u.org_id', '=', 'oauth_tokens.org_id')
        .on('u.mode', '=', 'live')
        .onRef('u.id', '=', 'oauth_tokens.user_id'),
    )
    .leftJoin('oauth_apps as a', (j) =>
      j
        .onRef('a.org_id', '=', 'oauth_tokens.org_id')
        .onRef('a.mode', '=', 'oauth_tokens.mode')
        .onRef('a.id', '=', 'oauth_tokens.app_id'),
    )
    .select([
      ...tokenColumns,
      'a.revoked_at as app_revoked_at',
      'u.status as user_status',
      'u.role',
      'u.data_admin',
      currentNoticeAcceptance('oauth_tokens.org_id', 'oauth_tokens.user_id'),
    ])
    .where('oauth_tokens.access_hash', '=', hash)
    .executeTakeFirst();

export const findTokenByRefresh = (db: Kysely<DB>, hash: Buffer) =>
  db
    .selectFrom('oauth_tokens')
    .select(tokenColumns)
    .where('refresh_hash', '=', hash)
    .forUpdate()
    .executeTakeFirst();

export const findTokenByAccess = (db: Kysely<DB>, hash: Buffer) =>
  db.selectFrom('oauth_tokens').select(tokenColumns).where('access_hash', '=', hash).executeTakeFirst();

export const touchToken = (db: Kysely<DB>, t: Tenant, id: number, at: Date) =>
  db.updateTable('oauth_tokens').set({ last_used_at: at }).where(inTenant(t)).where('id', '=', id).execute();

/** Which tokens a revocation ends: one, a grant's (an app's for a person), a code's, an app's. */
export interface TokenSelection {
  id?: number;
  appId?: number;
  userId?: number;
  codeId?: number;
  /** Instant tokens only (no app). */
  instant?: boolean;
}

/** Revokes the tokens in force that the selection names; returns how many. */
export async function revokeTokens(db: Kysely<DB>, t: Tenant, s: TokenSelection, at: Date) {
  let q = db
    .updateTable('oauth_tokens')
    .set({ revoked_at: at })
    .where(inTenant(t))
    .where('revoked_at', 'is', null);
  if (s.id !== undefined) q = q.where('id', '=', s.id);
  if (s.appId !== undefined) q = q.where('app_id', '=', s.appId);
  if (s.userId !== undefined) q = q.where('user_id', '=', s.userId);
  if (s.codeId !== undefined) q = q.where('code_id', '=', s.codeId);
  if (s.instant) q = q.where('app_id', 'is', null);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A person's instant tokens in force, newest first. */
export const selectInstantTokens = (db: Kysely<DB>, t: Tenant, userId: number, now: Date) =>
  db
    .selectFrom('oauth_tokens')
    .select(tokenColumns)
    .where(inTenant(t))
    .where('user_id', '=', userId)
    .where('app_id', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString());

/**
 * Grants in force: one row per (app, person) with tokens that still work, how many and since when. For a
 * person's own list (userId) or an app's (appId).
 */
export function selectGrants(db: Kysely<DB>, t: Tenant, by: { userId?: number; appId?: number }, now: Date) {
  let q = db
    .selectFrom('oauth_tokens')
    .innerJoin('oauth_apps as a', (j) =>
      j
        .onRef('a.org_id', '=', 'oauth_tokens.org_id')
        .onRef('a.mode', '=', 'oauth_tokens.mode')
        .onRef('a.id', '=', 'oauth_tokens.app_id'),
    )
    .select((eb) => [
      'oauth_tokens.app_id as id',
      'a.name as app_name',
      'oauth_tokens.user_id',
      eb.fn.min('oauth_tokens.created_at').as('granted_at'),
      eb.fn.max('oauth_tokens.scope').as('scope'),
      eb.fn.countAll<number>().as('tokens'),
    ])
    .where(inTenant(t, 'oauth_tokens'))
    .where('oauth_tokens.revoked_at', 'is', null)
    .where('oauth_tokens.expires_at', '>', now.toISOString())
    .where('a.revoked_at', 'is', null)
    .groupBy(['oauth_tokens.app_id', 'a.name', 'oauth_tokens.user_id'])
    .orderBy('oauth_tokens.app_id')
    .orderBy('oauth_tokens.user_id');
  if (by.userId !== undefined) q = q.where('oauth_tokens.user_id', '=', by.userId);
  if (by.appId !== undefined) q = q.where('oauth_tokens.app_id', '=', by.appId);
  return q.execute();
}

/** The organisation's name, for the consent page. */
export const findOrganizationName = (db: Kysely<DB>, orgId: number) =>
  db.selectFrom('organizations').select('name').where('org_id', '=', orgId).executeTakeFirst();
