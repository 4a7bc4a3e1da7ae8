import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { assertNoticeAccepted } from '../access/privacy-notice.js';
import { recordChange } from '../changes.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { withPasswordSignIn } from '../sso/password-policy.js';
import { inTransaction } from '../transactions.js';
import { findUserByRef } from '../users/repo.js';
import { hashPassword, needsRehash, passwordProblem, verifyDecoy, verifyPassword } from './password.js';
import * as repo from './repo.js';
import { csrfMatches, csrfTokenFor, hashToken, newSessionToken } from './secret.js';
import { clearFailures, recordFailure, refuseWhileLocked, signInSubjects } from './throttle.js';

/** A session lives a week at most, and dies after a day without a request. */
export const SESSION_LIFETIME_MS = 7 * 86_400_000;
export const SESSION_IDLE_MS = 86_400_000;
/** last_seen_at is written at most once a minute per session, as keys' last_used_at is. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SignInInput {
  email: string;
  password: string;
  /** An organisation's slug, for an email that has accounts in several. */
  organization?: string | undefined;
  /** The client's address (lock-out) and user agent (the session list). */
  address: string;
  userAgent?: string | undefined;
}

export interface NewSession {
  /** The cookie's value: returned here once, stored as its hash. */
  token: string;
  csrfToken: string;
  sessionId: number;
  orgId: number;
  userId: number;
  /** The person has not accepted the organisation's current notice: show it before anything else. */
  noticePending: boolean;
}

/** A person acting on their own live account: through a session, a link, or signing in. */
export const personOf = (
  row: { org_id: number; id: number; role: Principal['role']; data_admin: boolean },
  requestId: string | null,
  sessionId: number | null = null,
): Principal => ({
  orgId: row.org_id,
  mode: 'live',
  userId: row.id,
  role: row.role,
  dataAdmin: row.data_admin,
  apiKeyId: null,
  sessionId,
  requestId,
});

/**
 * Signs a person in with their email and password. Every refusal reads the same (invalid_credentials)
 * whether the email is unknown, the account deactivated or the password wrong, and takes as long: a
 * password is hashed either way. A locked email or address is refused before anything is checked.
 */
export async function signIn(
  db: Kysely<DB>,
  input: SignInInput,
  requestId: string | null,
  now = Date.now(),
): Promise<NewSession> {
  const subjects = signInSubjects(input.email, input.address);
  await refuseWhileLocked(db, subjects, now);
  const accounts =
    input.password.length > 0 && input.password.length <= 1024
      ? await withPasswordSignIn(db, await repo.accountsForSignIn(db, input.email, input.organization))
      : [];
  let match: (typeof accounts)[number] | undefined;
  for (const account of accounts) {
    if (await verifyPassword(input.password, account.password_hash)) {
      match = account;
      break;
    }
  }
  if (!match) {
    if (accounts.length === 0) await verifyDecoy(input.password);
    await recordFailure(db, subjects, now);
    const [known] = accounts;
    if (known) {
      await inTransaction(db, (trx) =>
        recordChange(trx, personOf(known, requestId), 'user.sign_in_failed', known.id),
      );
    }
    throw new AppError('invalid_credentials');
  }
  await clearFailures(db, input.email);
  const account = match;
  const rehash = needsRehash(account.password_hash) ? await hashPassword(input.password) : null;
  const opening = { address: input.address, userAgent: input.userAgent, requestId, now };
  return openSession(db, { ...opening, method: 'password' }, async (trx) => {
    if (rehash)
      await repo.setPassword(trx, repo.liveTenant(account.org_id), account.id, rehash, new Date(now));
    return account;
  });
}

/** A person a session is opened for: their live account. */
export type SessionAccount = Parameters<typeof personOf>[0];

export interface SessionOpening {
  /** How the person proved who they are, as user.signed_in records it. */
  method: 'password' | 'sso';
  address: string;
  userAgent?: string | undefined;
  requestId: string | null;
  now: number;
}

/**
 * Opens a session, the one way every sign-in method does: in one transaction with the writes that lead to
 * it (`account` runs first inside it: a rehash, a just-in-time account), recorded as user.signed_in.
 */
export async function openSession(
  db: Kysely<DB>,
  opening: SessionOpening,
  account: (trx: Transaction<DB>) => Promise<SessionAccount>,
): Promise<NewSession> {
  const token = newSessionToken();
  const { now, requestId } = opening;
  const at = new Date(now);
  const session = await inTransaction(db, async (trx) => {
    const person = await account(trx);
    const row = await trx
      .insertInto('sessions')
      .values({
        org_id: person.org_id,
        user_id: person.id,
        token_hash: hashToken(token),
        created_at: at,
        last_seen_at: at,
        expires_at: new Date(now + SESSION_LIFETIME_MS),
        user_agent: opening.userAgent?.slice(0, 300) ?? null,
        ip: opening.address,
      })
      .returning(['id', 'org_id', 'user_id'])
      .executeTakeFirstOrThrow();
    await recordChange(trx, personOf(person, requestId, row.id), 'user.signed_in', person.id, {
      session_id: row.id,
      method: opening.method,
    });
    return row;
  });
  const found = await repo.findSessionForAuth(db, hashToken(token));
  return {
    token,
    csrfToken: csrfTokenFor(token),
    sessionId: session.id,
    orgId: session.org_id,
    userId: session.user_id,
    noticePending: !found?.accepted_at,
  };
}

