import { type Static, Type } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import {
  type BulkMode,
  type BulkUpload,
  type BulkUserInput,
  bulkUpsertUsers,
  type RowError,
} from '../../domain/users/bulk.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable } from '../shared/fields.js';
import { type CsvRecord, type CsvShape, cells, readCsv } from './bulk-csv.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';
import { CreateUserBody } from './users.js';

const MAX_ROWS = 10_000;
/** 10,000 rows of a dozen fields fit in well under 20 MiB of JSON or CSV. */
const BODY_LIMIT = 20 * 1024 * 1024;

const Mode = Type.Union([Type.Literal('all_or_nothing'), Type.Literal('partial')], {
  description: 'all_or_nothing (default): any bad row rejects the upload. partial: good rows are applied.',
});
const Email = Type.String({ format: 'email', maxLength: 320 });

export const BulkUserRow = Type.Object(
  {
    ...CreateUserBody.properties,
    manager_email: Type.Optional(Nullable(Email)),
    dotted_line_manager_emails: Type.Optional(Type.Array(Email, { maxItems: 20, uniqueItems: true })),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deactivated')])),
  },
  {
    $id: 'BulkUserRow',
    additionalProperties: false,
    description:
      'The fields of POST /v1/users, plus managers by email (they may be created by the same upload) and status.',
  },
);
const rowRef = Type.Ref(BulkUserRow);

const BulkJsonBody = Type.Object(
  {
    mode: Type.Optional(Mode),
    users: Type.Array(Type.Object({}, { additionalProperties: true }), {
      minItems: 1,
      maxItems: MAX_ROWS,
      description:
        'BulkUserRow objects. Each is checked on its own, so that a bad row is a row error, not a 400.',
    }),
  },
  { additionalProperties: false },
);

const BulkCsvBody = Type.String({
  description:
    'A header row of BulkUserRow field names (custom fields as custom.<name>, lists separated by ";"), then one user per line. An empty cell leaves the field unchanged.',
});

const BulkQuery = Type.Object({ mode: Type.Optional(Mode) }, { additionalProperties: false });

const RowErrorSchema = Type.Object({
  row: Type.Integer({ description: '1-based data row (JSON) or the line it starts on (CSV).' }),
  field: Type.Optional(Type.String()),
  error: Type.String({ description: 'A code from docs/errors.md.' }),
  message: Type.String(),
});

const BulkResult = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer(),
  errors: Type.Array(RowErrorSchema),
});

/** The first schema error of a row, in the row-error shape; CSV readers see their column names. */
function rowErrorOf(row: number, errors: ErrorObject[] | null | undefined, csv: boolean): RowError {
  const e = errors?.[0];
  if (e?.keyword === 'required') {
    const field = String(e.params.missingProperty);
    return { row, field, error: 'missing_required_parameters', message: `${field} is required.` };
  }
  if (e?.keyword === 'additionalProperties') {
    const field = String(e.params.additionalProperty);
    return { row, field, error: 'invalid_parameters', message: `Unknown field "${field}".` };
  }
  const path = (e?.instancePath ?? '').slice(1).replaceAll('/', '.');
  const field = csv ? path.replace(/^custom_fields\./, 'custom.') : path;
  return {
    row,
    ...(field && { field }),
    error: 'invalid_parameters',
    message: `${field} ${e?.message}`.trim(),
  };
}

const csvShape: CsvShape = {
  columns: new Set(Object.keys(BulkUserRow.properties).filter((k) => k !== 'custom_fields')),
  cell: {
    department_id: cells.id,
    manager_id: cells.id,
    data_admin: cells.boolean,
    dotted_line_manager_ids: (value) => cells.list(value).map(cells.id),
    dotted_line_manager_emails: cells.list,
  },
  customFields: true,
  maxRows: MAX_ROWS,
  noun: 'users',
};

/** Reads either body into rows that passed the row schema and row errors for the others. */
function readUpload(request: FastifyRequest, queryMode: BulkMode | undefined): BulkUpload {
  let records: CsvRecord[];
  let mode = queryMode;
  if (request.mediaType === 'text/csv') {
    records = readCsv(request.body as string, csvShape);
  } else if (request.mediaType === 'application/json') {
    const body = request.body as Static<typeof BulkJsonBody>;
    records = body.users.map((record, i) => ({ row: i + 1, record }));
    mode = body.mode ?? mode;
  } else {
    throw new AppError('unsupported_media_type', 'Send the users as application/json or text/csv.');
  }
  const validate = request.compileValidationSchema(rowRef, 'body');
  const upload: BulkUpload = { mode: mode ?? 'all_or_nothing', rows: [], invalid: [] };
  for (const { row, record } of records) {
    if (validate(record)) upload.rows.push({ row, input: record as unknown as BulkUserInput });
    else upload.invalid.push(rowErrorOf(row, validate.errors, request.mediaType === 'text/csv'));
  }
  return upload;
}

const tags = ['Users'];

export function userBulkRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(BulkUserRow);

  app.post('/users/bulk', {
    bodyLimit: BODY_LIMIT,
    schema: {
      tags,
      summary: 'Create or update users in bulk, from JSON or CSV',
      description:
        'Up to 10,000 rows. A row updates the user with its employee_id, else the user with its email, else creates one. ' +
        'Managers may be named by email, including people created by the same upload. One transaction: all_or_nothing ' +
        'answers 422 bulk_rejected with per-row details and writes nothing; partial applies the good rows and lists the ' +
        'others. For CSV, send the mode as ?mode=partial.',
      querystring: BulkQuery,
      body: Type.Unsafe<unknown>({
        content: { 'application/json': { schema: BulkJsonBody }, 'text/csv': { schema: BulkCsvBody } },
      }),
      response: { 200: envelope(BulkResult), ...errorResponses },
    },
    handler: async (request) => {
      const result = await bulkUpsertUsers(db, principalOf(request), readUpload(request, request.query.mode));
      const { created, updated, unchanged, failed } = result;
      return ok(result, `${created} created, ${updated} updated, ${unchanged} unchanged, ${failed} failed`);
    },
  });
}
