import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * The OAuth rules that every path (the standard /oauth endpoints, the /v1 admin routes, WorkBoard's flow)
 * decides the same way: pure functions, no database.
 */

/** Codes live five minutes and tokens a year (seed 001). */
export const CODE_LIFETIME_MS = 5 * 60_000;
export const TOKEN_LIFETIME_MS = 365 * 86_400_000;
/** After a rotation the previous client hash keeps working this long unless the admin says otherwise. */
export const DEFAULT_ROTATION_OVERLAP_S = 86_400;
export const MAX_ROTATION_OVERLAP_S = 30 * 86_400;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a redirect URI cannot be registered, or null: absolute, https (plain http only on loopback, for native
 * apps and development, RFC 8252), no fragment (RFC 6749 §3.1.2), no credentials in it.
 */
export function redirectUriProblem(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.hash || uri.includes('#')) return 'must not have a fragment';
  if (url.username || url.password) return 'must not hold credentials';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'must use https (plain http only on a loopback address)';
}

/** The redirect URI a request names must be one of the app's, character for character (no prefix match). */
export const redirectUriRegistered = (registered: readonly string[], sent: string) =>
  registered.includes(sent);

/** What a token may do: read, or read and write. An app asking for nothing gets both. */
export const SCOPES = ['read', 'write'] as const;
export type Scope = (typeof SCOPES)[number];
export const FULL_SCOPE = 'read write';

/** A scope string as a client sends it ("read write", either order), normalised; invalid_scope otherwise. */
export function parseScope(scope: string | undefined | null): string {
  if (scope === undefined || scope === null || scope.trim() === '') return FULL_SCOPE;
  const words = new Set(scope.trim().split(/\s+/));
  for (const word of words) {
    if (!(SCOPES as readonly string[]).includes(word))
      throw new AppError('invalid_scope', `Unknown scope "${word.slice(0, 40)}": use read and/or write.`);
  }
  // write without read still reads: a token that may change a goal may see it.
  return words.has('write') ? FULL_SCOPE : 'read';
}

/** Scopes narrow, never widen: a refresh may ask for less than its grant, never more. */
export function narrowScope(granted: string, requested: string | undefined | null): string {
  if (requested === undefined || requested === null || requested.trim() === '') return granted;
  const asked = parseScope(requested);
  if (asked === FULL_SCOPE && granted !== FULL_SCOPE)
    throw new AppError('invalid_scope', `The grant's scope is "${granted}"; a refresh cannot widen it.`);
  return asked;
}

/** Whether a token of this scope may make a write (any method but GET, HEAD, OPTIONS). */
export const scopeAllowsWrite = (scope: string) => scope.split(' ').includes('write');

/** PKCE (RFC 7636): only S256 is taken, and a challenge is 43 to 128 unreserved characters. */
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;
export function pkceChallengeProblem(challenge: string, method: string | undefined): string | null {
  if ((method ?? 'plain') !== 'S256') return 'code_challenge_method must be S256';
  if (!PKCE_VALUE.test(challenge)) return 'code_challenge is not a valid S256 challenge';
  return null;
}

/** The verifier a token request sent answers the challenge the code was bound to (constant time). */
export function pkceVerifierMatches(verifier: string, challenge: string): boolean {
  if (!PKCE_VALUE.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
