import type { FastifyError, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import { errorToAnswer } from './error-handler.js';

/** The longest path parameter the router takes: a 320-character email, percent-encoded, fits. */
export const MAX_PARAM_LENGTH = 1024;

/** What the router refuses before any route runs, in the words a client can act on. */
const ROUTER_ERRORS: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL has a malformed percent-encoding.',
  FST_ERR_MAX_PARAM_LENGTH: `A path parameter is longer than ${MAX_PARAM_LENGTH} characters.`,
};

/** Fastify's frameworkErrors (a bad URL, an over-long path parameter) as the AppError a face answers. */
export function frameworkError(error: FastifyError, request: FastifyRequest): AppError {
  const description = error.code ? ROUTER_ERRORS[error.code] : undefined;
  return description ? new AppError('invalid_parameters', description) : errorToAnswer(error, request);
}
