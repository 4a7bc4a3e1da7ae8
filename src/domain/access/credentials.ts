import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { principalForKey } from '../keys/authenticate.js';
import type { Principal } from './principal.js';
import type { PrincipalCache } from './principal-cache.js';

/**
 * A credential as a face read it off a request, before anyone has looked it up. Each face parses its own
 * header (`Bearer` on /v1 and WorkBoard's face, `APIToken` on Betterworks'); the domain alone decides who
 * the credential belongs to. OAuth tokens, instant tokens and sessions join this union as they land.
 */
export type Credential = { kind: 'api_key'; secret: string };

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
  }
}
