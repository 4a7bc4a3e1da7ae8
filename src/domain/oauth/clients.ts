import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { type AppWithSecrets, findAppByClientId } from './repo.js';
import { secretMatches } from './secret.js';

/** What a client sent to prove itself: its id, and its client hash unless it is a public app. */
export interface ClientCredentials {
  clientId: string | undefined;
  clientHash: string | undefined;
}

/** The app a client id names, in force; invalid_client_id otherwise. */
export async function appOfClientId(db: Kysely<DB>, clientId: string | undefined): Promise<AppWithSecrets> {
  const app = clientId && clientId.length <= 100 ? await findAppByClientId(db, clientId) : undefined;
  if (!app) throw new AppError('invalid_client_id');
  return app;
}

/**
 * The app a token, revoke or introspect request comes from. A confidential app must send its client hash:
 * the current one, or the previous one until its rotation overlap ends. A public app has none to send.
 */
export async function authenticateClient(
  db: Kysely<DB>,
  sent: ClientCredentials,
  now: number,
): Promise<AppWithSecrets> {
  const app = await appOfClientId(db, sent.clientId);
  if (app.kind === 'public') return app;
  if (!sent.clientHash || sent.clientHash.length > 200) throw new AppError('invalid_client_hash');
  const previousInForce =
    app.previous_secret_expires_at !== null && Date.parse(app.previous_secret_expires_at) > now;
  // Both compared, whichever matches, so that the time taken says nothing about which one was sent.
  const current = secretMatches(sent.clientHash, app.secret_hash);
  const previous = secretMatches(sent.clientHash, app.previous_secret_hash) && previousInForce;
  if (!current && !previous) throw new AppError('invalid_client_hash');
  return app;
}
