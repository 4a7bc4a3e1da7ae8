import { Type } from '@sinclair/typebox';
import { type BulkRecordInput, bulkUpdateRecords } from '../../domain/calibration/record-bulk.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { type CsvShape, cells } from '../shared/bulk-csv.js';
import { readUpload, type UploadFormat } from '../shared/bulk-upload.js';
import { Id } from '../shared/fields.js';
import { BODY_LIMIT, BulkQuery, bulkBody, bulkJsonBody, MAX_ROWS, RowErrorSchema } from './bulk-schemas.js';
import { PatchBody } from './calibration-talent-records.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, ok } from './envelope.js';

export const BulkTalentRecordRow = Type.Object(
  {
    user_id: Type.Optional(Id),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    ...PatchBody.properties,
  },
  {
    $id: 'BulkTalentRecordRow',
    additionalProperties: false,
    description:
      'The person, by user_id or by email (one of the two), and the fields of PATCH …/talent-records/{id}, ' +
      'each under the same rules.',
    examples: [{ email: 'ada@example.com', calibrated_performance: '65 - Exceeds Expectations' }],
  },
);

const BulkJsonBody = bulkJsonBody('records', 'BulkTalentRecordRow');

const BulkCsvBody = Type.String({
  description:
    'A header row of BulkTalentRecordRow field names, then one person per line. An empty cell leaves the field ' +
    'unchanged (CSV cannot clear a value: send JSON null for that).',
});

const BulkResult = Type.Object({
  updated: Type.Integer({ description: 'Records with at least one field changed.' }),
  unchanged: Type.Integer({ description: 'Rows that restated what the record held.' }),
  failed: Type.Integer({ description: 'Rows not written (partial mode).' }),
  errors: Type.Array(RowErrorSchema),
});

const csvShape: CsvShape = {
  columns: new Set(Object.keys(BulkTalentRecordRow.properties)),
  cell: { user_id: cells.id },
  customFields: false,
  maxRows: MAX_ROWS,
  noun: 'talent records',
};

const upload: UploadFormat = {
  row: Type.Ref(BulkTalentRecordRow),
  csv: csvShape,
  rowsKey: 'records',
  fieldOf: (path) => path[0] ?? '',
};

export function calibrationRecordBulkRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(BulkTalentRecordRow);

  app.post('/calibration/cycles/:id/talent-records/bulk', {
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: ['Calibration'],
      summary: "Propose or calibrate many of a cycle's talent records, from JSON or CSV",
      description:
        'Up to 10,000 rows in one transaction, each under the rules of the PATCH (proposed values by the ' +
        "person's manager, calibrated values and notes by calibrators, ratings on the scale), with the same " +
        'history and audit rows. all_or_nothing answers 422 bulk_rejected with every row error and writes ' +
        'nothing; partial writes the valid rows and lists the others. A cycle that is not open is refused whole ' +
        '(422 calibration_cycle_locked). For CSV, send the mode as ?mode=partial. Send an Idempotency-Key to ' +
        'retry safely.',
      params: IdParams,
      querystring: BulkQuery,
      body: bulkBody(BulkJsonBody, BulkCsvBody),
      response: { 200: envelope(BulkResult), ...errorResponses },
    },
    handler: async (request) => {
      const result = await bulkUpdateRecords(
        db,
        principalOf(request),
        request.params.id,
        readUpload<BulkRecordInput>(request, request.query.mode, upload),
      );
      const { updated, unchanged, failed } = result;
      return ok(result, `${updated} updated, ${unchanged} unchanged, ${failed} failed`);
    },
  });
}
