import { Type } from '@sinclair/typebox';
import { bulkCreateGoals } from '../../domain/goals/bulk.js';
import type { BulkGoalInput } from '../../domain/goals/bulk-types.js';
import { principalOf } from '../../http/auth.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { type CsvShape, cells } from '../shared/bulk-csv.js';
import { readUpload, type UploadFormat } from '../shared/bulk-upload.js';
import { Id, Nullable, Text } from '../shared/fields.js';
import { BODY_LIMIT, BulkQuery, bulkBody, bulkJsonBody, MAX_ROWS, RowErrorSchema } from './bulk-schemas.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';

const Day = Type.String({ format: 'date' });
const Key = Text(100, 1);
const Value = Type.Number({ minimum: -1e12, maximum: 1e12 });

const metricFields = {
  unit: Type.Optional(Type.Union([Type.Literal('number'), Type.Literal('percent'), Type.Literal('binary')])),
  direction: Type.Optional(Type.Union([Type.Literal('increase'), Type.Literal('decrease')])),
  start_value: Type.Optional(Value),
  target_value: Type.Optional(Value),
  current_value: Type.Optional(Value),
};
const Progress = Type.Number({ minimum: 0, maximum: 100 });
const OwnerEmail = Type.String({ format: 'email', maxLength: 320 });

const BulkMilestone = Type.Object(
  {
    name: Text(255, 1),
    progress: Type.Optional(Progress),
    owner_email: Type.Optional(OwnerEmail),
    ...metricFields,
  },
  { additionalProperties: false },
);

export const BulkGoalRow = Type.Object(
  {
    type: Type.Union([Type.Literal('goal'), Type.Literal('milestone')]),
    name: Text(255, 1),
    key: Type.Optional(Key),
    description: Type.Optional(Text(2048)),
    progress: Type.Optional(Progress),
    start_date: Type.Optional(Day),
    end_date: Type.Optional(Day),
    owner_email: Type.Optional(OwnerEmail),
    categories: Type.Optional(Type.Array(Text(100, 1), { maxItems: 20 })),
    goal_key: Type.Optional(Key),
    parent_key: Type.Optional(Key),
    parent_id: Type.Optional(Id),
    period: Type.Optional(Text(200, 1)),
    visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])),
    goal_type: Type.Optional(Type.Union([Type.Literal('personal'), Type.Literal('company')])),
    ...metricFields,
    milestones: Type.Optional(
      Type.Array(BulkMilestone, {
        maxItems: 50,
        description: "JSON only: a goal row's milestones inline, instead of milestone rows below it.",
      }),
    ),
  },
  {
    $id: 'BulkGoalRow',
    additionalProperties: false,
    description:
      "Betterworks' OKR upload columns (name, type, progress, start_date, end_date, owner_email, categories, " +
      'description), plus key / goal_key to link a milestone to its goal (default: the closest goal row above), ' +
      'parent_key (a goal row above) or parent_id (an existing goal), period by name, and a metric for milestones. ' +
      'In JSON a goal row may carry its milestones inline: 10,000 goals of 3 milestones each are 10,000 rows.',
  },
);
const rowRef = Type.Ref(BulkGoalRow);

const BulkJsonBody = bulkJsonBody('rows', 'BulkGoalRow');

const BulkCsvBody = Type.String({
  description:
    'A header row of BulkGoalRow field names, then one goal or milestone per line; categories separated by ";".',
});

const BulkResult = Type.Object({
  created_goals: Type.Integer(),
  created_milestones: Type.Integer(),
  failed: Type.Integer({ description: 'Rows not written (partial mode).' }),
  errors: Type.Array(RowErrorSchema),
  goals: Type.Array(Type.Object({ row: Type.Integer(), key: Nullable(Type.String()), id: Type.Integer() }), {
    description: 'The new goal of each goal row.',
  }),
});

const csvShape: CsvShape = {
  columns: new Set(Object.keys(BulkGoalRow.properties).filter((k) => k !== 'milestones')),
  cell: {
    progress: cells.number,
    parent_id: cells.id,
    start_value: cells.number,
    target_value: cells.number,
    current_value: cells.number,
    categories: cells.list,
  },
  customFields: false,
  maxRows: MAX_ROWS,
  noun: 'rows',
};

const upload: UploadFormat = {
  row: rowRef,
  csv: csvShape,
  rowsKey: 'rows',
  // A goal row's errors name its top-level field: an inline milestone's error names `milestones`.
  fieldOf: (path) => path[0] ?? '',
};

export function goalBulkRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(BulkGoalRow);

  app.post('/goals/bulk', {
    config: KEEPS_PRINCIPALS,
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: ['Goals'],
      summary: 'Create goals and milestones in bulk, from JSON or CSV',
      description:
        'Up to 10,000 rows, in one transaction: all_or_nothing answers 422 bulk_rejected with every row error ' +
        'and writes nothing; partial writes the valid rows and lists the others (a milestone or child of a ' +
        'failed goal row fails with it). For CSV, send the mode as ?mode=partial. Send an Idempotency-Key to ' +
        'retry safely.',
      querystring: BulkQuery,
      body: bulkBody(BulkJsonBody, BulkCsvBody),
      response: { 201: envelope(BulkResult), ...errorResponses },
    },
    handler: async (request, reply) => {
      const result = await bulkCreateGoals(
        db,
        principalOf(request),
        readUpload<BulkGoalInput>(request, request.query.mode, upload),
      );
      const message = `${result.created_goals} goals and ${result.created_milestones} milestones created, ${result.failed} rows failed`;
      return reply.status(201).send(ok(result, message));
    },
  });
}
