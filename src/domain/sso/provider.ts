import * as oidc from 'openid-client';
import { AppError } from '../errors.js';
import type { SettingsRow } from './repo.js';
import { isLoopbackHttp } from './rules.js';

// Talking to the organisation's identity provider through openid-client (docs/sso.md). Nothing here writes:
// no transaction is ever held open across these network calls.

/** What the provider says of the person, once its ID token is checked. */
export interface ProviderIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  givenName: string | null;
  familyName: string | null;
}

/** How long a call to the provider may take before the sign-in is refused. */
const PROVIDER_TIMEOUT_S = 10;

const failed = (description: string, cause?: unknown) => {
  const error = new AppError('sso_failed', description);
  // The cause goes to the log (the face logs it); never to the client, who gets the sentence only.
  if (cause !== undefined) error.cause = cause;
  return error;
};

/** How long a provider's discovery document (and the signing keys read through it) is reused. */
const DISCOVERY_TTL_MS = 10 * 60_000;

/**
 * Configurations by issuer, client and secret: a sign-in reuses the last discovery (and openid-client's cache
 * of the provider's signing keys that lives in it) instead of two more calls to the provider. Changed settings
 * make a new key, so a new issuer or secret is discovered at once; a failed discovery is not kept.
 */
const discovered = new Map<string, { config: Promise<oidc.Configuration>; until: number }>();

/**
 * The provider's configuration from its discovery document. Client authentication is client_secret_basic
 * (every provider must support it), or none for a public client with no secret (PKCE alone). Plain http is
 * allowed for a loopback issuer only: a provider beside the server, as the tests run one.
 */
export function providerFor(settings: SettingsRow, now = Date.now()): Promise<oidc.Configuration> {
  const key = JSON.stringify([settings.issuer_url, settings.client_id, settings.client_secret]);
  const kept = discovered.get(key);
  if (kept && kept.until > now) return kept.config;
  const config = discover(settings);
  discovered.set(key, { config, until: now + DISCOVERY_TTL_MS });
  config.catch(() => discovered.delete(key));
  return config;
}

async function discover(settings: SettingsRow): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer_url);
  const auth = settings.client_secret ? oidc.ClientSecretBasic(settings.client_secret) : oidc.None();
  try {
    return await oidc.discovery(issuer, settings.client_id, undefined, auth, {
      timeout: PROVIDER_TIMEOUT_S,
      ...(isLoopbackHttp(issuer) && { execute: [oidc.allowInsecureRequests] }),
    });
  } catch (error) {
    throw failed('The identity provider could not be reached or its configuration is invalid.', error);
  }
}

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Where the browser goes to sign in at the provider: code flow, PKCE S256, state and nonce. */
export async function authorizationUrl(config: oidc.Configuration, request: AuthorizationRequest) {
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    state: request.state,
    nonce: request.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(request.codeVerifier),
    code_challenge_method: 'S256',
  });
}

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);

/**
 * Exchanges the callback's code (with the PKCE verifier) and checks the ID token: its signature, issuer,
 * audience, expiry and nonce, and the state. Email claims not in the ID token are read from UserInfo.
 */
export async function identityFromCallback(
  config: oidc.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<ProviderIdentity> {
  let claims: Record<string, unknown>;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw failed('The identity provider sent no ID token.');
    claims = { ...idToken };
    if (claims.email === undefined)
      claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw failed('The identity provider did not confirm the sign-in.', error);
  }
  return {
    subject: String(claims.sub),
    email: text(claims.email),
    emailVerified: claims.email_verified === true,
    givenName: text(claims.given_name),
    familyName: text(claims.family_name),
  };
}
