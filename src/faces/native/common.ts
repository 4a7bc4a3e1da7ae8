import { type TSchema, Type } from '@sinclair/typebox';
import { ErrorBody } from '../../http/envelope.js';

/** A path id: digits only, so that another shape is a clear 400 rather than a 404. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
/** A user is addressed by id or by email, as in Betterworks' users/{email|id}. */
export const UserRefParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 320 }) });

const errorRef = Type.Ref(ErrorBody);
/** The error responses every authenticated route can give, for the OpenAPI document. */
export const errorResponses = {
  400: errorRef,
  401: errorRef,
  403: errorRef,
  404: errorRef,
  409: errorRef,
  422: errorRef,
} as const;

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Timestamp = Type.String({ format: 'date-time' });
export const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Strings a client writes: bounded, so that an oversize value is a clear 400. */
export const Text = (maxLength = 200, minLength = 0) => Type.String({ maxLength, minLength });

/** A free-form JSON object in a response, serialised as it is. */
export const FreeObject = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  additionalProperties: true,
});
