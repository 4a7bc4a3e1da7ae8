import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { AppError } from '../errors.js';
import type { SessionAccount } from '../sign-in/sessions.js';
import { findUserByRef } from '../users/repo.js';
import { insertUser } from '../users/service.js';
import type { ProviderIdentity } from './provider.js';
import type { SettingsRow } from './repo.js';
import { emailInDomains } from './rules.js';

const refused = (description: string) => new AppError('sso_failed', description);

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and other controls are what is refused.
const UNFIT = /[\u0000-\u001f\u007f]|[\ud800-\udfff]/;
/** A claim fit to store as a name: no control characters or surrogate halves, at most 100 characters. */
const nameFrom = (claim: string | null, fallback: string) =>
  claim && !UNFIT.test(claim) ? claim.trim().slice(0, 100) || fallback : fallback;

/** The email the provider vouches for, or why it cannot sign anyone in. */
export function verifiedEmail(identity: ProviderIdentity, settings: SettingsRow): string {
  const { email } = identity;
  if (!email || email.length > 320 || UNFIT.test(email) || !/^[^@\s]+@[^@\s]+$/.test(email))
    throw refused('The identity provider sent no usable email for this person.');
  if (!identity.emailVerified) throw refused('The identity provider has not verified this email.');
  if (!emailInDomains(email, settings.allowed_email_domains))
    throw refused("This email's domain is not one this organisation signs in through its identity provider.");
  return email;
}

/**
 * The person of the organisation with this email (case-insensitive), inside the session's transaction. A
 * deactivated person is refused. An unknown email is refused, unless just-in-time creation is on: then a
 * member is created, by the authority of the admin who last saved the settings (docs/sso.md).
 */
export async function accountForEmail(
  trx: Transaction<DB>,
  settings: SettingsRow,
  identity: ProviderIdentity,
  email: string,
  requestId: string | null,
): Promise<SessionAccount> {
  const found = await findUserByRef(trx, settings.org_id, 'live', email);
  if (found) {
    if (found.status !== 'active') throw new AppError('user_deactivated', 'This account is deactivated.');
    return { org_id: settings.org_id, id: found.id, role: found.role, data_admin: found.data_admin };
  }
  if (!settings.jit_provisioning || settings.updated_by === null)
    throw refused('No account of this organisation has this email: ask an admin to add you.');
  const id = await insertUser(trx, jitActor(settings.org_id, settings.updated_by, requestId), {
    email,
    first_name: nameFrom(identity.givenName, email.slice(0, email.indexOf('@')).slice(0, 100)),
    last_name: nameFrom(identity.familyName, '-'),
    role: 'member',
  });
  return { org_id: settings.org_id, id, role: 'member', data_admin: false };
}

/** Who creates a just-in-time account: the admin whose saved settings turned it on, with an admin's rights. */
const jitActor = (orgId: number, adminId: number, requestId: string | null): Principal => ({
  orgId,
  mode: 'live',
  userId: adminId,
  role: 'admin',
  dataAdmin: false,
  apiKeyId: null,
  requestId,
});
