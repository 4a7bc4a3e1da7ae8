import type { FastifyError, FastifyRequest } from 'fastify';
import { constraintError } from '../domain/constraints.js';
import { AppError, type ErrorCode } from '../domain/errors.js';

/** Fastify's own error codes, mapped onto ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_parameters',
};

function toAppError(error: FastifyError): AppError | null {
  if (error instanceof AppError) return error;
  const database = constraintError(error);
  if (database) return database;
  if (error.validation) {
    const missing = error.validation.some((v) => v.keyword === 'required');
    const details = error.validation.map((v) => ({
      field: `${error.validationContext ?? ''}${v.instancePath}`.replace(/^body\/?/, '') || null,
      problem:
        v.keyword === 'additionalProperties' ? `unknown field "${v.params.additionalProperty}"` : v.message,
    }));
    return new AppError(
      missing ? 'missing_required_parameters' : 'invalid_parameters',
      error.message,
      details,
    );
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) return new AppError(mapped);
  if (error instanceof SyntaxError && error.statusCode === 400) return new AppError('malformed_json');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('invalid_parameters', error.message);
  }
  return null;
}

/** A request to a route that does not exist, as an error the face answers in its own shape. */
export const unknownRoute = (request: FastifyRequest) =>
  new AppError('unknown_route', `No route ${request.method} ${request.url.split('?')[0]}.`);

/**
 * Any failure as the AppError a client may see, or internal_error. A 500 never shows its message: the
 * log has it, with the request id.
 */
export function errorToAnswer(error: FastifyError, request: FastifyRequest): AppError {
  const known = toAppError(error);
  if (known) {
    if (known.status >= 500) request.log.error({ err: error }, 'request failed');
    return known;
  }
  request.log.error({ err: error }, 'unhandled error');
  return new AppError('internal_error');
}
