import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import { SESSION_LIFETIME_MS } from '../../domain/sign-in/sessions.js';
import { finishSso, SSO_ATTEMPT_LIFETIME_MS, startSso } from '../../domain/sso/service.js';
import type { App } from '../../http/instance.js';
import { setSessionCookie } from '../../http/session-cookie.js';
import { refuseUnstorableText } from '../../http/storable-text.js';
import { html, PAGE_CSP, sendPage, wantsJson } from './html.js';

/**
 * Single sign-on pages (docs/sso.md): /auth/sso sends the browser to its organisation's identity provider,
 * /auth/sso/callback brings it back signed in, with the same session cookie the password sign-in sets.
 */
export interface SsoPagesDeps {
  db: Kysely<DB>;
  /** The address people reach the server at: the redirect URI registered at the provider starts with it. */
  publicUrl: string;
  clock?: (() => number) | undefined;
}

export const SSO_CALLBACK_PATH = '/auth/sso/callback';
/** Holds the state of the attempt in flight, so that the callback proves it is the browser that left. */
const stateCookieName = (secure: boolean) => (secure ? '__Host-trellis_sso' : 'trellis_sso');

const doc = (summary: string) => ({ tags: ['Sign-in'], summary, security: [] });
const StartQuery = Type.Object({
  organization: Type.Optional(Type.String({ maxLength: 100 })),
  return_to: Type.Optional(Type.String({ maxLength: 1000 })),
});
const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4000 })),
    state: Type.Optional(Type.String({ maxLength: 500 })),
    iss: Type.Optional(Type.String({ maxLength: 2000 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
    error_description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: true },
);

/** The organisation form alone may lead a browser on to a provider's site (no password is typed here). */
const ORGANIZATION_FORM_CSP = PAGE_CSP.replace("form-action 'self'", "form-action 'self' https:");

const organizationForm = (message: string | null, returnTo = '') => html`
${message ? html`<p role="alert"><strong>${message}</strong></p>` : null}
<form method="get" action="/auth/sso">
<p><label>Your organisation's short name <input name="organization" required maxlength="100" autocomplete="organization"></label></p>
${returnTo ? html`<input type="hidden" name="return_to" value="${returnTo}">` : null}
<p><button type="submit">Continue to your identity provider</button></p>
</form>
<p><a href="/auth/sign-in">Sign in with a password instead</a></p>`;

export function ssoPages(app: App, deps: SsoPagesDeps) {
  const { db } = deps;
  const now = () => deps.clock?.() ?? Date.now();
  const redirectUri = `${deps.publicUrl.replace(/\/$/, '')}${SSO_CALLBACK_PATH}`;

  /** An HTML error page with the sentence and a way to start again; a JSON caller gets the envelope. */
  const failPage = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (error instanceof AppError && error.cause !== undefined)
      request.log.warn({ err: error.cause }, 'single sign-on refused by the identity provider or its checks');
    if (!(error instanceof AppError) || wantsJson(request)) throw error;
    return sendPage(
      reply,
      error.status,
      'Single sign-on',
      organizationForm(error.message),
      ORGANIZATION_FORM_CSP,
    );
  };

  app.register(async (scope) => {
    const pages = scope as unknown as App;
    pages.addHook('preValidation', refuseUnstorableText);

    pages.get(
      '/auth/sso',
      {
        schema: {
          ...doc("Starts signing in through the organisation's identity provider"),
          querystring: StartQuery,
        },
      },
      async (request, reply) => {
        const { organization, return_to } = request.query;
        if (!organization) {
          if (wantsJson(request)) throw new AppError('missing_required_parameters', 'Name the organisation.');
          return sendPage(
            reply,
            200,
            'Single sign-on',
            organizationForm(null, return_to),
            ORGANIZATION_FORM_CSP,
          );
        }
        try {
          const started = await startSso(db, { organization, returnTo: return_to, redirectUri }, now());
          const secure = reply.server.secureSessionCookie;
          reply.setCookie(stateCookieName(secure), started.state, {
            httpOnly: true,
            secure,
            sameSite: 'lax',
            path: '/',
            maxAge: SSO_ATTEMPT_LIFETIME_MS / 1000,
          });
          if (wantsJson(request))
            return { success: true, message: 'OK', data: { authorization_url: started.url } };
          return reply.redirect(started.url, 303);
        } catch (error) {
          return failPage(request, reply, error);
        }
      },
    );

    pages.get(
      SSO_CALLBACK_PATH,
      {
        schema: {
          ...doc('Finishes signing in through the identity provider; sets the session cookie'),
          querystring: CallbackQuery,
        },
      },
      async (request, reply) => {
        const secure = reply.server.secureSessionCookie;
        const cookieName = stateCookieName(secure);
        const browserState = request.cookies?.[cookieName] ?? null;
        // The attempt is over whatever happens: its cookie goes.
        reply.clearCookie(cookieName, { httpOnly: true, secure, sameSite: 'lax', path: '/' });
        // The URL the provider sent the browser to, on the registered redirect URI (never the Host header).
        const at = request.url.indexOf('?');
        const query = at === -1 ? '' : request.url.slice(at);
        try {
          const session = await finishSso(
            db,
            {
              callbackUrl: new URL(`${redirectUri}${query}`),
              browserState,
              address: request.ip,
              userAgent: request.headers['user-agent'],
              requestId: request.id,
            },
            now(),
          );
          setSessionCookie(reply, session.token, SESSION_LIFETIME_MS / 1000);
          if (wantsJson(request))
            return {
              success: true,
              message: 'OK',
              data: {
                session_id: session.sessionId,
                user_id: session.userId,
                organization_id: session.orgId,
                csrf_token: session.csrfToken,
                privacy_notice_pending: session.noticePending,
              },
            };
          return reply.redirect(session.noticePending ? '/auth/notice' : session.returnTo, 303);
        } catch (error) {
          return failPage(request, reply, error);
        }
      },
    );
  });
}
