import { CSRF_HEADER, csrfToken } from './csrf';
import { apiError, reach } from './errors';

/** The /auth JSON answers (docs/sign-in.md); these routes have no response schema to type them from. */
export interface SignedIn {
  user_id: number;
  csrf_token: string;
  privacy_notice_pending: boolean;
}
export type Role = 'super_admin' | 'admin' | 'hr_admin' | 'member';
export interface SessionInfo {
  user_id: number;
  email: string;
  role: Role;
  csrf_token: string;
  privacy_notice_accepted: boolean;
}
export interface PrivacyNotice {
  version: number;
  text: string;
  accepted: boolean;
}

const json = { 'content-type': 'application/json', accept: 'application/json' };

/** One /auth call: the envelope's data, nothing for a 204, an ApiError for a failure. */
async function auth<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = csrfToken();
  const response = await reach(path, {
    method,
    credentials: 'same-origin',
    headers: { ...json, ...(method !== 'GET' && token && { [CSRF_HEADER]: token }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw apiError(parsed, response);
  return (parsed as { data: T } | undefined)?.data as T;
}

export const signIn = (email: string, password: string) =>
  auth<SignedIn>('POST', '/auth/sign-in', { email, password });
export const currentSession = () => auth<SessionInfo>('GET', '/auth/session');
export const privacyNotice = () => auth<PrivacyNotice>('GET', '/auth/notice');
// The notice route takes the version as the form field it also is: a string.
export const acceptNotice = (version: number) =>
  auth<void>('POST', '/auth/notice', { version: String(version) });
export const signOut = () => auth<void>('POST', '/auth/sign-out', {});
