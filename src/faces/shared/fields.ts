import { type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';

/** Field types every face's schemas use. */

const primitives = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * `T` or null. A plain primitive becomes one schema with a type list (`type: ['string', 'null']`), which
 * fast-json-stringify writes directly; for an `anyOf` it runs a validator on every value it serialises,
 * which made a page of 100 goals spend more time choosing branches than writing JSON.
 */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const plain = primitives.has(schema.type) && !('const' in schema) && !('enum' in schema);
  if (plain) return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
  return Type.Unsafe<Static<T> | null>(Type.Union([schema, Type.Null()]));
}
/** A moment in a response: ISO 8601 in UTC to the millisecond, as rows carry it (db/connect.ts momentOf). */
export const Timestamp = Type.String({ format: 'date-time' });
/** A moment a client sends (a query parameter): ISO 8601. */
export const TimestampParam = Type.String({ format: 'date-time' });

/** Strings a client writes: bounded, so that an oversize value is a clear 400. */
export const Text = (maxLength = 200, minLength = 0) => Type.String({ maxLength, minLength });

/** A free-form JSON object in a response, serialised as it is. */
export const FreeObject = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  additionalProperties: true,
});

/**
 * Ids are bigint in the database; past JavaScript's safe integers they would not even round-trip, so a
 * larger one (9223372036854775808, 1e308) is a 400 at the schema rather than a database error.
 */
const ID_RANGE = { minimum: 1, maximum: Number.MAX_SAFE_INTEGER };
/** An id a client sends: in a path, a body or a query filter. */
export const Id = Type.Integer(ID_RANGE);
/** An id a client sends, with the description the OpenAPI document shows. */
export const DescribedId = (description: string) => Type.Integer({ ...ID_RANGE, description });
