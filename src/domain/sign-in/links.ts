import type { Kysely } from 'kysely';
import type { DB, SignInLinkPurpose } from '../../db/schema.js';
import { gates, pass, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import type { Mail, Mailer } from '../mail.js';
import { signsIn } from '../service-accounts/rules.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { hashPassword, passwordProblem } from './password.js';
import * as repo from './repo.js';
import { hashToken, newLinkToken } from './secret.js';
import { personOf, replacePassword } from './sessions.js';

/** An invitation stays good for a week, a reset link for an hour; each works once. */
export const LINK_LIFETIME_MS: Record<SignInLinkPurpose, number> = {
  invitation: 7 * 86_400_000,
  password_reset: 3_600_000,
};

/** What sending a link needs: the mailer and the address a link's token goes into (the web pages'). */
export interface LinkMail {
  mailer: Mailer;
  linkUrl(purpose: SignInLinkPurpose, token: string): string;
}

const SUBJECTS: Record<SignInLinkPurpose, string> = {
  invitation: 'You are invited to Trellis',
  password_reset: 'Reset your Trellis password',
};

function body(purpose: SignInLinkPurpose, url: string, orgName: string) {
  return purpose === 'invitation'
    ? `You have been invited to ${orgName} on Trellis.\n\nChoose your password here (the link works once, for 7 days):\n\n${url}\n`
    : `Someone asked to reset the password of your ${orgName} account on Trellis.\n\nChoose a new password here (the link works once, for an hour):\n\n${url}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`;
}

async function issueLink(
  db: Kysely<DB>,
  actor: Principal,
  userId: number,
  purpose: SignInLinkPurpose,
  now: number,
) {
  const token = newLinkToken();
  const at = new Date(now);
  const t = repo.liveTenant(actor.orgId);
  await repo.retireLinks(db, t, userId, purpose, at);
  await db
    .insertInto('sign_in_links')
    .values({
      org_id: actor.orgId,
      user_id: userId,
      purpose,
      token_hash: hashToken(token),
      created_by: actor.userId,
      created_at: at,
      expires_at: new Date(now + LINK_LIFETIME_MS[purpose]),
    })
    .execute();
  return token;
}

const EVENTS = { invitation: 'user.invited', password_reset: 'user.password_reset_requested' } as const;

/**
 * Makes the link (retiring older ones), records it and mails it in one transaction. The mail goes before the
 * commit: when it cannot be sent, the link and its audit row are rolled back and the caller learns it
 * (mail_not_sent), so an invitation is never recorded as sent while nobody received it. A commit failing after
 * the mail left would leave a dead link in someone's inbox: a rare, harmless failure, where the other order's
 * is a silent one.
 */
async function sendLink(
  db: Kysely<DB>,
  mail: LinkMail,
  actor: Principal,
  person: { id: number; email: string },
  purpose: SignInLinkPurpose,
  now: number,
) {
  const name = await orgName(db, actor.orgId);
  await inTransaction(db, async (trx) => {
    const token = await issueLink(trx, actor, person.id, purpose, now);
    await recordChange(trx, actor, EVENTS[purpose], person.id, { email: person.email });
    const text = body(purpose, mail.linkUrl(purpose, token), name);
    await deliver(mail.mailer, { kind: purpose, to: person.email, subject: SUBJECTS[purpose], text });
  });
}

/** Sends, or fails with mail_not_sent; the transport's own error (the SMTP server's answer) stays in the log. */
async function deliver(mailer: Mailer, message: Mail) {
  try {
    await mailer.send(message);
  } catch (cause) {
    const error = new AppError('mail_not_sent');
    error.cause = cause;
    throw error;
  }
}

async function orgName(db: Kysely<DB>, orgId: number) {
  const org = await db
    .selectFrom('organizations')
    .select('name')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return org?.name ?? 'your organisation';
}

/**
 * An admin invites a person of the live directory to choose a password: a single-use link by mail. A test
 * key's invitation is answered the same and sends nothing (the sandbox mails nobody, docs/sign-in.md).
 */
export async function inviteUser(
  db: Kysely<DB>,
  mail: LinkMail,
  actor: Principal,
  userId: number,
  now = Date.now(),
) {
  pass(actor, gates.inviteUsers);
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'status', 'kind'])
    .where(inTenant(actor))
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw notFound('user');
  if (user.status !== 'active') throw new AppError('invalid_operation', 'The user is deactivated.');
  if (!signsIn(user))
    throw new AppError(
      'invalid_operation',
      'A service account never signs in: it has no password to choose.',
    );
  if (!policy.sendsMail(actor)) return { sent: false, email: user.email };
  await sendLink(db, mail, actor, user, 'invitation', now);
  return { sent: true, email: user.email };
}

/**
 * Mails a reset link to every active live account with this email (one an organisation). The caller answers
 * the same whatever happened, so the request reveals no account: nothing here throws for an unknown email.
 */
export async function requestPasswordReset(
  db: Kysely<DB>,
  mail: LinkMail,
  email: string,
  requestId: string | null,
  now = Date.now(),
) {
  if (email.length > 320) return;
  const accounts = await repo.activeAccountsByEmail(db, email);
  for (const account of accounts) {
    await sendLink(db, mail, personOf(account, requestId), account, 'password_reset', now);
  }
}

/** The person a link is for, while it is unused and unexpired; invalid_link otherwise. */
export async function linkHolder(
  db: Kysely<DB>,
  purpose: SignInLinkPurpose,
  token: string,
  now = Date.now(),
) {
  const link = token.length <= 200 ? await repo.findLink(db, hashToken(token), purpose) : undefined;
  if (
    !link ||
    link.used_at ||
    Date.parse(link.expires_at) <= now ||
    link.status !== 'active' ||
    !signsIn(link)
  )
    throw new AppError('invalid_link');
  return link;
}

/**
 * Sets the password a link was sent for and uses the link up; the person's sessions end. A refused
 * password leaves the link usable; a link used by a concurrent request is refused here.
 */
export async function completeLink(
  db: Kysely<DB>,
  purpose: SignInLinkPurpose,
  token: string,
  password: string,
  requestId: string | null,
  now = Date.now(),
) {
  const link = await linkHolder(db, purpose, token, now);
  const problem = passwordProblem(password, link.email);
  if (problem) throw new AppError('weak_password', problem);
  const hash = await hashPassword(password);
  const actor = personOf({ ...link, id: link.user_id }, requestId);
  await inTransaction(db, async (trx) => {
    const at = new Date(now);
    if (!(await repo.useLink(trx, repo.liveTenant(link.org_id), link.id, at)))
      throw new AppError('invalid_link');
    await replacePassword(trx, actor, link.user_id, hash, purpose, at);
  });
  return { orgId: link.org_id, userId: link.user_id, email: link.email };
}
