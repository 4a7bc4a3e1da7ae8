import formbody from '@fastify/formbody';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB, SignInLinkPurpose } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import { acceptShownPrivacyNotice, getPrivacyNotice } from '../../domain/orgs/service.js';
import { completeLink, type LinkMail, linkHolder, requestPasswordReset } from '../../domain/sign-in/links.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../domain/sign-in/password.js';
import { csrfTokenFor } from '../../domain/sign-in/secret.js';
import {
  SESSION_LIFETIME_MS,
  type SessionHolder,
  sessionHolder,
  signIn,
  signOut,
} from '../../domain/sign-in/sessions.js';
import type { App } from '../../http/instance.js';
import {
  CSRF_HEADER,
  clearSessionCookie,
  readSessionCookie,
  setSessionCookie,
} from '../../http/session-cookie.js';
import { refuseUnstorableText } from '../../http/storable-text.js';
import { type Html, html, sendPage, wantsJson } from './html.js';
import { returnToField, safeReturnTo, withReturnTo } from './return-to.js';

/**
 * The sign-in pages (docs/sign-in.md): plain server-rendered HTML forms that work without JavaScript, and the
 * same routes answer JSON to a JSON request (`Content-Type: application/json`, or `Accept: application/json`
 * on a GET), with the error envelope for errors. Outside /v1: none takes an API key.
 */
export interface SignInPagesDeps {
  db: Kysely<DB>;
  mail: LinkMail;
  /** The clock links expire and sign-ins lock out by; Date.now when absent (tests move it). */
  clock?: (() => number) | undefined;
}

/** Where a link's token goes: the page that reads it. Used for the mail and the routes alike. */
const LINK_PATHS: Record<SignInLinkPurpose, string> = {
  invitation: '/auth/invitations',
  password_reset: '/auth/password-reset',
};

export const linkUrlFor = (publicUrl: string) => (purpose: SignInLinkPurpose, token: string) =>
  `${publicUrl}${LINK_PATHS[purpose]}/${encodeURIComponent(token)}`;

const ok = <T>(data: T, message = 'OK') => ({ success: true as const, message, data });
const doc = (summary: string) => ({ tags: ['Sign-in'], summary, security: [] });

const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    organization: Type.Optional(Type.String({ maxLength: 100 })),
    return_to: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
const CsrfBody = Type.Object(
  { csrf_token: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
const NoticeBody = Type.Object(
  {
    version: Type.String({ pattern: '^[0-9]{1,9}$' }),
    csrf_token: Type.Optional(Type.String({ maxLength: 200 })),
    return_to: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
const EmailBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 320 }) },
  { additionalProperties: false },
);
const PasswordBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

const signInForm = (message: string | null, email = '', returnTo: string | null = null) => html`
${message ? html`<p role="alert"><strong>${message}</strong></p>` : null}
<form method="post" action="/auth/sign-in">${returnToField(returnTo)}
<p><label>Email <input type="email" name="email" value="${email}" required maxlength="320" autocomplete="username"></label></p>
<p><label>Password <input type="password" name="password" required maxlength="1024" autocomplete="current-password"></label></p>
<p><label>Organisation (only if your email has accounts in several) <input name="organization" maxlength="100"></label></p>
<p><button type="submit">Sign in</button></p>
</form>
<p><a href="/auth/password-reset">Forgot your password?</a></p>
<p><a href="/auth/sso">Sign in with your organisation's identity provider</a></p>`;

const passwordForm = (action: string, email: string, message: string | null) => html`
<p>Choose a password for ${email}: at least ${PASSWORD_MIN_LENGTH} characters, at most ${PASSWORD_MAX_LENGTH}; a long phrase is best.</p>
${message ? html`<p role="alert"><strong>${message}</strong></p>` : null}
<form method="post" action="${action}">
<p><label>New password <input type="password" name="password" required minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" autocomplete="new-password"></label></p>
<p><button type="submit">Set password</button></p>
</form>`;

const csrfField = (token: string) =>
  html`<input type="hidden" name="csrf_token" value="${csrfTokenFor(token)}">`;

/** Sent back to /oauth/authorize after signing in or accepting the notice (docs/oauth.md). */
const returnToOf = (query: unknown) =>
  safeReturnTo((query as { return_to?: unknown } | undefined)?.return_to);

/** A form posted from another site is refused before anything is read (the cookie is SameSite=Lax too). */
export function refuseCrossSite(request: FastifyRequest) {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site')
    throw new AppError('csrf_token_invalid', 'Forms are only accepted from this site.');
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host !== request.host)
      throw new AppError('csrf_token_invalid', 'Forms are only accepted from this site.');
  }
}

export const sentCsrf = (request: FastifyRequest, body?: { csrf_token?: string | undefined }) => {
  const header = request.headers[CSRF_HEADER];
  return typeof header === 'string' ? header : (body?.csrf_token ?? null);
};

