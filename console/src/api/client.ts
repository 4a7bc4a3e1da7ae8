import createClient, { type Middleware } from 'openapi-fetch';
import { CSRF_HEADER, csrfToken, isWrite } from './csrf';
import { apiError, reach } from './errors';
import type { components, paths } from './schema';

export type Goal = components['schemas']['Goal'];
export type Milestone = components['schemas']['Milestone'];
export type User = components['schemas']['User'];
export type ProgressColor = Goal['progress_color'];

const csrf: Middleware = {
  onRequest({ request }) {
    const token = csrfToken();
    if (token && isWrite(request.method)) request.headers.set(CSRF_HEADER, token);
    return request;
  },
};

/** The public /v1 API, typed from the server's OpenAPI document; the session cookie goes with each call. */
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  fetch: (request) => reach(request),
});
api.use(csrf);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The envelope of a successful answer; a failure (or no server at all) throws an ApiError. */
export async function unwrap<T>(pending: Promise<Answer<T>>): Promise<T> {
  const answer = await pending;
  if (answer.error !== undefined || answer.data === undefined) throw apiError(answer.error, answer.response);
  return answer.data;
}
