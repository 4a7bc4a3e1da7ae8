import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { principalForKey } from '../keys/authenticate.js';
import { principalForToken } from '../oauth/access.js';
import { isAccessToken } from '../oauth/secret.js';
import { principalForSession } from '../sign-in/sessions.js';
import type { Principal } from './principal.js';
import type { PrincipalCache } from './principal-cache.js';

/**
 * A credential as a face read it off a request, before anyone has looked it up. Each face parses its own
 * header (`Bearer` on /v1 and WorkBoard's face, `APIToken` on Betterworks'); the domain alone decides who
 * the credential belongs to. A session is the cookie of a signed-in person (docs/sign-in.md): a write
 * through it must carry the session's CSRF token. An access token (an OAuth app's or an instant token,
 * docs/oauth.md) is told from a key by its prefix; a write through it needs a scope that writes.
 */
export type Credential =
  | { kind: 'api_key'; secret: string }
  | { kind: 'access_token'; secret: string; write: boolean }
  | { kind: 'session'; secret: string; csrf: string | null; write: boolean };

/** What a bearer secret is: an OAuth or instant token by its prefix, else an API key (whatever its format). */
export const bearerSecret = (secret: string, write: boolean): Credential =>
  isAccessToken(secret) ? { kind: 'access_token', secret, write } : { kind: 'api_key', secret };

/** Who a credential belongs to, or an AppError saying why it is refused. */
export function principalFor(
  db: Kysely<DB>,
  credential: Credential,
  requestId: string,
  cache?: PrincipalCache,
): Promise<Principal> {
  switch (credential.kind) {
    case 'api_key':
      return principalForKey(db, credential.secret, requestId, cache);
    case 'access_token':
      return principalForToken(db, credential.secret, requestId, credential.write);
    case 'session':
      return principalForSession(db, credential.secret, requestId, {
        csrf: credential.csrf,
        write: credential.write,
      });
  }
}