export function signInPages(app: App, deps: SignInPagesDeps) {
  const { db } = deps;
  const now = () => deps.clock?.() ?? Date.now();

  /** The person signed in on this request's cookie (their notice accepted or not), or null. */
  const holderOf = async (request: FastifyRequest, write: boolean, csrf?: string | null) => {
    const token = readSessionCookie(request);
    if (!token) return null;
    return {
      token,
      holder: await sessionHolder(db, token, request.id, { write, csrf, allowNoticePending: true }),
    };
  };
  const requireHolder = async (request: FastifyRequest, write: boolean, csrf?: string | null) => {
    const found = await holderOf(request, write, csrf);
    if (!found) throw new AppError('invalid_session');
    return found;
  };

  /** An error to an HTML page: the status and the sentence, with a way back; JSON callers get the envelope. */
  const failPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    title: string,
    body: (m: string) => Html,
  ) => {
    if (!(error instanceof AppError) || wantsJson(request)) throw error;
    const retry = (error.details as { retry_after?: number } | undefined)?.retry_after;
    if (retry) reply.header('retry-after', String(retry));
    return sendPage(reply, error.status, title, body(error.message));
  };

  app.register(async (scope) => {
    const pages = scope as unknown as App;
    // Forms post application/x-www-form-urlencoded: parsed here only, never under /v1.
    await pages.register(formbody, { bodyLimit: 16 * 1024 });
    // Text PostgreSQL cannot store (a NUL in an email) is the client's error, as under /v1.
    pages.addHook('preValidation', refuseUnstorableText);

    pages.get(
      '/auth/sign-in',
      { schema: { ...doc('The sign-in page (HTML)'), hide: false } },
      async (request, reply) =>
        sendPage(reply, 200, 'Sign in', signInForm(null, '', returnToOf(request.query))),
    );

    pages.post(
      '/auth/sign-in',
      { schema: { ...doc('Signs in with email and password; sets the session cookie'), body: SignInBody } },
      async (request, reply) => {
        const { email, password, organization } = request.body;
        try {
          refuseCrossSite(request);
          const session = await signIn(
            db,
            {
              email,
              password,
              organization: organization || undefined,
              address: request.ip,
              userAgent: request.headers['user-agent'],
            },
            request.id,
            now(),
          );
          setSessionCookie(reply, session.token, SESSION_LIFETIME_MS / 1000);
          if (wantsJson(request))
            return ok({
              session_id: session.sessionId,
              user_id: session.userId,
              organization_id: session.orgId,
              csrf_token: session.csrfToken,
              privacy_notice_pending: session.noticePending,
            });
          const returnTo = safeReturnTo(request.body.return_to);
          if (session.noticePending) return reply.redirect(withReturnTo('/auth/notice', returnTo), 303);
          return reply.redirect(returnTo ?? '/auth/account', 303);
        } catch (error) {
          const retry =
            error instanceof AppError && (error.details as { retry_after?: number } | undefined)?.retry_after;
          if (retry) reply.header('retry-after', String(retry));
          const returnTo = safeReturnTo(request.body.return_to);
          return failPage(request, reply, error, 'Sign in', (m) => signInForm(m, email, returnTo));
        }
      },
    );

    pages.get(
      '/auth/session',
      { schema: doc('The signed-in person and the session’s CSRF token (JSON)') },
      async (request) => {
        const { token, holder } = await requireHolder(request, false);
        return ok(describe(holder, token));
      },
    );

    pages.get(
      '/auth/account',
      { schema: doc('Who is signed in, with a sign-out button (HTML)') },
      async (request, reply) => {
        const found = await holderOf(request, false).catch(() => null);
        if (!found) return reply.redirect('/auth/sign-in', 303);
        if (!found.holder.noticeAccepted) return reply.redirect('/auth/notice', 303);
        return sendPage(
          reply,
          200,
          'Signed in',
          html`<p>You are signed in as ${found.holder.email}.</p>
<form method="post" action="/auth/sign-out">${csrfField(found.token)}<button type="submit">Sign out</button></form>`,
        );
      },
    );

    pages.post(
      '/auth/sign-out',
      {
        schema: {
          ...doc('Signs out: the session ends and its cookie is cleared'),
          body: Type.Optional(CsrfBody),
        },
      },
      async (request, reply) => {
        refuseCrossSite(request);
        const { holder } = await requireHolder(request, true, sentCsrf(request, request.body));
        await signOut(db, holder.principal);
        clearSessionCookie(reply);
        if (wantsJson(request)) return reply.status(204).send();
        return reply.redirect('/auth/sign-in', 303);
      },
    );

    pages.get(
      '/auth/notice',
      { schema: doc('The privacy notice to accept (HTML, or JSON)') },
      async (request, reply) => {
        const found = await holderOf(request, false).catch((error) =>
          wantsJson(request) ? Promise.reject(error) : null,
        );
        if (!found) {
          if (wantsJson(request)) throw new AppError('invalid_session');
          return reply.redirect('/auth/sign-in', 303);
        }
        const notice = await getPrivacyNotice(db, found.holder.principal);
        if (wantsJson(request))
          return ok({ version: notice.version, text: notice.text, accepted: found.holder.noticeAccepted });
        return sendPage(
          reply,
          200,
          'Privacy notice',
          html`<p>Version ${notice.version}${found.holder.noticeAccepted ? ' (you have accepted it)' : ''}.</p>
<div><pre>${notice.text || 'Your organisation has not written its notice yet.'}</pre></div>
<form method="post" action="/auth/notice">${csrfField(found.token)}${returnToField(returnToOf(request.query))}<input type="hidden" name="version" value="${notice.version}"><button type="submit">I accept</button></form>`,
        );
      },
    );

    pages.post(
      '/auth/notice',
      { schema: { ...doc('Accepts the privacy notice of the version shown'), body: NoticeBody } },
      async (request, reply) => {
        refuseCrossSite(request);
        const { holder } = await requireHolder(request, true, sentCsrf(request, request.body));
        await acceptShownPrivacyNotice(db, holder.principal, Number(request.body.version));
        if (wantsJson(request)) return reply.status(204).send();
        return reply.redirect(safeReturnTo(request.body.return_to) ?? '/auth/account', 303);
      },
    );

    pages.get(
      '/auth/password-reset',
      { schema: doc('The form that asks for a reset link (HTML)') },
      async (_request, reply) => sendPage(reply, 200, 'Reset your password', resetRequestForm),
    );

    pages.post(
      '/auth/password-reset',
      {
        schema: {
          ...doc('Mails a reset link if the email has an account; answers the same either way'),
          body: EmailBody,
        },
      },
      async (request, reply) => {
        refuseCrossSite(request);
        // Not awaited: the answer comes as fast for an unknown email as for a known one (links, audit, mail
        // take their time after it), so neither its body nor its timing says whether an account exists.
        requestPasswordReset(db, deps.mail, request.body.email, request.id, now()).catch((error: Error) =>
          request.log.error({ err: error }, 'a password reset could not be sent'),
        );
        const message = 'If an account has this email, a link to reset its password is on its way.';
        if (wantsJson(request)) return reply.status(202).send(ok(null, message));
        return sendPage(reply, 202, 'Check your mail', html`<p>${message}</p>`);
      },
    );

    for (const purpose of ['password_reset', 'invitation'] as const) {
      const path = `${LINK_PATHS[purpose]}/:token`;
      const title = purpose === 'invitation' ? 'Welcome to Trellis' : 'Choose a new password';
      pages.get(
        path,
        { schema: { ...doc(`The ${purpose.replace('_', ' ')} link’s page (HTML)`), params: TokenParams } },
        async (request, reply) => {
          try {
            const link = await linkHolder(db, purpose, request.params.token, now());
            if (wantsJson(request)) return ok({ email: link.email });
            return sendPage(
              reply,
              200,
              title,
              passwordForm(request.url.split('?')[0] ?? '', link.email, null),
            );
          } catch (error) {
            return failPage(
              request,
              reply,
              error,
              title,
              (m) => html`<p>${m}</p><p><a href="/auth/password-reset">Ask for a new link</a></p>`,
            );
          }
        },
      );
      pages.post(
        path,
        {
          schema: {
            ...doc(`Sets the password through the ${purpose.replace('_', ' ')} link`),
            params: TokenParams,
            body: PasswordBody,
          },
        },
        async (request, reply) => {
          try {
            refuseCrossSite(request);
            const done = await completeLink(
              db,
              purpose,
              request.params.token,
              request.body.password,
              request.id,
              now(),
            );
            clearSessionCookie(reply);
            if (wantsJson(request)) return ok({ email: done.email }, 'Password set: sign in with it.');
            return sendPage(
              reply,
              200,
              'Password set',
              html`<p>Your password is set. <a href="/auth/sign-in">Sign in</a>.</p>`,
            );
          } catch (error) {
            if (error instanceof AppError && error.code === 'weak_password' && !wantsJson(request)) {
              const link = await linkHolder(db, purpose, request.params.token, now());
              return sendPage(
                reply,
                422,
                title,
                passwordForm(request.url.split('?')[0] ?? '', link.email, error.message),
              );
            }
            return failPage(request, reply, error, title, (m) => html`<p>${m}</p>`);
          }
        },
      );
    }
  });
}

const resetRequestForm = html`
<form method="post" action="/auth/password-reset">
<p><label>Email <input type="email" name="email" required maxlength="320" autocomplete="username"></label></p>
<p><button type="submit">Send me a link</button></p>
</form>`;

function describe(holder: SessionHolder, token: string) {
  return {
    session_id: holder.principal.sessionId ?? null,
    user_id: holder.principal.userId,
    organization_id: holder.principal.orgId,
    email: holder.email,
    role: holder.principal.role,
    csrf_token: csrfTokenFor(token),
    privacy_notice_accepted: holder.noticeAccepted,
    privacy_notice_version: holder.noticeVersion,
  };
}
