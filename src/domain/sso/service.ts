import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as oidc from 'openid-client';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { hashToken } from '../sign-in/secret.js';
import { type NewSession, openSession } from '../sign-in/sessions.js';
import { accountForEmail, verifiedEmail } from './accounts.js';
import { authorizationUrl, identityFromCallback, providerFor } from './provider.js';
import * as repo from './repo.js';
import { safeReturnTo } from './rules.js';

/** A redirect to the provider must come back within 10 minutes, once. */
export const SSO_ATTEMPT_LIFETIME_MS = 10 * 60_000;

export interface SsoStart {
  /** Where to send the browser: the provider's authorization endpoint with the request in its query. */
  url: string;
  /** Kept by the browser (a cookie) so that the callback proves it comes back to the browser that left. */
  state: string;
}

/**
 * Starts signing a person in through their organisation's identity provider: a fresh state, nonce and PKCE
 * verifier, kept server-side (the state as its hash) for 10 minutes. An unknown slug and an organisation
 * without SSO enabled read the same: sso_not_configured.
 */
export async function startSso(
  db: Kysely<DB>,
  input: { organization: string; returnTo?: string | undefined; redirectUri: string },
  now = Date.now(),
): Promise<SsoStart> {
  const settings = await repo.findEnabledSettingsBySlug(db, input.organization);
  if (!settings) throw new AppError('sso_not_configured');
  const config = await providerFor(settings);
  const attempt = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(),
  };
  await repo.dropStaleAttempts(db, new Date(now));
  await repo.insertAttempt(db, {
    orgId: settings.org_id,
    stateHash: hashToken(attempt.state),
    nonce: attempt.nonce,
    codeVerifier: attempt.codeVerifier,
    returnTo: safeReturnTo(input.returnTo),
    expiresAt: new Date(now + SSO_ATTEMPT_LIFETIME_MS),
  });
  const url = await authorizationUrl(config, { ...attempt, redirectUri: input.redirectUri });
  return { url: url.href, state: attempt.state };
}

export interface SsoCallback {
  /** The callback URL as the provider sent the browser to it: its code, state, iss or error. */
  callbackUrl: URL;
  /** The state this browser kept when it left (its cookie), or null. */
  browserState: string | null;
  address: string;
  userAgent?: string | undefined;
  requestId: string | null;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Finishes the sign-in: the state must be this browser's and its attempt unused and unexpired (it is used
 * up now, whatever follows); the provider's code is exchanged with the PKCE verifier and the ID token
 * checked with the nonce; then the person is matched by verified email and given a session, the same one
 * the password sign-in opens.
 */
export async function finishSso(
  db: Kysely<DB>,
  input: SsoCallback,
  now = Date.now(),
): Promise<NewSession & { returnTo: string }> {
  const state = input.callbackUrl.searchParams.get('state');
  if (!state || !input.browserState || !sameSecret(state, input.browserState))
    throw new AppError('sso_failed', 'This sign-in was not started in this browser: start again.');
  const attempt = await repo.takeAttempt(db, hashToken(state), new Date(now));
  if (!attempt)
    throw new AppError('sso_failed', 'This sign-in has expired or was already used: start again.');
  const settings = await repo.findSettings(db, repo.liveTenant(attempt.org_id));
  if (!settings?.enabled) throw new AppError('sso_not_configured');
  const config = await providerFor(settings);
  const identity = await identityFromCallback(config, input.callbackUrl, {
    state,
    nonce: attempt.nonce,
    codeVerifier: attempt.code_verifier,
  });
  const email = verifiedEmail(identity, settings);
  const opening = { method: 'sso' as const, address: input.address, userAgent: input.userAgent, now };
  const session = await openSession(db, { ...opening, requestId: input.requestId }, (trx) =>
    accountForEmail(trx, settings, identity, email, input.requestId),
  );
  return { ...session, returnTo: attempt.return_to };
}
