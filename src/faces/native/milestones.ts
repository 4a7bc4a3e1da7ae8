import { Type } from '@sinclair/typebox';
import * as milestones from '../../domain/goals/milestones.js';
import { principalOf } from '../../http/auth.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, ok } from './envelope.js';

const Day = Type.String({ format: 'date' });
/** Metric values: plain numbers, bounded so that a typo cannot overflow a report. */
const Value = Type.Number({ minimum: -1e15, maximum: 1e15 });
const Tolerance = Type.Number({ minimum: 0, maximum: 1e15 });

export const Unit = Type.Union(
  [Type.Literal('number'), Type.Literal('percent'), Type.Literal('currency'), Type.Literal('binary')],
  { description: 'binary is done / not done: 0 or 1.' },
);
const Direction = Type.Union([Type.Literal('increase'), Type.Literal('decrease'), Type.Literal('range')], {
  description:
    'increase: target above start; decrease: target below start; range: stay between start_value and target_value.',
});
const Interval = Type.Union([
  Type.Literal('daily'),
  Type.Literal('weekly'),
  Type.Literal('monthly'),
  Type.Literal('quarterly'),
]);
const MilestoneStatus = Type.Union([Type.Literal('open'), Type.Literal('closed')]);
export const ProgressColor = Type.Union(
  [Type.Literal('on_track'), Type.Literal('at_risk'), Type.Literal('needs_attention')],
  { description: 'Progress against the time elapsed (range metrics: against their thresholds), as of now.' },
);
const Confidence = Type.Number({ minimum: 0, maximum: 1, description: 'From 0 (no chance) to 1 (certain).' });

export const Milestone = Type.Object(
  {
    id: Type.Integer(),
    goal_id: Type.Integer(),
    owner_user_id: Type.Integer(),
    name: Type.String(),
    description: Nullable(Type.String()),
    unit: Unit,
    currency_code: Nullable(Type.String()),
    start_value: Type.Number(),
    target_value: Type.Number(),
    current_value: Type.Number(),
    direction: Direction,
    range_yellow: Nullable(Type.Number()),
    range_red: Nullable(Type.Number()),
    weight: Type.Number(),
    update_interval: Interval,
    confidence: Nullable(Type.Number()),
    progress: Type.Number({ minimum: 0, maximum: 100 }),
    progress_color: ProgressColor,
    position: Type.Integer(),
    status: MilestoneStatus,
    starts_on: Nullable(Day),
    ends_on: Nullable(Day),
    last_checkin_at: Nullable(Timestamp),
    created_by: Nullable(Type.Integer()),
    updated_by: Nullable(Type.Integer()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Milestone' },
);

const milestoneFields = {
  name: Text(255, 1),
  description: Type.Optional(Nullable(Text(2048))),
  owner_user_id: Type.Optional(Id),
  unit: Type.Optional(Unit),
  currency_code: Type.Optional(
    Nullable(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. USD.' })),
  ),
  start_value: Type.Optional(Value),
  target_value: Type.Optional(Value),
  direction: Type.Optional(Direction),
  range_yellow: Type.Optional(Nullable(Tolerance)),
  range_red: Type.Optional(Nullable(Tolerance)),
  weight: Type.Optional(
    Type.Number({ minimum: 0, maximum: 1000, description: 'Share in the goal (default 1).' }),
  ),
  update_interval: Type.Optional(Interval),
  confidence: Type.Optional(Nullable(Confidence)),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  status: Type.Optional(MilestoneStatus),
  starts_on: Type.Optional(Nullable(Day)),
  ends_on: Type.Optional(Nullable(Day)),
};

export const NewMilestoneBody = Type.Object(
  { ...milestoneFields, current_value: Type.Optional(Value) },
  { additionalProperties: false },
);
const UpdateMilestoneBody = Type.Partial(Type.Object(milestoneFields), {
  additionalProperties: false,
  minProperties: 1,
});

const tags = ['Milestones'];

export function milestoneRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(Milestone);
  const one = { 200: envelope(Type.Ref(Milestone)), ...errorResponses };

  app.get('/goals/:id/milestones', {
    schema: {
      tags,
      summary: "List a goal's milestones",
      params: IdParams,
      response: { 200: envelope(Type.Array(Type.Ref(Milestone))), ...errorResponses },
    },
    handler: async (request) =>
      ok(await milestones.listMilestones(db, principalOf(request), request.params.id)),
  });

  app.post('/goals/:id/milestones', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Add a milestone (key result) to a goal',
      description: "The goal's progress is recomputed and rolled up in the same transaction.",
      params: IdParams,
      body: NewMilestoneBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const m = await milestones.createMilestone(db, principalOf(request), request.params.id, request.body);
      return reply.status(201).send(ok(m, 'Milestone was created successfully'));
    },
  });

  app.get('/milestones/:id', {
    schema: { tags, summary: 'Get a milestone', params: IdParams, response: one },
    handler: async (request) =>
      ok(await milestones.getMilestone(db, principalOf(request), request.params.id)),
  });

  app.patch('/milestones/:id', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Update a milestone',
      description: 'The current value moves through check-ins only, so that its history is kept.',
      params: IdParams,
      body: UpdateMilestoneBody,
      response: one,
    },
    handler: async (request) => {
      const m = await milestones.updateMilestone(db, principalOf(request), request.params.id, request.body);
      return ok(m, 'Milestone was updated successfully');
    },
  });

  app.delete('/milestones/:id', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Delete a milestone',
      description: "It leaves the goal's progress; its check-ins stay in the history.",
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await milestones.deleteMilestone(db, principalOf(request), request.params.id);
      return ok({ id: request.params.id }, 'Milestone was deleted successfully');
    },
  });
}
