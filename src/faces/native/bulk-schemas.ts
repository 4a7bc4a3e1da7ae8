import { type TSchema, Type } from '@sinclair/typebox';

/** The wire shapes both /v1 bulk uploads share: the mode, the JSON body, the row error. */
export const MAX_ROWS = 10_000;
/** 10,000 rows of a dozen fields, or with descriptions of a few hundred characters, fit in 20 MiB. */
export const BODY_LIMIT = 20 * 1024 * 1024;

const Mode = Type.Union([Type.Literal('all_or_nothing'), Type.Literal('partial')], {
  description: 'all_or_nothing (default): any bad row rejects the upload. partial: good rows are applied.',
});

/** The mode of a CSV upload, which has no body of its own to carry it. */
export const BulkQuery = Type.Object({ mode: Type.Optional(Mode) }, { additionalProperties: false });

/** `{ mode?, <rowsKey>: [...] }`: rows are checked one by one later, so that a bad row is a row error. */
export const bulkJsonBody = (rowsKey: string, rowName: string) =>
  Type.Object(
    {
      mode: Type.Optional(Mode),
      [rowsKey]: Type.Array(Type.Object({}, { additionalProperties: true }), {
        minItems: 1,
        maxItems: MAX_ROWS,
        description: `${rowName} objects. Each is checked on its own, so that a bad row is a row error, not a 400.`,
      }),
    },
    { additionalProperties: false },
  );

export const RowErrorSchema = Type.Object({
  row: Type.Integer({ description: '1-based data row (JSON) or the line it starts on (CSV).' }),
  field: Type.Optional(Type.String()),
  error: Type.String({ description: 'A code from docs/errors.md.' }),
  message: Type.String(),
});

/** The request body of a bulk route: JSON rows or CSV text. */
export const bulkBody = (json: TSchema, csv: TSchema) =>
  Type.Unsafe<unknown>({ content: { 'application/json': { schema: json }, 'text/csv': { schema: csv } } });
