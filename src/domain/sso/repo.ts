import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inTenant, type Tenant } from '../tenant.js';

// SQL of single sign-on (docs/sso.md): the organisation's settings and the attempts in flight.

/** The live tenant: the identity provider signs in live accounts only. */
export const liveTenant = (orgId: number): Tenant => ({ orgId, mode: 'live' });

export function findSettings(db: Kysely<DB>, t: Tenant) {
  return db.selectFrom('sso_settings').selectAll().where(inTenant(t)).executeTakeFirst();
}

export type SettingsRow = NonNullable<Awaited<ReturnType<typeof findSettings>>>;

/** The enabled settings of the organisation with this slug, for a browser that names it. */
export function findEnabledSettingsBySlug(db: Kysely<DB>, slug: string) {
  return db
    .selectFrom('sso_settings as s')
    .innerJoin('organizations as o', 'o.org_id', 's.org_id')
    .selectAll('s')
    .where('o.slug', '=', slug)
    .where('s.mode', '=', 'live')
    .where('s.enabled', '=', true)
    .executeTakeFirst();
}

export interface NewAttempt {
  orgId: number;
  stateHash: Buffer;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: Date;
}

export function insertAttempt(db: Kysely<DB>, a: NewAttempt) {
  return db
    .insertInto('sso_attempts')
    .values({
      org_id: a.orgId,
      state_hash: a.stateHash,
      nonce: a.nonce,
      code_verifier: a.codeVerifier,
      return_to: a.returnTo,
      expires_at: a.expiresAt,
    })
    .execute();
}

/**
 * Uses up the attempt of this state, if it is unused and unexpired: one statement, so that two callbacks
 * racing with the same state cannot both have it.
 */
export function takeAttempt(db: Kysely<DB>, stateHash: Buffer, now: Date) {
  return db
    .updateTable('sso_attempts')
    .set({ used_at: now })
    .where('state_hash', '=', stateHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .returning(['org_id', 'nonce', 'code_verifier', 'return_to'])
    .executeTakeFirst();
}

/** Attempts a day past their expiry are of no use to anyone: dropped as new ones are made. */
export function dropStaleAttempts(db: Kysely<DB>, now: Date) {
  return db
    .deleteFrom('sso_attempts')
    .where('expires_at', '<', new Date(now.getTime() - 86_400_000).toISOString())
    .execute();
}

/** Of these organisations, those where SSO is enabled and password sign-in is kept for admins alone. */
export async function ssoOnlyOrganizations(db: Kysely<DB>, orgIds: number[]): Promise<Set<number>> {
  if (orgIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('sso_settings')
    .select('org_id')
    .where('org_id', 'in', orgIds)
    .where('mode', '=', 'live')
    .where('enabled', '=', true)
    .where('password_sign_in', '=', false)
    .execute();
  return new Set(rows.map((r) => r.org_id));
}
