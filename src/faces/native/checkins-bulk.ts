import { Type } from '@sinclair/typebox';
import { type BulkCheckinInput, bulkCheckIn } from '../../domain/goals/checkin-bulk.js';
import { principalOf } from '../../http/auth.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { type CsvShape, cells } from '../shared/bulk-csv.js';
import { readUpload, type UploadFormat } from '../shared/bulk-upload.js';
import { DescribedId } from '../shared/fields.js';
import { BODY_LIMIT, BulkQuery, bulkBody, bulkJsonBody, MAX_ROWS, RowErrorSchema } from './bulk-schemas.js';
import { CheckInBody } from './checkins.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';

const { value, comment, confidence, checked_in_at } = CheckInBody.properties;

export const BulkCheckinRow = Type.Object(
  {
    milestone_id: DescribedId('The milestone checked in on.'),
    value: Type.Required(value),
    comment,
    confidence,
    checked_in_at,
  },
  {
    $id: 'BulkCheckinRow',
    additionalProperties: false,
    description: 'One check-in, as POST /v1/milestones/{id}/checkins takes it, with its milestone.',
  },
);

const BulkResult = Type.Object({
  applied: Type.Integer(),
  failed: Type.Integer({ description: 'Rows not applied (partial mode).' }),
  errors: Type.Array(RowErrorSchema),
  checkins: Type.Array(
    Type.Object({ row: Type.Integer(), id: Type.Integer(), milestone_id: Type.Integer() }),
    { description: 'The check-in each applied row made.' },
  ),
});

const csvShape: CsvShape = {
  columns: new Set(Object.keys(BulkCheckinRow.properties)),
  cell: { milestone_id: cells.id, value: cells.number, confidence: cells.number },
  customFields: false,
  maxRows: MAX_ROWS,
  noun: 'check-ins',
};

const upload: UploadFormat = {
  row: Type.Ref(BulkCheckinRow),
  csv: csvShape,
  rowsKey: 'checkins',
  fieldOf: (path) => path[0] ?? '',
};

export function checkinBulkRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(BulkCheckinRow);

  app.post('/checkins/bulk', {
    config: KEEPS_PRINCIPALS,
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: ['Check-ins'],
      summary: 'Check in on many milestones at once, from JSON or CSV',
      description:
        'Up to 10,000 check-ins in one transaction, each through the same rules as a single check-in. ' +
        'all_or_nothing (the default) answers 422 bulk_rejected with every row error and applies nothing; ' +
        'partial applies the rows that pass and lists the others. Rows are numbered from 1.',
      querystring: BulkQuery,
      body: bulkBody(bulkJsonBody('checkins', 'BulkCheckinRow'), Type.String()),
      response: { 201: envelope(BulkResult), ...errorResponses },
    },
    handler: async (request, reply) => {
      const result = await bulkCheckIn(
        db,
        principalOf(request),
        readUpload<BulkCheckinInput>(request, request.query.mode, upload),
      );
      const message = `${result.applied} check-ins applied, ${result.failed} rows failed`;
      return reply.status(201).send(ok(result, message));
    },
  });
}
