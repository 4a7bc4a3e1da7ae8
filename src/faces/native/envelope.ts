import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { type AppError, errorRegistry } from '../../domain/errors.js';

/** The seed's success envelope: { success, message, data }. */
export const envelope = <T extends TSchema>(data: T) =>
  Type.Object({ success: Type.Literal(true), message: Type.String(), data });

export const listEnvelope = <T extends TSchema>(item: T) =>
  Type.Object({
    success: Type.Literal(true),
    message: Type.String(),
    data: Type.Array(item),
    total_count: Type.Integer({ description: 'Rows matching the filters, across all pages.' }),
    page: Type.Union([Type.Integer(), Type.Null()], { description: 'Null when paging by cursor.' }),
    size: Type.Integer(),
    next: Type.Union([Type.String(), Type.Null()], {
      description: 'URL of the next page, null on the last.',
    }),
    next_cursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Opaque cursor of the next page: deep pages cost the same as the first.',
    }),
  });

export const ErrorBody = Type.Object(
  {
    success: Type.Literal(false),
    message: Type.String(),
    error: Type.String({ description: 'A code from docs/errors.md.' }),
    error_description: Type.String(),
    request_id: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'Error' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const ok = <T>(data: T, message = 'OK') => ({ success: true as const, message, data });

/** The seed's error body: the registry's sentence, the precise reason and the request id. */
export function errorBody(request: Pick<FastifyRequest, 'id'>, error: AppError): ErrorBody {
  return {
    success: false as const,
    message: errorRegistry[error.code][1],
    error: error.code,
    error_description: error.message,
    request_id: request.id,
    ...(error.details !== undefined && { details: error.details }),
  };
}
