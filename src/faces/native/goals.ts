import { Type } from '@sinclair/typebox';
import * as goals from '../../domain/goals/service.js';
import { goalTree } from '../../domain/goals/tree.js';
import { principalOf } from '../../http/auth.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, FreeObject, Id, Nullable, Text, Timestamp, TimestampParam } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { Milestone, NewMilestoneBody, ProgressColor } from './milestones.js';
import { listPaging, PageQuery } from './paging.js';

const Day = Type.String({ format: 'date' });
const GoalType = Type.Union([
  Type.Literal('company'),
  Type.Literal('department'),
  Type.Literal('team'),
  Type.Literal('personal'),
]);
const Visibility = Type.Union([Type.Literal('public'), Type.Literal('private'), Type.Literal('teams')], {
  description:
    'private: owner, contributors, managers up the chain and admins; teams: members of team_ids and those.',
});
const GoalStatus = Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('archived')]);
const ProgressSource = Type.Union([Type.Literal('milestones'), Type.Literal('children')], {
  description: 'milestones: weighted mean of its milestones; children: mean of the goals aligned under it.',
});
const Contributor = Type.Object({ user_id: Type.Integer(), can_edit: Type.Boolean() });

export const Goal = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Nullable(Type.String()),
    goal_type: GoalType,
    owner_user_id: Nullable(Type.Integer()),
    owner_team_id: Nullable(Type.Integer()),
    owner_department_id: Nullable(Type.Integer()),
    period_id: Nullable(Type.Integer()),
    starts_on: Day,
    ends_on: Day,
    visibility: Visibility,
    team_ids: Type.Array(Type.Integer()),
    status: GoalStatus,
    parent_id: Nullable(Type.Integer({ description: 'The goal this one is aligned under.' })),
    progress_source: ProgressSource,
    progress: Type.Number({ minimum: 0, maximum: 100 }),
    progress_color: ProgressColor,
    last_checkin_at: Nullable(Timestamp),
    contributors: Type.Array(Contributor),
    categories: Type.Array(Type.String()),
    tags: Type.Array(Type.String()),
    custom_fields: FreeObject,
    milestones: Type.Array(Type.Ref(Milestone)),
    created_by: Nullable(Type.Integer()),
    updated_by: Nullable(Type.Integer()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Goal' },
);

const CustomFields = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean(), Type.Null()]),
  { maxProperties: 50 },
);

const goalFields = {
  name: Text(255, 1),
  description: Type.Optional(Nullable(Text(2048))),
  goal_type: Type.Optional(GoalType),
  owner_user_id: Type.Optional(Nullable(Id)),
  owner_team_id: Type.Optional(Nullable(Id)),
  owner_department_id: Type.Optional(Nullable(Id)),
  period_id: Type.Optional(Nullable(Id)),
  starts_on: Type.Optional(Day),
  ends_on: Type.Optional(Day),
  visibility: Type.Optional(Visibility),
  team_ids: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
  status: Type.Optional(GoalStatus),
  parent_id: Type.Optional(Nullable(Id)),
  progress_source: Type.Optional(ProgressSource),
  contributors: Type.Optional(
    Type.Array(
      Type.Object({ user_id: Id, can_edit: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      {
        maxItems: 100,
      },
    ),
  ),
  categories: Type.Optional(Type.Array(Text(100, 1), { maxItems: 20 })),
  tags: Type.Optional(Type.Array(Text(50, 1), { maxItems: 50 })),
  custom_fields: Type.Optional(CustomFields),
};

const CreateGoalBody = Type.Object(
  { ...goalFields, milestones: Type.Optional(Type.Array(NewMilestoneBody, { maxItems: 50 })) },
  { additionalProperties: false },
);
const UpdateGoalBody = Type.Partial(Type.Object(goalFields), {
  additionalProperties: false,
  minProperties: 1,
});

const ListQuery = Type.Object(
  {
    ...PageQuery,
    owner_id: Type.Optional(DescribedId('Goals owned by this user.')),
    team_id: Type.Optional(DescribedId('Goals owned by this team.')),
    department_id: Type.Optional(DescribedId('Goals owned by this department.')),
    period_id: Type.Optional(Id),
    parent_id: Type.Optional(DescribedId('Goals aligned directly under this one.')),
    status: Type.Optional(GoalStatus),
    goal_type: Type.Optional(GoalType),
    updated_since: Type.Optional(TimestampParam),
    q: Type.Optional(Text(100, 1)),
  },
  { additionalProperties: false },
);

const TreeNode = Type.Recursive(
  (This) =>
    Type.Object({
      id: Type.Integer(),
      parent_id: Nullable(Type.Integer()),
      name: Type.String(),
      goal_type: GoalType,
      owner_user_id: Nullable(Type.Integer()),
      owner_team_id: Nullable(Type.Integer()),
      owner_department_id: Nullable(Type.Integer()),
      status: GoalStatus,
      progress_source: ProgressSource,
      progress: Type.Number(),
      progress_color: ProgressColor,
      starts_on: Day,
      ends_on: Day,
      has_more: Type.Boolean({ description: 'Goals are aligned under this one below the depth limit.' }),
      children: Type.Array(This),
    }),
  { $id: 'GoalTreeNode' },
);
const TreeQuery = Type.Object(
  {
    depth: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 20, description: 'Levels below the goal (default 5).' }),
    ),
  },
  { additionalProperties: false },
);

const tags = ['Goals'];

export function goalRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Goal);
  app.addSchema(TreeNode);
  const one = { 200: envelope(Type.Ref(Goal)), ...errorResponses };

  app.get('/goals', {
    schema: {
      tags,
      summary: 'List goals you can see',
      description: 'With their milestones inline. Deep pages: follow next_cursor.',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Goal)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await goals.listGoals(db, principalOf(request), request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.post('/goals', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Create a goal, with milestones if given',
      description: 'The owner defaults to the caller. Send period_id, or starts_on and ends_on.',
      body: CreateGoalBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const goal = await goals.createGoal(db, principalOf(request), request.body);
      return reply.status(201).send(ok(goal, 'Goal was created successfully'));
    },
  });

  app.get('/goals/:id', {
    schema: { tags, summary: 'Get a goal', params: IdParams, response: one },
    handler: async (request) => ok(await goals.getGoal(db, principalOf(request), request.params.id)),
  });

  app.patch('/goals/:id', {
    config: KEEPS_PRINCIPALS,
    schema: { tags, summary: 'Update a goal', params: IdParams, body: UpdateGoalBody, response: one },
    handler: async (request) => {
      const goal = await goals.updateGoal(db, principalOf(request), request.params.id, request.body);
      return ok(goal, 'Goal was updated successfully');
    },
  });

  app.delete('/goals/:id', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Delete a goal',
      description: 'Its milestones go with it; goals aligned under it become top-level goals.',
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await goals.deleteGoal(db, principalOf(request), request.params.id);
      return ok({ id: request.params.id }, 'Goal was deleted successfully');
    },
  });

  app.get('/goals/:id/tree', {
    schema: {
      tags,
      summary: 'The goal and the goals aligned under it, with progress',
      description: 'Goals you cannot see are left out, with everything under them.',
      params: IdParams,
      querystring: TreeQuery,
      response: { 200: envelope(Type.Ref(TreeNode)), ...errorResponses },
    },
    handler: async (request) =>
      ok(await goalTree(db, principalOf(request), request.params.id, request.query.depth ?? 5)),
  });
}
