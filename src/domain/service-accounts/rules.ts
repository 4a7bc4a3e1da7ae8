import { randomBytes } from 'node:crypto';
import type { UserKind } from '../../db/schema.js';
import type { Tenant } from '../tenant.js';

/** Service accounts, like the holders of every key, are live accounts: a test key reads, never writes them. */
export const liveAccounts = (orgId: number): Tenant => ({ orgId, mode: 'live' });

/**
 * Whether a user may sign in (password, invitation or reset link): people only. A service account has no
 * password and never gets one; its keys are its only credential.
 */
export const signsIn = (user: { kind: UserKind }) => user.kind === 'person';

/**
 * The address a service account holds in the directory: users need a unique email, and this one can never
 * receive mail (the .invalid top-level domain is reserved for that, RFC 2606), so no link can reach it.
 */
export const serviceAccountEmail = () => `service-account-${randomBytes(8).toString('hex')}@trellis.invalid`;
