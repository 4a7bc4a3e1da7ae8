import { Type } from '@sinclair/typebox';
import * as participants from '../../domain/conversations/participants.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Id } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { Conversation } from './conversations.js';
import { envelope, ok } from './envelope.js';

const ReassignBody = Type.Object(
  { manager_id: DescribedId('The new manager: an active person other than the report.') },
  { additionalProperties: false },
);
const GoalBody = Type.Object(
  { goal_id: DescribedId('A goal both participants may see.') },
  { additionalProperties: false },
);
const GoalParams = Type.Object({ id: Id, goal_id: Id });

const tags = ['Conversations'];

/** Who takes part in a conversation and which goals it discusses. */
export function conversationParticipantRoutes(app: App, { db }: FaceDeps) {
  const one = { 200: envelope(Type.Ref(Conversation)), ...errorResponses };

  app.post('/conversations/:id/reassign', {
    schema: {
      tags,
      summary: 'Replace the manager of a conversation (admins, HR admins in scope)',
      description:
        "While the manager's answers are not submitted; their unsubmitted draft and meeting confirmation are dropped.",
      params: IdParams,
      body: ReassignBody,
      response: one,
    },
    handler: async (request) => {
      const p = principalOf(request);
      return ok(await participants.reassignManager(db, p, request.params.id, request.body.manager_id));
    },
  });

  app.post('/conversations/:id/goals', {
    schema: {
      tags,
      summary: 'Add a goal to those discussed (participants)',
      description: 'Where the template allows goals; the goal must be visible to both participants.',
      params: IdParams,
      body: GoalBody,
      response: one,
    },
    handler: async (request) => {
      const p = principalOf(request);
      return ok(await participants.linkGoal(db, p, request.params.id, request.body.goal_id));
    },
  });

  app.delete('/conversations/:id/goals/:goal_id', {
    schema: {
      tags,
      summary: 'Take a goal off those discussed (participants)',
      params: GoalParams,
      response: one,
    },
    handler: async (request) => {
      const p = principalOf(request);
      return ok(await participants.unlinkGoal(db, p, request.params.id, request.params.goal_id));
    },
  });
}
