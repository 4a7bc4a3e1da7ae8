import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as cycles from '../../domain/feedback/cycles.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { NullableDate } from './feedback-schemas.js';
import { listPaging, PageQuery } from './paging.js';

const CycleKind = Type.Union([Type.Literal('360'), Type.Literal('upward')], {
  description:
    '360: providers named per recipient. upward: the recipient’s direct reports (all of them by default).',
});
const FeedbackCycle = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    kind: CycleKind,
    template_id: Type.Integer(),
    due_on: NullableDate,
    created_by: Type.Integer(),
    created_at: Timestamp,
    requests: Type.Integer({
      description: 'One per recipient: GET /v1/feedback-requests?cycle_id= (for their readers).',
    }),
    asked: Type.Integer(),
    submitted: Type.Integer(),
    declined: Type.Integer(),
    pending: Type.Integer(),
  },
  { $id: 'FeedbackCycle' },
);
type CycleOut = typeof FeedbackCycle.static;
const toCycle = (c: cycles.CycleRow): CycleOut => ({
  ...c,
  requests: Number(c.requests),
  asked: Number(c.asked),
  submitted: Number(c.submitted),
  declined: Number(c.declined),
  pending: Number(c.pending),
});

const CreateBody = Type.Object(
  {
    name: Text(64, 1),
    kind: CycleKind,
    template_id: Id,
    due_on: Type.Optional(NullableDate),
    assignments: Type.Array(
      Type.Object(
        {
          recipient_id: Id,
          provider_ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200, uniqueItems: true })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'H1 360',
        kind: '360',
        template_id: 12,
        due_on: '2027-02-01',
        assignments: [{ recipient_id: 40, provider_ids: [41, 42, 43] }],
      },
    ],
  },
);
const tags = ['Feedback'];

export function feedbackCycleRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(FeedbackCycle);
  const one = { 200: envelope(Type.Ref(FeedbackCycle)), ...errorResponses };
  const gate = { gate: gates.manageFeedback };

  app.get('/feedback-cycles', {
    config: gate,
    schema: {
      tags,
      summary: 'List scheduled feedback cycles (admins)',
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: listEnvelope(Type.Ref(FeedbackCycle)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await cycles.listCycles(db, principalOf(request), await pageRequest(request));
      return { ...ok(page.rows.map(toCycle)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/feedback-cycles/:id', {
    config: gate,
    schema: { tags, summary: 'Get a feedback cycle (admins)', params: IdParams, response: one },
    handler: async (request) =>
      ok(toCycle(await cycles.getCycle(db, principalOf(request), request.params.id))),
  });

  app.post('/feedback-cycles', {
    config: gate,
    schema: {
      tags,
      summary: 'Start a 360 or upward feedback cycle (admins)',
      description:
        'One feedback request per recipient, in one transaction, with the template’s questions and anonymity. ' +
        'Upward providers must report directly to the recipient. The admin does not read the answers: the ' +
        'recipient and those who oversee them do, pooled once the anonymity threshold answered.',
      body: CreateBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const cycle = await cycles.createCycle(db, principalOf(request), request.body);
      return reply.status(201).send(ok(toCycle(cycle), 'Feedback cycle was created'));
    },
  });

  app.post('/feedback-cycles/:id/remind', {
    config: gate,
    schema: {
      tags,
      summary: 'Remind every provider of the cycle who has not answered (admins)',
      description: 'Records a feedback_request.reminder_due event per open request with providers pending.',
      params: IdParams,
      response: {
        200: envelope(
          Type.Object({
            cycle_id: Type.Integer(),
            reminded_requests: Type.Integer(),
            pending_providers: Type.Integer(),
          }),
        ),
        ...errorResponses,
      },
    },
    handler: async (request) =>
      ok(await cycles.remindCycle(db, principalOf(request), request.params.id), 'Reminders are on their way'),
  });
}
