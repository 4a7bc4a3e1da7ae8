import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { CREDENTIAL_PARAMS } from './auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Log the route's pattern instead of its URL, and not the caller's address: for routes whose ids and
     * timing would tell who wrote anonymous feedback (docs/feedback.md).
     */
    logAnonymously?: boolean;
  }
}

/** The request as Fastify logs it, except that a credential sent in the query string is blanked out. */
function logRequest(request: FastifyRequest) {
  if (request.routeOptions?.config?.logAnonymously) {
    return { method: request.method, url: request.routeOptions.url, host: request.host };
  }
  return {
    method: request.method,
    url: withoutCredentials(request.url),
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * A key anywhere in a URL, percent-encoded or not: what our keys' prefix is for. A script that pasted its key
 * into the wrong place (`/v1/users/tw_live_…`, `?email=tw_live_…`, `;access_token=…`) gets a 4xx, and the log
 * keeps only that a key was there. A metric webhook's URL is its secret (`/v1/hooks/hk_…`), a datastream's
 * push URL its key (`/wb/apis/stream/ds_…`): blanked the same way,
 * and so are OAuth's secrets (twa_/twi_ tokens, twr_ refresh tokens, twh_ client hashes, twcode_ codes).
 */
const KEY_SHAPED =
  /(?:tw[ai]?(?:_|%5f)(?:live|test)(?:_|%5f)(?:[\w-]|%5f|%2d)*)|(?<![A-Za-z0-9])(?:hk|ds|tw(?:r|h|code))(?:_|%5f)(?:[\w-]|%5f|%2d){20,}/gi;

/** Never logged either: an authorization code and its state, in any callback (docs/sso.md). */
const LOGGED_SECRET_PARAMS = [...CREDENTIAL_PARAMS, 'code', 'state'];

/** An invitation or password-reset link carries its single-use token in the path (docs/sign-in.md). */
const SIGN_IN_LINK = /(\/auth\/(?:invitations|password-reset)\/)[^/?#]+/gi;

/** `?access_token=tw_live_…` is refused with 400, but the access log is written first: keep the key out of it. */
export function withoutCredentials(logged: string): string {
  const url = logged.replace(KEY_SHAPED, 'REDACTED').replace(SIGN_IN_LINK, '$1REDACTED');
  const at = url.indexOf('?');
  if (at === -1) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  const names = [...new Set(params.keys())].filter((name) =>
    LOGGED_SECRET_PARAMS.includes(name.toLowerCase()),
  );
  if (names.length === 0) return url;
  for (const name of names) params.set(name, 'REDACTED');
  return `${url.slice(0, at)}?${params}`;
}

/** The app's logger options with the redacting request serializer; off stays off. */
export function loggerOptions(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, req: logRequest as never } };
}
