import { type Static, Type } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { bulkCreateGoals } from '../../domain/goals/bulk.js';
import type { BulkGoalInput, BulkGoalUpload, BulkMode, RowError } from '../../domain/goals/bulk-types.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text } from '../shared/fields.js';
import { type CsvRecord, type CsvShape, cells, readCsv } from './bulk-csv.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';

const MAX_ROWS = 10_000;
/** 10,000 rows with descriptions of a few hundred characters fit in 20 MiB. */
const BODY_LIMIT = 20 * 1024 * 1024;

const Mode = Type.Union([Type.Literal('all_or_nothing'), Type.Literal('partial')], {
  description: 'all_or_nothing (default): any bad row rejects the upload. partial: good rows are applied.',
});
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
    parent_id: Type.Optional(Type.Integer({ minimum: 1 })),
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

const BulkJsonBody = Type.Object(
  {
    mode: Type.Optional(Mode),
    rows: Type.Array(Type.Object({}, { additionalProperties: true }), {
      minItems: 1,
      maxItems: MAX_ROWS,
      description:
        'BulkGoalRow objects. Each is checked on its own, so that a bad row is a row error, not a 400.',
    }),
  },
  { additionalProperties: false },
);

const BulkCsvBody = Type.String({
  description:
    'A header row of BulkGoalRow field names, then one goal or milestone per line; categories separated by ";".',
});

const RowErrorSchema = Type.Object({
  row: Type.Integer({ description: '1-based data row (JSON) or the line it starts on (CSV).' }),
  field: Type.Optional(Type.String()),
  error: Type.String({ description: 'A code from docs/errors.md.' }),
  message: Type.String(),
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

function rowErrorOf(row: number, errors: ErrorObject[] | null | undefined): RowError {
  const e = errors?.[0];
  if (e?.keyword === 'required') {
    const field = String(e.params.missingProperty);
    return { row, field, error: 'missing_required_parameters', message: `${field} is required.` };
  }
  if (e?.keyword === 'additionalProperties') {
    const field = String(e.params.additionalProperty);
    return { row, field, error: 'invalid_parameters', message: `Unknown field "${field}".` };
  }
  const field = (e?.instancePath ?? '').slice(1).split('/')[0] ?? '';
  return {
    row,
    ...(field && { field }),
    error: 'invalid_parameters',
    message: `${field} ${e?.message}`.trim(),
  };
}

function readUpload(request: FastifyRequest, queryMode: BulkMode | undefined): BulkGoalUpload {
  let records: CsvRecord[];
  let mode = queryMode;
  if (request.mediaType === 'text/csv') {
    records = readCsv(request.body as string, csvShape);
  } else if (request.mediaType === 'application/json') {
    const body = request.body as Static<typeof BulkJsonBody>;
    records = body.rows.map((record, i) => ({ row: i + 1, record }));
    mode = body.mode ?? mode;
  } else {
    throw new AppError('unsupported_media_type', 'Send the rows as application/json or text/csv.');
  }
  const validate = request.compileValidationSchema(rowRef, 'body');
  const upload: BulkGoalUpload = { mode: mode ?? 'all_or_nothing', rows: [], invalid: [] };
  for (const { row, record } of records) {
    if (validate(record)) upload.rows.push({ row, input: record as unknown as BulkGoalInput });
    else upload.invalid.push(rowErrorOf(row, validate.errors));
  }
  return upload;
}

export function goalBulkRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(BulkGoalRow);

  app.post('/goals/bulk', {
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: ['Goals'],
      summary: 'Create goals and milestones in bulk, from JSON or CSV',
      description:
        'Up to 10,000 rows, in one transaction: all_or_nothing answers 422 bulk_rejected with every row error ' +
        'and writes nothing; partial writes the valid rows and lists the others (a milestone or child of a ' +
        'failed goal row fails with it). For CSV, send the mode as ?mode=partial. Send an Idempotency-Key to ' +
        'retry safely.',
      querystring: Type.Object({ mode: Type.Optional(Mode) }, { additionalProperties: false }),
      body: Type.Unsafe<unknown>({
        content: { 'application/json': { schema: BulkJsonBody }, 'text/csv': { schema: BulkCsvBody } },
      }),
      response: { 201: envelope(BulkResult), ...errorResponses },
    },
    handler: async (request, reply) => {
      const result = await bulkCreateGoals(db, principalOf(request), readUpload(request, request.query.mode));
      const message = `${result.created_goals} goals and ${result.created_milestones} milestones created, ${result.failed} rows failed`;
      return reply.status(201).send(ok(result, message));
    },
  });
}
