import { Type } from '@sinclair/typebox';
import { Id } from '../shared/fields.js';
import { ErrorBody } from './envelope.js';

/** A path id: digits only, so that another shape is a clear 400 rather than a 404. */
export const IdParams = Type.Object({ id: Id });
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
