import { api } from '../api/client';
import { apiError } from '../api/errors';
import type { paths } from '../api/schema';

type Answer = paths['/v1/users/bulk']['post']['responses'][200]['content']['application/json']['data'];
export type RowError = Answer['errors'][number];
export type UploadMode = 'all_or_nothing' | 'partial';

/** What an upload came to: applied (maybe with failed rows, in partial mode), or rejected whole. */
export type UploadOutcome =
  | ({ kind: 'applied' } & Answer)
  | { kind: 'rejected'; message: string; errors: RowError[]; requestId: string | null };

interface Rejection {
  error?: string;
  error_description?: string;
  request_id?: string;
  details?: unknown;
}

/**
 * Sends the file as it is: the API reads CSV itself (docs/bulk-upload.md) and numbers row errors by the line
 * each record starts on. One request, one transaction: a rejected upload (422 bulk_rejected) wrote nothing.
 * Any other failure (a bad header, no session) throws an ApiError for the banner.
 */
export async function uploadPeople(csv: string, mode: UploadMode): Promise<UploadOutcome> {
  const answer = await api.POST('/v1/users/bulk', {
    params: { query: { mode } },
    body: csv,
    bodySerializer: (body: unknown) => body as string,
    headers: { 'content-type': 'text/csv' },
  });
  if (answer.data) return { kind: 'applied', ...answer.data.data };
  const rejection = answer.error as Rejection | undefined;
  if (rejection?.error === 'bulk_rejected' && Array.isArray(rejection.details)) {
    return {
      kind: 'rejected',
      message: rejection.error_description ?? 'The upload was rejected; nothing was written.',
      errors: rejection.details as RowError[],
      requestId: rejection.request_id ?? answer.response.headers.get('x-request-id'),
    };
  }
  throw apiError(answer.error, answer.response);
}
