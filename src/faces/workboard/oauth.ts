import formbody from '@fastify/formbody';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import {
  type AuthorizationParams,
  authorizationTarget,
  checkAuthorizationRequest,
} from '../../domain/oauth/authorize.js';
import type { ClientCredentials } from '../../domain/oauth/clients.js';
import { exchangeCode, type IssuedTokens, refreshGrant } from '../../domain/oauth/tokens.js';
import type { App } from '../../http/instance.js';
import { refuseUnstorableText } from '../../http/storable-text.js';
import type { FaceDeps } from '../face.js';
import { WorkBoardError } from './errors.js';

/** A request's fields (query or form), strings only: a field sent twice, or not as text, is refused. */
function fieldsOf(source: unknown): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((source ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string' || value.length > 4000)
      throw new AppError('invalid_parameters', `${name.slice(0, 40)} must be sent once, as a string.`);
    fields[name] = value;
  }
  return fields;
}

/**
 * WorkBoard's scope is comma-separated and its only word is `all`: that, or nothing, is the full scope. Our
 * own words (read, write) pass through for the domain to judge.
 */
function scopeOf(scope: string | undefined): string | undefined {
  const words = (scope ?? '').split(/[\s,]+/).filter((word) => word !== '');
  return words.length === 0 || words.includes('all') ? undefined : words.join(' ');
}

const tokenBody = (issued: IssuedTokens) => ({
  success: true as const,
  access_token: issued.accessToken,
  refresh_token: issued.refreshToken,
  token_type: 'Bearer',
  scope: issued.scope,
  expires_in: issued.expiresIn,
});

const TokenAnswer = Type.Object({
  success: Type.Literal(true),
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.String(),
  scope: Type.String({ description: '"read write" (WorkBoard\'s "all") or "read".' }),
  expires_in: Type.Integer({ description: 'Seconds: a year.' }),
});

const errorRef = Type.Ref(WorkBoardError);

/**
 * WorkBoard's OAuth flow as its clients send it (docs/oauth.md, "WorkBoard's flow"), on the same services as
 * /oauth: the authorize URL checks the app and its redirect URI and hands over to /oauth/authorize (sign-in,
 * consent and its CSRF protection are that page's); the token URL takes `client_hash` and no `grant_type`.
 */
export function oauthRoutes(app: App, deps: FaceDeps) {
  const { db } = deps;
  const now = () => deps.clock?.() ?? Date.now();

  app.register(async (scope) => {
    const server = scope as unknown as App;
    await server.register(formbody, { bodyLimit: 16 * 1024 });
    server.addHook('preValidation', refuseUnstorableText);

    server.get(
      '/oauth/authorize',
      {
        config: { public: true },
        schema: {
          tags: ['WorkBoard'],
          summary: 'Authorize an app (WorkBoard): on to the sign-in and consent pages',
          description:
            'client_id, redirect_uri, and optionally response_type (code), scope (all), state, code_challenge ' +
            'and code_challenge_method (S256; required of a public app). Redirects (303) to /oauth/authorize, ' +
            'which redirects to redirect_uri with code and state. Refusals: invalid_client_id, ' +
            'invalid_redirect_uri, invalid_parameters, invalid_scope.',
          response: { 400: errorRef, 401: errorRef },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const fields = fieldsOf(request.query);
        const params: AuthorizationParams = { ...fields, scope: scopeOf(fields.scope) };
        const target = await authorizationTarget(db, params);
        const checked = checkAuthorizationRequest(target, params, false);
        const standard = new URLSearchParams({
          client_id: checked.app.client_id,
          redirect_uri: checked.redirectUri,
          response_type: 'code',
          scope: checked.scope,
        });
        if (checked.state !== null) standard.set('state', checked.state);
        if (checked.codeChallenge !== null) {
          standard.set('code_challenge', checked.codeChallenge);
          standard.set('code_challenge_method', 'S256');
        }
        return reply.redirect(`/oauth/authorize?${standard}`, 303);
      },
    );

    server.post(
      '/oauth/token',
      {
        config: { public: true },
        schema: {
          tags: ['WorkBoard'],
          summary: 'Exchange a code, or refresh, for tokens (WorkBoard)',
          description:
            'Form-encoded. A code: client_id, client_hash, code, redirect_uri, no grant_type (or ' +
            'authorization_code), code_verifier if the code has a PKCE challenge. A refresh: ' +
            'grant_type=refresh_token, refresh_token, client_id, client_hash. Refusals: invalid_client_id, ' +
            'invalid_client_hash, invalid_auth_code, auth_code_expired, invalid_redirect_uri, invalid_grant.',
          response: { 200: TokenAnswer, 400: errorRef, 401: errorRef },
        },
      },
      async (request) => {
        const fields = fieldsOf(request.body);
        const client: ClientCredentials = {
          clientId: fields.client_id,
          clientHash: fields.client_hash ?? fields.client_secret,
        };
        switch (fields.grant_type) {
          case undefined:
          case '':
          case 'authorization_code': {
            const input = {
              code: fields.code,
              redirectUri: fields.redirect_uri,
              codeVerifier: fields.code_verifier,
            };
            return tokenBody(await exchangeCode(db, client, input, now(), request.id));
          }
          case 'refresh_token': {
            const input = { refreshToken: fields.refresh_token, scope: scopeOf(fields.scope) };
            return tokenBody(await refreshGrant(db, client, input, now(), request.id));
          }
          default:
            throw new AppError('unsupported_grant_type');
        }
      },
    );
  });
}
