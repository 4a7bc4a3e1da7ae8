import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The session cookie (docs/sign-in.md): HttpOnly, SameSite=Lax, Path=/, no Domain. Secure with the
 * `__Host-` prefix unless the server is told it is reached over plain http (TRELLIS_SECURE_COOKIES=false,
 * for development off loopback; browsers accept Secure cookies from http://localhost).
 */
export const SECURE_SESSION_COOKIE = '__Host-trellis_session';
export const PLAIN_SESSION_COOKIE = 'trellis_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether the session cookie is Secure (and `__Host-`): set once by buildApp. */
    secureSessionCookie: boolean;
  }
}

export const sessionCookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE);

/** The session cookie's value, read by the name this server sets, or null. */
export function readSessionCookie(request: FastifyRequest): string | null {
  const value = request.cookies?.[sessionCookieName(request.server.secureSessionCookie)];
  return value && value.length <= 200 ? value : null;
}

export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number) {
  const secure = reply.server.secureSessionCookie;
  reply.setCookie(sessionCookieName(secure), token, {
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  const secure = reply.server.secureSessionCookie;
  reply.clearCookie(sessionCookieName(secure), { httpOnly: true, secure, sameSite: 'lax', path: '/' });
}

export const isWrite = (request: FastifyRequest) => !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
