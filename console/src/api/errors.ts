/** An API failure in words: the envelope's description and the request id to quote to an admin. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

interface ErrorEnvelope {
  error?: string;
  error_description?: string;
  message?: string;
  request_id?: string;
}

/** The error envelope of a failed answer (docs/errors.md), or what the status alone says when it has none. */
export function apiError(body: unknown, response: Response): ApiError {
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as ErrorEnvelope;
  const requestId = envelope.request_id ?? response.headers.get('x-request-id');
  const words = envelope.error_description ?? envelope.message ?? `The server answered ${response.status}.`;
  return new ApiError(envelope.error ?? 'http_error', words, response.status, requestId);
}

/** fetch, with a failure to reach the server turned into an ApiError like any other. */
export async function reach(input: Request | string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch {
    throw new ApiError('unreachable', 'The server could not be reached. Check your connection.', 0, null);
  }
}
