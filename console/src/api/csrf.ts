/**
 * The session's CSRF token (docs/sign-in.md), kept in memory only: after a reload it is read again from
 * /auth/session, so nothing about the session is ever written to local storage.
 */
let token: string | null = null;

export const CSRF_HEADER = 'X-CSRF-Token';
export const setCsrfToken = (value: string | null) => {
  token = value;
};
export const csrfToken = () => token;

/** Writes carry the token; reads do not need it. */
export const isWrite = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
