import type { FastifyError, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../domain/errors.js';

/** Fastify's own error codes, mapped onto ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_parameters',
};

/** What a unique index guards, in the words a client understands. */
const UNIQUE_CONSTRAINTS: Record<string, string> = {
  users_email: 'A user with this email already exists.',
  users_employee_id: 'A user with this employee id already exists.',
  api_keys_name: 'An API key with this name already exists.',
  departments_name: 'A department with this name already exists under the same parent.',
  groups_name: 'A group with this name already exists.',
  teams_name: 'A team with this name already exists.',
};

/** PostgreSQL's constraint errors (PGlite raises the same codes): the index is the last word on uniqueness. */
function databaseError(error: { code?: unknown; constraint?: unknown }): AppError | null {
  if (error.code === '23505') {
    return new AppError('duplicate_resource', UNIQUE_CONSTRAINTS[String(error.constraint)] ?? undefined);
  }
  if (error.code === '23503') {
    return new AppError('invalid_operation', 'The request refers to an object that does not exist.');
  }
  return null;
}

function toAppError(error: FastifyError): AppError | null {
  if (error instanceof AppError) return error;
  const database = databaseError(error);
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
