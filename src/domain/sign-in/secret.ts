import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Session and link tokens: 32 random bytes. Only their SHA-256 is stored, and lookups go by that hash on a
 * unique index, as API keys do. The prefix says what a token is when one turns up where it should not.
 */
export const newSessionToken = () => `tws_${randomBytes(32).toString('base64url')}`;
export const newLinkToken = () => `twl_${randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * The synchronizer token of a session: derived from the session's own secret, so it is tied to that session,
 * needs no storage, and cannot be computed by a page that cannot read the cookie.
 */
export const csrfTokenFor = (sessionToken: string) =>
  createHmac('sha256', sessionToken).update('trellis csrf').digest('base64url');

/** Constant-time comparison of a sent CSRF token with the session's. */
export function csrfMatches(sessionToken: string, sent: string | undefined | null): boolean {
  if (!sent) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
