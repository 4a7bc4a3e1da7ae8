import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { principalForKey } from '../keys/authenticate.js';
import { principalForSession } from '../sign-in/sessions.js';
import type { Principal } from './principal.js';
import type { PrincipalCache } from './principal-cache.js';

/**
 * A credential as a face read it off a request, before anyone has looked it up. Each face parses its own
 * header (`Bearer` on /v1 and WorkBoard's face, `APIToken` on Betterworks'); the domain alone decides who
 * the credential belongs to. A session is the cookie of a signed-in person (docs/sign-in.md): a write
 * through it must carry the session's CSRF token. OAuth tokens and instant tokens join this union as they
 * land, each resolving to the same Principal.
 */
export type Credential =
  | { kind: 'api_key'; secret: string }
  | { kind: 'session'; secret: string; csrf: string | null; write: boolean };

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
    case 'session':
      return principalForSession(db, credential.secret, requestId, {
        csrf: credential.csrf,
        write: credential.write,
      });
  }
}
