import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Mode } from '../../db/schema.js';

/**
 * The OAuth secrets, each behind a prefix that says what it is (as keys' tw_live_ does): client ids
 * (twc_, not secret), client hashes (twh_, the seed's word for the client secret), codes (twcode_), access
 * tokens of apps (twa_<mode>_), instant tokens (twi_<mode>_) and refresh tokens (twr_). 32 random bytes
 * each; only the SHA-256 of a secret is stored and looked up.
 */
const random = () => randomBytes(32).toString('base64url');

export const newClientId = () => `twc_${randomBytes(12).toString('base64url')}`;
export const newClientHash = () => `twh_${random()}`;
export const newCode = () => `twcode_${random()}`;
export const newAccessToken = (mode: Mode) => `twa_${mode}_${random()}`;
export const newInstantToken = (mode: Mode) => `twi_${mode}_${random()}`;
export const newRefreshToken = () => `twr_${random()}`;

/** The prefixes of the bearer tokens this module resolves: anything else in a Bearer header is a key. */
export const ACCESS_TOKEN_PREFIXES = ['twa_', 'twi_'] as const;
export const isAccessToken = (secret: string) => ACCESS_TOKEN_PREFIXES.some((p) => secret.startsWith(p));

export const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/** A client hash sent against a stored hash: compared as digests, in constant time. */
export function secretMatches(sent: string, stored: Buffer | null): boolean {
  if (!stored) return false;
  return timingSafeEqual(hashSecret(sent), stored);
}