export interface SessionCheck {
  /** The X-CSRF-Token the request sent (or the form's csrf_token field). */
  csrf?: string | undefined | null;
  /** A write (anything but GET, HEAD, OPTIONS): the CSRF token must match. */
  write: boolean;
  /** The notice page alone lets a person through before they have accepted the current notice. */
  allowNoticePending?: boolean;
}

export interface SessionHolder {
  principal: Principal;
  email: string;
  noticeAccepted: boolean;
  noticeVersion: number;
}

/**
 * The person a session cookie belongs to, or why it is refused: unknown, signed out, revoked or expired
 * (invalid_session), a deactivated person, a write without the session's CSRF token, a notice not accepted.
 * Sessions act in live mode. No cache: a revocation is seen by the very next request.
 */
export async function sessionHolder(
  db: Kysely<DB>,
  token: string,
  requestId: string | null,
  check: SessionCheck,
  now = Date.now(),
): Promise<SessionHolder> {
  const row = await repo.findSessionForAuth(db, hashToken(token));
  if (!row || row.revoked_at) throw new AppError('invalid_session');
  if (Date.parse(row.expires_at) <= now || now - Date.parse(row.last_seen_at) > SESSION_IDLE_MS)
    throw new AppError('invalid_session');
  if (row.user_status !== 'active') throw new AppError('user_deactivated');
  if (check.write && !csrfMatches(token, check.csrf)) throw new AppError('csrf_token_invalid');
  if (!check.allowNoticePending) assertNoticeAccepted(row);
  if (now - Date.parse(row.last_seen_at) > TOUCH_INTERVAL_MS)
    await repo.touchSession(db, repo.liveTenant(row.org_id), row.id, new Date(now));
  return {
    principal: personOf({ ...row, id: row.user_id }, requestId, row.id),
    email: row.email,
    noticeAccepted: Boolean(row.accepted_at),
    noticeVersion: row.privacy_notice_version,
  };
}

/** A session credential as /v1 resolves it: the same Principal an API key gives, in live mode. */
export async function principalForSession(
  db: Kysely<DB>,
  token: string,
  requestId: string,
  check: SessionCheck,
): Promise<Principal> {
  return (await sessionHolder(db, token, requestId, check)).principal;
}

/** Ends the session of this cookie (sign-out). */
export async function signOut(db: Kysely<DB>, holder: Principal, now = Date.now()) {
  if (!holder.sessionId) throw new AppError('invalid_session');
  const sessionId = holder.sessionId;
  await inTransaction(db, async (trx) => {
    await repo.revokeSessions(trx, holder, { userId: holder.userId, id: sessionId }, new Date(now));
    await recordChange(trx, holder, 'user.signed_out', holder.userId, { session_id: sessionId });
  });
}

/** The caller's own sessions in force, newest first, the current one marked. */
export async function listMySessions(db: Kysely<DB>, p: Principal, now = Date.now()) {
  const rows = await repo
    .selectLiveSessions(db, repo.liveTenant(p.orgId), p.userId, new Date(now))
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => ({ ...row, current: row.id === p.sessionId }));
}

/** Revokes one of the caller's own sessions; another person's session id is a 404. */
export async function revokeMySession(db: Kysely<DB>, p: Principal, id: number, now = Date.now()) {
  await inTransaction(db, async (trx) => {
    const revoked = await repo.revokeSessions(
      trx,
      repo.liveTenant(p.orgId),
      { userId: p.userId, id },
      new Date(now),
    );
    if (revoked.length === 0) throw notFound('session');
    await recordChange(trx, p, 'user.session_revoked', p.userId, { session_id: id });
  });
}

/**
 * Changes the caller's password, given the current one; every session of theirs ends, this one too (they
 * sign in again with the new password). API keys are not sessions and stay.
 */
export async function changeMyPassword(
  db: Kysely<DB>,
  p: Principal,
  input: { current_password: string; new_password: string },
  now = Date.now(),
) {
  const t = repo.liveTenant(p.orgId);
  const stored = await repo.findPassword(db, t, p.userId);
  // Refused, not unauthenticated: the request's own credential is fine, the proof of the person is not.
  if (!stored || !(await verifyPassword(input.current_password, stored.password_hash)))
    throw forbidden('The current password is incorrect.');
  const person = await findUserByRef(db, p.orgId, 'live', p.userId);
  const problem = passwordProblem(input.new_password, person?.email);
  if (problem) throw new AppError('weak_password', problem);
  const hash = await hashPassword(input.new_password);
  await inTransaction(db, (trx) => replacePassword(trx, p, p.userId, hash, 'change', new Date(now)));
}

/** Stores a new password and ends every session of its person, recording the change: one rule for all paths. */
export async function replacePassword(
  trx: Transaction<DB>,
  actor: Principal,
  userId: number,
  hash: string,
  via: 'change' | 'invitation' | 'password_reset' | 'demo',
  at: Date,
) {
  const t = repo.liveTenant(actor.orgId);
  await repo.setPassword(trx, t, userId, hash, at);
  const ended = await repo.revokeSessions(trx, t, { userId }, at);
  await recordChange(trx, actor, 'user.password_changed', userId, {
    via,
    sessions_ended: ended.length,
  });
}
