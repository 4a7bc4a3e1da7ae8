import { type Html, html } from './html.js';

/**
 * Where sign-in and the notice page send a person back to when they were sent there by /oauth/authorize
 * (docs/oauth.md). Only that page of this server: anything else (another host, `//evil.example`, a
 * backslash) is ignored, so the parameter can never be made an open redirect.
 */
const AUTHORIZE = '/oauth/authorize?';

export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 4000) return null;
  if (!value.startsWith(AUTHORIZE) || /[\\\s]/.test(value)) return null;
  return value;
}

/** A path with the return address carried along, when there is one. */
export const withReturnTo = (path: string, returnTo: string | null) =>
  returnTo ? `${path}?return_to=${encodeURIComponent(returnTo)}` : path;

/** The hidden field a form carries the return address in. */
export const returnToField = (returnTo: string | null): Html | null =>
  returnTo ? html`<input type="hidden" name="return_to" value="${returnTo}">` : null;
