import type { Kysely } from 'kysely';
import type { DB, Role } from '../../db/schema.js';
import { ssoOnlyOrganizations } from './repo.js';
import { passwordSignInAllowed } from './rules.js';

/**
 * The accounts that may sign in with a password (docs/sso.md). The others are left out before any password
 * is checked, as a deactivated account is: the sign-in then reads and takes as long as a wrong password.
 */
export async function withPasswordSignIn<T extends { org_id: number; role: Role }>(
  db: Kysely<DB>,
  accounts: T[],
): Promise<T[]> {
  const ssoOnly = await ssoOnlyOrganizations(db, [...new Set(accounts.map((a) => a.org_id))]);
  return accounts.filter((a) => passwordSignInAllowed(a.role, ssoOnly.has(a.org_id)));
}
