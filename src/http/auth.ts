import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { bearerSecret, type Credential, principalFor } from '../domain/access/credentials.js';
import type { Principal } from '../domain/access/principal.js';
import type { PrincipalCache } from '../domain/access/principal-cache.js';
import { AppError } from '../domain/errors.js';
import { CSRF_HEADER, isWrite, readSessionCookie } from './session-cookie.js';

/** Query parameters that look like a credential: refused, so that keys never land in URLs and logs. */
export const CREDENTIAL_PARAMS = ['access_token', 'api_key', 'apikey', 'key', 'token'];

/** Refuses a request that carries a credential in its query string, even beside a valid header. */
export function refuseCredentialInQuery(request: FastifyRequest) {
  const query = request.query as Record<string, unknown> | undefined;
  // Any case: `?Token=` lands in access logs as surely as `?token=` does.
  const names = Object.keys(query ?? {}).map((name) => name.toLowerCase());
  if (names.some((name) => CREDENTIAL_PARAMS.includes(name))) throw new AppError('access_token_in_query');
}

/**
 * A reader of `Authorization: <scheme> <key>` (Bearer on /v1 and WorkBoard's face, APIToken on
 * Betterworks'): every face refuses a key in the URL and a missing or malformed header the same way.
 */
export function schemeCredential(scheme: string): CredentialReader {
  const pattern = new RegExp(`^${scheme}\\s+(\\S{1,200})$`, 'i');
  const malformed = `Send the key as "Authorization: ${scheme} <key>".`;
  return (request) => {
    refuseCredentialInQuery(request);
    const header = request.headers.authorization;
    if (!header) throw new AppError('missing_access_token');
    const match = pattern.exec(header);
    if (!match?.[1]) throw new AppError('invalid_access_token', malformed);
    return bearerSecret(match[1], isWrite(request));
  };
}

/** `Authorization: Bearer <key>`, the header a key-only face reads. */
export const bearerCredential = schemeCredential('Bearer');

/**
 * /v1's reader: `Authorization: Bearer <key>`, or else the session cookie of a signed-in person, whose
 * writes carry the session's CSRF token in X-CSRF-Token. A request with both is judged by its header alone.
 */
export const bearerOrSessionCredential: CredentialReader = (request) => {
  refuseCredentialInQuery(request);
  const session = request.headers.authorization ? null : readSessionCookie(request);
  if (!session) return bearerCredential(request);
  const csrf = request.headers[CSRF_HEADER];
  return {
    kind: 'session',
    secret: session,
    csrf: typeof csrf === 'string' ? csrf : null,
    write: isWrite(request),
  };
};

/** Reads a request's credential: header parsing only, throwing an AppError when it is missing or malformed. */
export type CredentialReader = (request: FastifyRequest) => Credential;

/** Principals of authenticated requests; a request that was not authenticated has none to read. */
const principals = new WeakMap<FastifyRequest, Principal>();

/** An onRequest hook: reads the credential the face's way and resolves it in the domain. */
export function authenticate(db: Kysely<DB>, readCredential: CredentialReader, cache?: PrincipalCache) {
  return async (request: FastifyRequest) => {
    principals.set(request, await principalFor(db, readCredential(request), request.id, cache));
  };
}

/** Who is calling. Throws on a route that did not authenticate, so that it cannot act as nobody by mistake. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = principals.get(request);
  if (!principal) throw new Error(`${request.method} ${request.routeOptions.url} is not authenticated`);
  return principal;
}
