import { Type } from '@sinclair/typebox';
import * as checkins from '../../domain/goals/checkins.js';
import { principalOf } from '../../http/auth.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { Goal } from './goals.js';
import { listPaging, PageQuery } from './paging.js';

const CheckIn = Type.Object(
  {
    id: Type.Integer(),
    goal_id: Type.Integer(),
    milestone_id: Nullable(
      Type.Integer({ description: 'Null for a check-in on a goal without milestones.' }),
    ),
    user_id: Type.Integer(),
    api_key_id: Nullable(Type.Integer()),
    request_id: Nullable(Type.String()),
    value: Nullable(Type.Number()),
    comment: Nullable(Type.String()),
    confidence: Nullable(Type.Number()),
    closed_period_override: Type.Boolean({
      description: 'Recorded into a closed period with allow_closed_period.',
    }),
    checked_in_at: Timestamp,
    created_at: Timestamp,
  },
  { $id: 'CheckIn' },
);

/** Exported for the metric webhook receiver (hooks.ts), whose updates are check-ins with the same limits. */
export const CheckInBody = Type.Object(
  {
    value: Type.Optional(
      Type.Number({
        minimum: -1e15,
        maximum: 1e15,
        description: "The metric's new value; on a goal without milestones, its progress (0–100).",
      }),
    ),
    comment: Type.Optional(Text(4000, 1)),
    confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    checked_in_at: Type.Optional(
      Type.String({ format: 'date-time', description: 'Back-dating is allowed.' }),
    ),
    allow_closed_period: Type.Optional(
      Type.Boolean({
        description:
          'Record it even though the period is closed or the date lies outside the goal (audited).',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

const CheckInResult = Type.Object({ checkin: Type.Ref(CheckIn), goal: Type.Ref(Goal) });
const ListQuery = Type.Object(PageQuery, { additionalProperties: false });
const tags = ['Check-ins'];

export function checkinRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(CheckIn);
  const created = { 201: envelope(CheckInResult), ...errorResponses };
  const list = { 200: listEnvelope(Type.Ref(CheckIn)), ...errorResponses };
  const description =
    'Progress is recomputed and rolled up the alignment tree in the same transaction. Refused with 422 ' +
    'into a closed period or goal, or outside its dates, unless allow_closed_period is true.';

  app.post('/milestones/:id/checkins', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Check in on a milestone',
      description,
      params: IdParams,
      body: CheckInBody,
      response: created,
    },
    handler: async (request, reply) => {
      const result = await checkins.checkInMilestone(
        db,
        principalOf(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send(ok(result, 'Check-in was recorded successfully'));
    },
  });

  app.post('/goals/:id/checkins', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Check in on a goal without milestones',
      description,
      params: IdParams,
      body: CheckInBody,
      response: created,
    },
    handler: async (request, reply) => {
      const result = await checkins.checkInGoal(db, principalOf(request), request.params.id, request.body);
      return reply.status(201).send(ok(result, 'Check-in was recorded successfully'));
    },
  });

  app.get('/milestones/:id/checkins', {
    schema: {
      tags,
      summary: "A milestone's check-ins, newest first",
      params: IdParams,
      querystring: ListQuery,
      response: list,
    },
    handler: async (request) => {
      const page = await checkins.listMilestoneCheckins(
        db,
        principalOf(request),
        request.params.id,
        await pageRequest(request),
      );
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/goals/:id/checkins', {
    schema: {
      tags,
      summary: "A goal's check-ins (its milestones' included), newest first",
      params: IdParams,
      querystring: ListQuery,
      response: list,
    },
    handler: async (request) => {
      const page = await checkins.listGoalCheckins(
        db,
        principalOf(request),
        request.params.id,
        await pageRequest(request),
      );
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });
}
