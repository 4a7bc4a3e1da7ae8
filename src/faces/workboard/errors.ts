import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppError } from '../../domain/errors.js';
import type { ErrorAnswer } from '../face.js';

/**
 * WorkBoard's error body, `{success: false, error, error_description}` (its spec's 400 envelope), with the
 * house's request id beside it. The status is the registry's own (docs/faces.md, "The WorkBoard face").
 */
export const WorkBoardError = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.String({ description: 'A code from docs/errors.md.' }),
    error_description: Type.String(),
    request_id: Type.String(),
  },
  { $id: 'WorkBoardError' },
);

export function workboardError(request: Pick<FastifyRequest, 'id'>, error: AppError): ErrorAnswer {
  return {
    status: error.status,
    body: {
      success: false,
      error: error.code,
      error_description: error.message,
      request_id: request.id,
    },
  };
}
