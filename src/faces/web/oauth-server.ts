import formbody from '@fastify/formbody';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import { introspect } from '../../domain/oauth/access.js';
import type { ClientCredentials } from '../../domain/oauth/clients.js';
import { SCOPES } from '../../domain/oauth/rules.js';
import { exchangeCode, type IssuedTokens, refreshGrant, revokeByClient } from '../../domain/oauth/tokens.js';
import { errorToAnswer } from '../../http/error-handler.js';
import type { App } from '../../http/instance.js';
import { refuseUnstorableText } from '../../http/storable-text.js';

export interface OAuthServerDeps {
  db: Kysely<DB>;
  /** The clock codes and client-hash overlaps are judged by; Date.now when absent (tests move it). */
  clock?: (() => number) | undefined;
  /** The issuer (TRELLIS_PUBLIC_URL); without it, the origin the request reached. */
  publicUrl?: string | undefined;
}

/** The request's form fields, strings only (RFC 6749 §3.2: a parameter sent twice is an error). */
function fieldsOf(request: FastifyRequest): Record<string, string | undefined> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const fields: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string' || value.length > 4000)
      throw new AppError('invalid_parameters', `${name.slice(0, 40)} must be sent once, as a string.`);
    fields[name] = value;
  }
  return fields;
}

/** Form-encoding of a Basic header's parts (RFC 6749 §2.3.1): `+` is a space, then percent-decoding. */
const formDecode = (part: string) => {
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    throw new AppError('invalid_client_hash', 'The Basic credentials are not form-encoded.');
  }
};

/** client_secret_basic, or client_secret_post (`client_secret`, or the seed's `client_hash`), or none. */
function clientOf(request: FastifyRequest, fields: Record<string, string | undefined>): ClientCredentials {
  const basic = /^Basic\s+([A-Za-z0-9+/=]{1,1000})$/i.exec(request.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString();
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new AppError('invalid_client_id', 'The Basic credentials have no client id.');
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientHash: formDecode(decoded.slice(colon + 1)),
    };
  }
  return { clientId: fields.client_id, clientHash: fields.client_secret ?? fields.client_hash };
}

/** RFC 6749 §5.2's names for the domain's codes; the seed's own codes (invalid_client_hash…) stay as they are. */
const REQUEST_ERRORS = new Set([
  'invalid_parameters',
  'missing_required_parameters',
  'malformed_json',
  'unsupported_media_type',
  'payload_too_large',
]);

/** An OAuth error body: `error`, `error_description`, and the request id every failure carries. */
function sendOAuthError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (error.status === 401 && request.headers.authorization?.toLowerCase().startsWith('basic '))
    reply.header('www-authenticate', 'Basic realm="trellis", charset="UTF-8"');
  return reply.status(error.status).send({
    error: REQUEST_ERRORS.has(error.code) ? 'invalid_request' : error.code,
    error_description: error.description ?? error.message,
    request_id: request.id,
  });
}

const tokenBody = (issued: IssuedTokens) => ({
  access_token: issued.accessToken,
  token_type: 'Bearer',
  expires_in: issued.expiresIn,
  refresh_token: issued.refreshToken,
  scope: issued.scope,
});

/**
 * The authorization server's back channel (docs/oauth.md): the token endpoint (authorization_code,
 * refresh_token), RFC 7009 revocation, RFC 7662 introspection and RFC 8414 metadata. Form-encoded in, JSON
 * out, `Cache-Control: no-store` (as every answer of this server), errors as RFC 6749 §5.2 says.
 */
export function oauthServer(app: App, deps: OAuthServerDeps) {
  const { db } = deps;
  const now = () => deps.clock?.() ?? Date.now();
  const issuerOf = (request: FastifyRequest) => deps.publicUrl ?? `${request.protocol}://${request.host}`;

  app.get(
    '/.well-known/oauth-authorization-server',
    { schema: { tags: ['OAuth'], summary: 'Authorization server metadata (RFC 8414)', security: [] } },
    async (request) => {
      const issuer = issuerOf(request);
      return {
        issuer,
        authorization_endpoint: `${issuer}/oauth/authorize`,
        token_endpoint: `${issuer}/oauth/token`,
        revocation_endpoint: `${issuer}/oauth/revoke`,
        introspection_endpoint: `${issuer}/oauth/introspect`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        scopes_supported: [...SCOPES],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      };
    },
  );

  app.register(async (scope) => {
    const server = scope as unknown as App;
    await server.register(formbody, { bodyLimit: 16 * 1024 });
    server.addHook('preValidation', refuseUnstorableText);
    server.setErrorHandler((error: FastifyError, request, reply) =>
      sendOAuthError(request, reply, error instanceof AppError ? error : errorToAnswer(error, request)),
    );
    const doc = (summary: string) => ({ tags: ['OAuth'], summary, security: [] });

    server.post('/oauth/token', { schema: doc('The token endpoint (RFC 6749 §3.2)') }, async (request) => {
      const fields = fieldsOf(request);
      const client = clientOf(request, fields);
      switch (fields.grant_type) {
        case 'authorization_code': {
          const input = {
            code: fields.code,
            redirectUri: fields.redirect_uri,
            codeVerifier: fields.code_verifier,
          };
          return tokenBody(await exchangeCode(db, client, input, now(), request.id));
        }
        case 'refresh_token': {
          const input = { refreshToken: fields.refresh_token, scope: fields.scope };
          return tokenBody(await refreshGrant(db, client, input, now(), request.id));
        }
        case undefined:
          throw new AppError('missing_required_parameters', 'grant_type is required.');
        default:
          throw new AppError('unsupported_grant_type');
      }
    });

    server.post('/oauth/revoke', { schema: doc('Token revocation (RFC 7009)') }, async (request, reply) => {
      const fields = fieldsOf(request);
      if (!fields.token) throw new AppError('missing_required_parameters', 'token is required.');
      await revokeByClient(db, clientOf(request, fields), fields.token, now(), request.id);
      return reply.status(200).send({});
    });

    server.post('/oauth/introspect', { schema: doc('Token introspection (RFC 7662)') }, async (request) => {
      const fields = fieldsOf(request);
      if (!fields.token) throw new AppError('missing_required_parameters', 'token is required.');
      return introspect(db, clientOf(request, fields), fields.token, now());
    });
  });
}
