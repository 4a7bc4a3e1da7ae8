import type { Kysely } from 'kysely';
import type { DB, Mode } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError } from '../errors.js';
import { inTransaction } from '../transactions.js';
import { appOfClientId } from './clients.js';
import { type AppWithSecrets, findOrganizationName } from './repo.js';
import { CODE_LIFETIME_MS, parseScope, pkceChallengeProblem, redirectUriRegistered } from './rules.js';
import { hashSecret, newCode } from './secret.js';

/** An authorization request as a client sends it to /oauth/authorize (RFC 6749 §4.1.1, RFC 7636). */
export interface AuthorizationParams {
  client_id?: string | undefined;
  redirect_uri?: string | undefined;
  response_type?: string | undefined;
  scope?: string | undefined;
  state?: string | undefined;
  code_challenge?: string | undefined;
  code_challenge_method?: string | undefined;
}

/** The app and the redirect URI it may be answered at: until both are known, errors are never redirected. */
export interface AuthorizationTarget {
  app: AppWithSecrets;
  redirectUri: string;
}

/** A request found sound: what the consent page shows, and what the code will be bound to. */
export interface AuthorizationRequest extends AuthorizationTarget {
  scope: string;
  codeChallenge: string | null;
  state: string | null;
}

/**
 * The app the request names and its redirect URI, registered exactly. An app with one redirect URI may be
 * asked without it (RFC 6749 §3.1.2.3). Failures here are shown to the person, never redirected.
 */
export async function authorizationTarget(
  db: Kysely<DB>,
  params: AuthorizationParams,
): Promise<AuthorizationTarget> {
  const app = await appOfClientId(db, params.client_id);
  const [only, ...more] = app.redirect_uris;
  const redirectUri = params.redirect_uri ?? (more.length === 0 ? only : undefined);
  if (!redirectUri || !redirectUriRegistered(app.redirect_uris, redirectUri))
    throw new AppError('invalid_redirect_uri');
  return { app, redirectUri };
}

/**
 * The rest of the request, once its target is known: a code response, a known scope, and PKCE S256
 * (required of a public app, honoured for any). Failures here are redirected back to the app.
 */
export function checkAuthorizationRequest(
  target: AuthorizationTarget,
  params: AuthorizationParams,
  /** Some clients send no response_type (WorkBoard's); the standard endpoint requires `code`. */
  responseTypeRequired = true,
): AuthorizationRequest {
  if (params.response_type !== 'code' && (responseTypeRequired || params.response_type !== undefined))
    throw new AppError('invalid_parameters', 'response_type must be code.');
  const scope = parseScope(params.scope);
  const challenge = params.code_challenge ?? null;
  if (challenge === null && target.app.kind === 'public')
    throw new AppError('invalid_parameters', 'A public app must send a PKCE code_challenge (S256).');
  if (challenge !== null) {
    const problem = pkceChallengeProblem(challenge, params.code_challenge_method);
    if (problem) throw new AppError('invalid_parameters', `${problem}.`);
  }
  return { ...target, scope, codeChallenge: challenge, state: params.state ?? null };
}

/** The person consenting, acting in the app's mode: a test-mode app's grant acts in the sandbox. */
export const personInMode = (person: Principal, mode: Mode): Principal => ({ ...person, mode });

/**
 * The person said yes: a single-use code, bound to the app, the redirect URI and the PKCE challenge, good
 * for five minutes. Only a person of the app's organisation may grant it.
 */
export async function grantCode(
  db: Kysely<DB>,
  person: Principal,
  request: AuthorizationRequest,
  now: number,
): Promise<string> {
  const { app } = request;
  if (person.orgId !== app.org_id)
    throw new AppError('insufficient_access', 'This app belongs to another organisation than yours.');
  const code = newCode();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('oauth_codes')
      .values({
        org_id: app.org_id,
        mode: app.mode,
        app_id: app.id,
        user_id: person.userId,
        code_hash: hashSecret(code),
        redirect_uri: request.redirectUri,
        code_challenge: request.codeChallenge,
        scope: request.scope,
        created_at: new Date(now),
        expires_at: new Date(now + CODE_LIFETIME_MS),
      })
      .execute();
    await recordChange(trx, personInMode(person, app.mode), 'oauth_app.authorized', app.id, {
      scope: request.scope,
    });
  });
  return code;
}

/** What the consent page tells the person: which app, as whom, in which organisation and mode, to do what. */
export interface Consent {
  appName: string;
  appDescription: string;
  contactEmail: string;
  organizationName: string;
  mode: Mode;
  scope: string;
}

/** The facts a person consents to; refused when the app is another organisation's. */
export async function consentFor(
  db: Kysely<DB>,
  person: Principal,
  request: AuthorizationRequest,
): Promise<Consent> {
  const { app } = request;
  if (person.orgId !== app.org_id)
    throw new AppError('insufficient_access', 'This app belongs to another organisation than yours.');
  const org = await findOrganizationName(db, app.org_id);
  return {
    appName: app.name,
    appDescription: app.description,
    contactEmail: app.contact_email,
    organizationName: org?.name ?? '',
    mode: app.mode,
    scope: request.scope,
  };
}
