import { ApiError } from '../api/errors';

/** Any failure in words, with the request id an admin can find in the server's log. */
export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div class="error-banner" role="alert">
      <p>{message}</p>
      {requestId && <p class="request-id">Request id: {requestId}</p>}
    </div>
  );
}
