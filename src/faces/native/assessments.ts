import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import { assessmentScale, setAssessmentScale } from '../../domain/goals/assessment-scale.js';
import * as assessments from '../../domain/goals/assessments.js';
import { principalOf } from '../../http/auth.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Assessment = Type.Object(
  {
    id: Type.Integer(),
    goal_id: Type.Integer(),
    assessor_user_id: Type.Integer(),
    assessor_role: Type.Union(
      ['self', 'manager', 'team_lead', 'editor', 'admin'].map((r) => Type.Literal(r)),
      { description: 'In what capacity the assessor assessed: self is the owner.' },
    ),
    score: Type.Number(),
    scale_min: Type.Number({ description: 'The scale the score was given on.' }),
    scale_max: Type.Number(),
    comment: Nullable(Type.String()),
    before_end: Type.Boolean({ description: 'Given before the goal ended: a mid-cycle assessment.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Assessment' },
);

const Score = Type.Number({ minimum: -1_000_000, maximum: 1_000_000 });
const NewAssessmentBody = Type.Object(
  {
    score: Score,
    comment: Type.Optional(Nullable(Text(4000))),
    before_end: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const UpdateAssessmentBody = Type.Object(
  { score: Type.Optional(Score), comment: Type.Optional(Nullable(Text(4000))) },
  { additionalProperties: false, minProperties: 1 },
);

const Scale = Type.Object(
  {
    min: Score,
    max: Score,
    step: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    labels: Type.Array(Type.Object({ score: Score, label: Text(100, 1) }, { additionalProperties: false }), {
      maxItems: 101,
    }),
  },
  { additionalProperties: false, $id: 'AssessmentScale' },
);

const tags = ['Assessments'];

export function assessmentRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Assessment);
  app.addSchema(Scale);
  const one = { 200: envelope(Type.Ref(Assessment)), ...errorResponses };

  app.get('/goals/:id/assessments', {
    schema: {
      tags,
      summary: 'Assessments of a goal, oldest first',
      params: IdParams,
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: listEnvelope(Type.Ref(Assessment)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await assessments.listAssessments(
        db,
        principalOf(request),
        request.params.id,
        await pageRequest(request),
      );
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.post('/goals/:id/assessments', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Assess a goal at its end',
      description:
        "By the goal's owner (self), a manager up their chain, a lead of the owning team, an editor or an " +
        "admin; once per assessor. The score must be on the organisation's scale. Before the goal ends, send " +
        '"before_end": true.',
      params: IdParams,
      body: NewAssessmentBody,
      response: { 201: one[200], ...errorResponses },
    },
    handler: async (request, reply) => {
      const assessment = await assessments.assessGoal(
        db,
        principalOf(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send(ok(assessment, 'Assessment was created successfully'));
    },
  });

  app.patch('/assessments/:id', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Change your assessment',
      params: IdParams,
      body: UpdateAssessmentBody,
      response: one,
    },
    handler: async (request) => {
      const assessment = await assessments.updateAssessment(
        db,
        principalOf(request),
        request.params.id,
        request.body,
      );
      return ok(assessment, 'Assessment was updated successfully');
    },
  });

  const scaleResponse = { 200: envelope(Type.Ref(Scale)), ...errorResponses };
  app.get('/settings/assessment-scale', {
    schema: { tags, summary: 'The scale goals are assessed on', response: scaleResponse },
    handler: async (request) => ok(await assessmentScale(db, principalOf(request))),
  });

  app.put('/settings/assessment-scale', {
    config: { gate: gates.configureGoals },
    schema: {
      tags,
      summary: 'Set the assessment scale (admins)',
      description: 'Applies to new assessments; each existing one keeps the min and max it was given on.',
      body: Type.Ref(Scale),
      response: scaleResponse,
    },
    handler: async (request) =>
      ok(
        await setAssessmentScale(db, principalOf(request), request.body),
        'The assessment scale was updated',
      ),
  });
}
