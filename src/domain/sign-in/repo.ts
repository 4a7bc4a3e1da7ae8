import type { Kysely } from 'kysely';
import type { DB, SignInLinkPurpose } from '../../db/schema.js';
import { currentNoticeAcceptance } from '../access/privacy-notice.js';
import type { Tenant } from '../tenant.js';
import { inTenant } from '../tenant.js';

/** The live tenant of a person's sign-in data: passwords, sessions and links belong to the live account. */
export const liveTenant = (orgId: number): Tenant => ({ orgId, mode: 'live' });

/**
 * Active live accounts with this email and a password, across organisations (a sign-in names none), each
 * with whether they accepted their organisation's current notice. `organization` narrows to one slug.
 */
export function accountsForSignIn(db: Kysely<DB>, email: string, organization?: string) {
  let q = db
    .selectFrom('users as u')
    .innerJoin('user_passwords as pw', (j) =>
      j.onRef('pw.org_id', '=', 'u.org_id').onRef('pw.mode', '=', 'u.mode').onRef('pw.user_id', '=', 'u.id'),
    )
    .innerJoin('organizations as o', 'o.org_id', 'u.org_id')
    .select(['u.org_id', 'u.id', 'u.email', 'u.role', 'u.data_admin', 'pw.password_hash'])
    .where('u.mode', '=', 'live')
    .where('u.status', '=', 'active')
    .where('u.kind', '=', 'person')
    .where((eb) => eb(eb.fn('lower', ['u.email']), '=', email.toLowerCase()));
  if (organization) q = q.where('o.slug', '=', organization);
  return q.orderBy('u.org_id').limit(20).execute();
}

/** Active live people with this email, password or not: where a reset link goes (never a service account). */
export function activeAccountsByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('users')
    .select(['org_id', 'id', 'email', 'role', 'data_admin'])
    .where('mode', '=', 'live')
    .where('status', '=', 'active')
    .where('kind', '=', 'person')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .orderBy('org_id')
    .limit(20)
    .execute();
}

/** Everything a session's request needs, in one round trip: the session, its person and their notice. */
export function findSessionForAuth(db: Kysely<DB>, hash: Buffer) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', (j) =>
      j.onRef('u.org_id', '=', 's.org_id').onRef('u.mode', '=', 's.mode').onRef('u.id', '=', 's.user_id'),
    )
    .innerJoin('organizations as o', 'o.org_id', 's.org_id')
    .select([
      's.org_id',
      's.id',
      's.user_id',
      's.expires_at',
      's.revoked_at',
      's.last_seen_at',
      'u.status as user_status',
      'u.role',
      'u.data_admin',
      'u.email',
      'o.privacy_notice_version',
    ])
    .select(currentNoticeAcceptance('s.org_id', 's.user_id'))
    .where('s.token_hash', '=', hash)
    .executeTakeFirst();
}

export const sessionColumns = [
  'sessions.id',
  'sessions.created_at',
  'sessions.last_seen_at',
  'sessions.expires_at',
  'sessions.user_agent',
  'sessions.ip',
] as const;

/** A person's sessions still in force, newest first. */
export function selectLiveSessions(db: Kysely<DB>, t: Tenant, userId: number, now: Date) {
  return db
    .selectFrom('sessions')
    .select(sessionColumns)
    .where(inTenant(t))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString());
}

export function revokeSessions(
  db: Kysely<DB>,
  t: Tenant,
  filter: { userId: number; id?: number },
  now: Date,
) {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where(inTenant(t))
    .where('user_id', '=', filter.userId)
    .where('revoked_at', 'is', null);
  if (filter.id !== undefined) q = q.where('id', '=', filter.id);
  return q.returning('id').execute();
}

export function touchSession(db: Kysely<DB>, t: Tenant, id: number, now: Date) {
  return db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where(inTenant(t))
    .where('id', '=', id)
    .execute();
}

export function setPassword(db: Kysely<DB>, t: Tenant, userId: number, hash: string, now: Date) {
  return db
    .insertInto('user_passwords')
    .values({ org_id: t.orgId, user_id: userId, password_hash: hash, changed_at: now })
    .onConflict((c) =>
      c.columns(['org_id', 'mode', 'user_id']).doUpdateSet({ password_hash: hash, changed_at: now }),
    )
    .execute();
}

export function findPassword(db: Kysely<DB>, t: Tenant, userId: number) {
  return db
    .selectFrom('user_passwords')
    .select('password_hash')
    .where(inTenant(t))
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** A link by its token's hash, with its person's email and status (the link names its organisation). */
export function findLink(db: Kysely<DB>, hash: Buffer, purpose: SignInLinkPurpose) {
  return db
    .selectFrom('sign_in_links as l')
    .innerJoin('users as u', (j) =>
      j.onRef('u.org_id', '=', 'l.org_id').onRef('u.mode', '=', 'l.mode').onRef('u.id', '=', 'l.user_id'),
    )
    .select([
      'l.org_id',
      'l.id',
      'l.user_id',
      'l.expires_at',
      'l.used_at',
      'u.email',
      'u.status',
      'u.kind',
      'u.role',
      'u.data_admin',
    ])
    .where('l.token_hash', '=', hash)
    .where('l.purpose', '=', purpose)
    .executeTakeFirst();
}

/** Marks the link used, once: false when another request used it first. */
export async function useLink(db: Kysely<DB>, t: Tenant, id: number, now: Date) {
  const used = await db
    .updateTable('sign_in_links')
    .set({ used_at: now })
    .where(inTenant(t))
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return Boolean(used);
}

/** Earlier unused links of the same purpose die when a new one is sent: only the newest works. */
export function retireLinks(
  db: Kysely<DB>,
  t: Tenant,
  userId: number,
  purpose: SignInLinkPurpose,
  now: Date,
) {
  return db
    .updateTable('sign_in_links')
    .set({ used_at: now })
    .where(inTenant(t))
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}
