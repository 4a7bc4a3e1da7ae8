import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import { type BulkUserInput, bulkUpsertUsers } from '../../domain/users/bulk.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { type CsvShape, cells } from '../shared/bulk-csv.js';
import { readUpload, type UploadFormat } from '../shared/bulk-upload.js';
import { Nullable } from '../shared/fields.js';
import { BODY_LIMIT, BulkQuery, bulkBody, bulkJsonBody, MAX_ROWS, RowErrorSchema } from './bulk-schemas.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';
import { CreateUserBody } from './users.js';

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

const BulkJsonBody = bulkJsonBody('users', 'BulkUserRow');

const BulkCsvBody = Type.String({
  description:
    'A header row of BulkUserRow field names (custom fields as custom.<name>, lists separated by ";"), then one user per line. An empty cell leaves the field unchanged.',
});

const BulkResult = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer(),
  errors: Type.Array(RowErrorSchema),
});

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

const upload: UploadFormat = {
  row: rowRef,
  csv: csvShape,
  rowsKey: 'users',
  // CSV readers see their own column names: custom.<name>, not custom_fields.<name>.
  fieldOf: (path, csv) => {
    const field = path.join('.');
    return csv ? field.replace(/^custom_fields\./, 'custom.') : field;
  },
};

const tags = ['Users'];

export function userBulkRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(BulkUserRow);

  app.post('/users/bulk', {
    config: { gate: gates.writeUsers },
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
      body: bulkBody(BulkJsonBody, BulkCsvBody),
      response: { 200: envelope(BulkResult), ...errorResponses },
    },
    handler: async (request) => {
      const result = await bulkUpsertUsers(
        db,
        principalOf(request),
        readUpload<BulkUserInput>(request, request.query.mode, upload),
      );
      const { created, updated, unchanged, failed } = result;
      return ok(result, `${created} created, ${updated} updated, ${unchanged} unchanged, ${failed} failed`);
    },
  });
}
