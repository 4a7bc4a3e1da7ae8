/**
 * The one error registry: code → HTTP status and the sentence a client reads. docs/errors.md lists the
 * same codes; a test fails when the two differ.
 */
export const errorRegistry = {
  missing_access_token: [401, 'No API key was sent. Send it as "Authorization: Bearer <key>".'],
  invalid_access_token: [401, 'The API key is invalid.'],
  access_token_revoked: [401, 'The API key has been revoked.'],
  access_token_in_query: [
    400,
    'API keys are never accepted in the URL. Send it as "Authorization: Bearer <key>".',
  ],
  invalid_session: [401, 'The session is invalid, expired or signed out. Sign in again.'],
  invalid_credentials: [401, 'The email or password is incorrect.'],
  csrf_token_invalid: [
    403,
    "A write with a session cookie must send the session's CSRF token in the X-CSRF-Token header.",
  ],
  sign_in_locked: [
    429,
    'Too many failed sign-ins. Retry after the number of seconds in the Retry-After header.',
  ],
  sso_not_configured: [404, 'This organisation does not sign its people in through an identity provider.'],
  sso_failed: [401, 'Sign-in through the identity provider did not succeed. Start again.'],
  weak_password: [422, 'The password does not meet the password rules.'],
  invalid_link: [400, 'The link is invalid, has expired or was already used.'],
  user_deactivated: [403, 'The user this API key belongs to is deactivated.'],
  privacy_notice_not_accepted: [403, 'The key holder has not accepted the privacy notice.'],
  insufficient_access: [403, 'You do not have access to the requested resource.'],
  invalid_resource_id: [404, 'The resource id does not exist or is invalid.'],
  unknown_route: [404, 'There is no such route.'],
  missing_required_parameters: [400, 'The request did not pass all of the required parameters.'],
  invalid_parameters: [400, 'One or more parameters are invalid.'],
  malformed_json: [400, 'The request body is not valid JSON.'],
  invalid_cursor: [400, 'The cursor is invalid or belongs to another query.'],
  payload_too_large: [413, 'The request body is too large.'],
  unsupported_media_type: [415, 'The request body has an unsupported content type.'],
  headers_too_large: [431, 'The request headers are too large.'],
  request_timeout: [408, 'The request was not received in time.'],
  duplicate_resource: [409, 'A resource with the same unique value already exists.'],
  idempotency_key_reused: [409, 'This Idempotency-Key was already used with a different request.'],
  idempotency_key_in_progress: [409, 'A request with this Idempotency-Key is still being processed.'],
  invalid_operation: [422, 'The request is well-formed but cannot be applied.'],
  calibration_cycle_locked: [
    422,
    'The calibration cycle is locked or closed: its talent records and sessions no longer change.',
  ],
  bulk_rejected: [422, 'The upload was rejected; nothing was written. See the per-row errors.'],
  invalid_webhook_url: [404, 'The webhook URL does not exist, or the webhook is paused.'],
  invalid_webhook_action: [400, "The webhook action doesn't exist or is invalid."],
  invalid_webhook_secret: [401, "The webhook signature doesn't match."],
  invalid_client_id: [401, 'The client id is unknown, or the app was deleted.'],
  invalid_client_hash: [401, 'The client hash is wrong, missing or expired.'],
  invalid_redirect_uri: [400, "The redirect URI is not one of the app's registered redirect URIs."],
  invalid_auth_code: [
    400,
    'The authorization code is invalid, was already used, or was issued for another request.',
  ],
  auth_code_expired: [400, 'The authorization code has expired: codes are valid for 5 minutes.'],
  invalid_grant: [400, 'The refresh token is invalid, revoked or expired.'],
  invalid_scope: [400, 'The requested scope is unknown, or wider than the grant.'],
  unsupported_grant_type: [400, 'The grant type is not supported: use authorization_code or refresh_token.'],
  invalid_endpoint_url: [
    422,
    'The webhook endpoint URL is refused: it must be https and reach a public address.',
  ],
  rate_limited: [429, 'Too many requests. Retry after the number of seconds in the Retry-After header.'],
  internal_error: [500, 'Something went wrong on our side. Quote the request id when reporting it.'],
  not_ready: [503, 'The server is not ready.'],
  mail_not_sent: [503, 'The mail could not be sent; nothing was changed. Try again later.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof errorRegistry;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** A precise, safe-to-show description; defaults to the registry's sentence. */
    readonly description?: string,
    readonly details?: unknown,
  ) {
    super(description ?? errorRegistry[code][1]);
    this.status = errorRegistry[code][0];
  }
}

/** What each unique index of an area guards, in the words a client understands (domain/constraints.ts). */
export type UniqueConstraints = Readonly<Record<string, string>>;

export const notFound = (what = 'resource') =>
  new AppError('invalid_resource_id', `The ${what} does not exist or you do not have access to it.`);
export const forbidden = (description?: string) => new AppError('insufficient_access', description);
