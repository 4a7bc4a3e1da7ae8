import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import {
  type AuthorizationParams,
  type AuthorizationRequest,
  authorizationTarget,
  type Consent,
  checkAuthorizationRequest,
  consentFor,
  grantCode,
} from '../../domain/oauth/authorize.js';
import { csrfTokenFor } from '../../domain/sign-in/secret.js';
import { sessionHolder } from '../../domain/sign-in/sessions.js';
import type { App } from '../../http/instance.js';
import { readSessionCookie } from '../../http/session-cookie.js';
import { refuseUnstorableText } from '../../http/storable-text.js';
import { html, PAGE_CSP, sendPage } from './html.js';
import { withReturnTo } from './return-to.js';
import { refuseCrossSite, sentCsrf } from './sign-in.js';

export interface OAuthPagesDeps {
  db: Kysely<DB>;
  /** The clock codes expire by; Date.now when absent (tests move it). */
  clock?: (() => number) | undefined;
}

const PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
] as const;

/** The authorization parameters of a query or form: strings only, each at most 2,000 characters. */
function paramsOf(source: unknown): AuthorizationParams {
  const values = (source ?? {}) as Record<string, unknown>;
  const params: Record<string, string> = {};
  for (const name of PARAMS) {
    const value = values[name];
    if (typeof value === 'string' && value.length <= 2000) params[name] = value;
    else if (value !== undefined) throw new AppError('invalid_parameters', `${name} is not a valid value.`);
  }
  return params;
}

/** RFC 6749 §4.1.2.1: the error names a redirect carries, from the domain's codes. */
const REDIRECTED_ERRORS: Partial<Record<string, string>> = { invalid_scope: 'invalid_scope' };

/** Back to the app at its registered redirect URI, with a code or an error, and the state it sent. */
function redirectBack(reply: FastifyReply, redirectUri: string, values: Record<string, string | null>) {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) if (value !== null) url.searchParams.set(name, value);
  return reply.redirect(url.toString(), 303);
}

const errorPage = (reply: FastifyReply, error: unknown) => {
  if (!(error instanceof AppError)) throw error;
  return sendPage(reply, error.status, 'The app’s request was refused', html`<p>${error.message}</p>`);
};

const SCOPE_WORDS: Record<string, string> = {
  read: 'read what you can read',
  'read write': 'read and change what you can read and change',
};

/** The consent page: what the app will be able to do, as whom, in which organisation and mode. */
function consentPage(reply: FastifyReply, consent: Consent, email: string, fields: Record<string, string>) {
  const hidden = Object.entries(fields).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  const body = html`<p><strong>${consent.appName}</strong> asks to act as <strong>${email}</strong> in
<strong>${consent.organizationName}</strong> (${consent.mode === 'live' ? 'live data' : 'the test sandbox'}).</p>
${consent.appDescription ? html`<p>${consent.appDescription}</p>` : null}
<p>It will be able to ${SCOPE_WORDS[consent.scope] ?? consent.scope} through the API, as you, until you revoke
it (your OAuth grants are listed at <code>GET /v1/me/oauth-grants</code>). Its contact: ${consent.contactEmail}.</p>
<form method="post" action="/oauth/authorize">${hidden}
<p><button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></p>
</form>`;
  return sendPage(reply, 200, `Allow ${consent.appName}?`, body);
}

/**
 * The authorization endpoint (docs/oauth.md): the person signs in through /auth/sign-in and comes back,
 * sees the consent page and allows or denies with a CSRF-protected form. Until the app and its redirect
 * URI are known, failures are shown here; after, they go back to the app (RFC 6749 §4.1.2.1).
 */
export function oauthAuthorizePages(app: App, deps: OAuthPagesDeps) {
  const { db } = deps;
  const now = () => deps.clock?.() ?? Date.now();

  /** The app, the redirect URI and the checked request; or the answer that refuses it. */
  async function understand(reply: FastifyReply, source: unknown) {
    let params: AuthorizationParams;
    let target: Awaited<ReturnType<typeof authorizationTarget>>;
    try {
      params = paramsOf(source);
      target = await authorizationTarget(db, params);
    } catch (error) {
      return { answer: errorPage(reply, error) };
    }
    try {
      return { request: checkAuthorizationRequest(target, params) };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const code = REDIRECTED_ERRORS[error.code] ?? 'invalid_request';
      const values = { error: code, error_description: error.message, state: params.state ?? null };
      return { answer: redirectBack(reply, target.redirectUri, values) };
    }
  }

  /** The form's hidden fields: the request as understood, and the session's CSRF token. */
  const fieldsOf = (request: AuthorizationRequest, token: string) => {
    const fields: Record<string, string> = {
      client_id: request.app.client_id,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: request.scope,
      csrf_token: csrfTokenFor(token),
    };
    if (request.state !== null) fields.state = request.state;
    if (request.codeChallenge !== null) {
      fields.code_challenge = request.codeChallenge;
      fields.code_challenge_method = 'S256';
    }
    return fields;
  };

  /** A consent page's form posts here and is redirected to the app: its origin joins form-action. */
  const formTargets = new WeakMap<FastifyReply, string>();

  app.register(async (scope) => {
    const pages = scope as unknown as App;
    await pages.register(formbody, { bodyLimit: 16 * 1024 });
    pages.addHook('preValidation', refuseUnstorableText);
    pages.addHook('onSend', async (_request, reply) => {
      const origin = formTargets.get(reply);
      if (origin)
        reply.header(
          'content-security-policy',
          PAGE_CSP.replace("form-action 'self'", `form-action 'self' ${origin}`),
        );
    });
    const doc = (summary: string) => ({ tags: ['OAuth'], summary, security: [] });

    pages.get(
      '/oauth/authorize',
      { schema: doc('The authorization endpoint: sign-in, then the consent page (HTML)') },
      async (request: FastifyRequest, reply) => {
        const understood = await understand(reply, request.query);
        if (!understood.request) return understood.answer;
        const token = readSessionCookie(request);
        const holder = token
          ? await sessionHolder(db, token, request.id, { write: false, allowNoticePending: true }).catch(
              () => null,
            )
          : null;
        if (!token || !holder) return reply.redirect(withReturnTo('/auth/sign-in', request.url), 303);
        if (!holder.noticeAccepted) return reply.redirect(withReturnTo('/auth/notice', request.url), 303);
        try {
          const consent = await consentFor(db, holder.principal, understood.request);
          formTargets.set(reply, new URL(understood.request.redirectUri).origin);
          return consentPage(reply, consent, holder.email, fieldsOf(understood.request, token));
        } catch (error) {
          return errorPage(reply, error);
        }
      },
    );

    pages.post(
      '/oauth/authorize',
      { schema: doc('Allows or denies the app (the consent form; CSRF token required)') },
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const understood = await understand(reply, body);
        if (!understood.request) return understood.answer;
        const { redirectUri, state } = understood.request;
        try {
          refuseCrossSite(request);
          const token = readSessionCookie(request);
          if (!token) throw new AppError('invalid_session');
          const csrf = sentCsrf(request, body as { csrf_token?: string });
          const holder = await sessionHolder(db, token, request.id, { write: true, csrf });
          if (body.decision !== 'approve')
            return redirectBack(reply, redirectUri, { error: 'access_denied', state });
          const code = await grantCode(db, holder.principal, understood.request, now());
          return redirectBack(reply, redirectUri, { code, state });
        } catch (error) {
          return errorPage(reply, error);
        }
      },
    );
  });
}
