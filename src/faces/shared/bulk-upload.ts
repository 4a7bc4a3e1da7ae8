import type { TSchema } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import type { FastifyRequest } from 'fastify';
import type { BulkMode, BulkUpload, RowError } from '../../domain/bulk.js';
import { AppError } from '../../domain/errors.js';
import { type CsvRecord, type CsvShape, readCsv } from './bulk-csv.js';

/** How one face reads one kind of upload, as JSON or CSV. */
export interface UploadFormat {
  /** The row schema, registered with addSchema: each row is checked on its own, so a bad row is a row error. */
  row: TSchema;
  csv: CsvShape;
  /** The JSON body's property that holds the rows: `{ mode?, <rowsKey>: [...] }`. */
  rowsKey: string;
  /** The field a row error names, from the schema error's path segments. */
  fieldOf(path: string[], csv: boolean): string;
}

/** The first schema error of a row, in the row-error shape. */
function rowErrorOf(
  row: number,
  errors: ErrorObject[] | null | undefined,
  field: (path: string[]) => string,
): RowError {
  const e = errors?.[0];
  if (e?.keyword === 'required') {
    const missing = String(e.params.missingProperty);
    return { row, field: missing, error: 'missing_required_parameters', message: `${missing} is required.` };
  }
  if (e?.keyword === 'additionalProperties') {
    const unknown = String(e.params.additionalProperty);
    return { row, field: unknown, error: 'invalid_parameters', message: `Unknown field "${unknown}".` };
  }
  const named = field((e?.instancePath ?? '').slice(1).split('/'));
  return {
    row,
    ...(named && { field: named }),
    error: 'invalid_parameters',
    message: `${named} ${e?.message}`.trim(),
  };
}

/** Reads either body into the rows that passed the row schema and row errors for the others. */
export function readUpload<Input>(
  request: FastifyRequest,
  queryMode: BulkMode | undefined,
  format: UploadFormat,
): BulkUpload<Input> {
  let records: CsvRecord[];
  let mode = queryMode;
  const csv = request.mediaType === 'text/csv';
  if (csv) {
    records = readCsv(request.body as string, format.csv);
  } else if (request.mediaType === 'application/json') {
    const body = request.body as { mode?: BulkMode } & Record<string, Record<string, unknown>[]>;
    records = (body[format.rowsKey] ?? []).map((record, i) => ({ row: i + 1, record }));
    mode = body.mode ?? mode;
  } else {
    const noun = format.csv.noun;
    throw new AppError('unsupported_media_type', `Send the ${noun} as application/json or text/csv.`);
  }
  const validate = request.compileValidationSchema(format.row, 'body');
  const upload: BulkUpload<Input> = { mode: mode ?? 'all_or_nothing', rows: [], invalid: [] };
  const field = (path: string[]) => format.fieldOf(path, csv);
  for (const { row, record } of records) {
    if (validate(record)) upload.rows.push({ row, input: record as Input });
    else upload.invalid.push(rowErrorOf(row, validate.errors, field));
  }
  return upload;
}
