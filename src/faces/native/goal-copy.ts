import { Type } from '@sinclair/typebox';
import { copyGoal } from '../../domain/goals/copy.js';
import { principalOf } from '../../http/auth.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Nullable, Text } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, ok } from './envelope.js';
import { Goal } from './goals.js';

const Day = Type.String({ format: 'date' });

const CopyGoalBody = Type.Object(
  {
    name: Type.Optional(Text(255, 1)),
    period_id: Type.Optional(Nullable(Id)),
    starts_on: Type.Optional(Day),
    ends_on: Type.Optional(Day),
    owner_user_id: Type.Optional(Nullable(Id)),
    owner_team_id: Type.Optional(Nullable(Id)),
    owner_department_id: Type.Optional(Nullable(Id)),
    parent_id: Type.Optional(Nullable(Id)),
    include_milestones: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

export function goalCopyRoutes(app: App, { db }: FaceDeps) {
  app.post('/goals/:id/copy', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags: ['Goals'],
      summary: 'Copy a goal, typically into the next period, with its milestones reset',
      description:
        'Keeps the definition, owner (unless one is named), contributors, categories, tags and visibility. ' +
        'Milestones start again from their start value, without check-ins. Without period_id or dates the ' +
        "copy keeps the source's; it is aligned only under the parent_id given.",
      params: IdParams,
      body: CopyGoalBody,
      response: { 201: envelope(Type.Ref(Goal)), ...errorResponses },
    },
    handler: async (request, reply) => {
      const goal = await copyGoal(db, principalOf(request), request.params.id, request.body);
      return reply.status(201).send(ok(goal, 'Goal was copied successfully'));
    },
  });
}
