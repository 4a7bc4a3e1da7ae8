import { Type } from '@sinclair/typebox';
import * as requests from '../../domain/feedback/requests.js';
import { respond } from '../../domain/feedback/responses.js';
import { requestResults } from '../../domain/feedback/results.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { FeedbackResponse } from './feedback.js';
import { Anonymity, NullableDate } from './feedback-schemas.js';
import { listPaging, PageQuery } from './paging.js';
import { Answers, Question } from './question-schemas.js';

const AskStatus = Type.Union([Type.Literal('pending'), Type.Literal('declined'), Type.Literal('submitted')]);
const Counts = Type.Object({
  asked: Type.Integer(),
  submitted: Type.Integer(),
  declined: Type.Integer(),
  pending: Type.Integer(),
});

const FeedbackRequest = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.Union(
      [Type.Literal('self_requested'), Type.Literal('manager_requested'), Type.Literal('scheduled')],
      { description: 'scheduled: one recipient of a 360 or upward cycle (cycle_id).' },
    ),
    cycle_id: Nullable(Type.Integer()),
    requester_user_id: Type.Integer({
      description: 'For a scheduled request, the admin who made the cycle.',
    }),
    recipient_user_id: Type.Integer(),
    template_id: Type.Integer(),
    questions: Type.Array(Type.Ref(Question), {
      description: 'The questions as asked, whatever the template became.',
    }),
    anonymity: Anonymity,
    managers_can_read: Type.Boolean(),
    message: Nullable(Type.String()),
    due_on: NullableDate,
    status: Type.Union([Type.Literal('open'), Type.Literal('cancelled')]),
    cancelled_at: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Timestamp,
    provider_ids: Nullable(
      Type.Array(Type.Integer(), {
        description: 'Who was asked; null for a provider who reads nothing else.',
      }),
    ),
    counts: Type.Union([Counts, Type.Null()]),
    providers: Type.Union(
      [
        Type.Array(
          Type.Object({
            user_id: Type.Integer(),
            status: AskStatus,
            decline_reason: Nullable(Type.String()),
          }),
        ),
        Type.Null(),
      ],
      { description: "Each provider's status: null where providers are anonymous to you." },
    ),
    decline_reasons: Nullable(
      Type.Array(Type.String(), {
        description: 'Where providers are anonymous to you: the reasons alone, in text order.',
      }),
    ),
    your_status: Type.Union([AskStatus, Type.Null()], {
      description: 'Your own answer, when you were asked.',
    }),
  },
  { $id: 'FeedbackRequest' },
);

const QuestionResult = Type.Object({
  question_id: Type.Integer(),
  type: Type.String(),
  text: Type.String(),
  answered: Type.Integer(),
  texts: Nullable(Type.Array(Type.String())),
  average: Nullable(Type.Number()),
  distribution: Nullable(Type.Array(Type.Object({ value: Type.Integer(), count: Type.Integer() }))),
  options: Nullable(Type.Array(Type.Object({ option: Type.String(), count: Type.Integer() }))),
});
const Results = Type.Object({
  request_id: Type.Integer(),
  submitted: Type.Integer(),
  threshold: Type.Integer(),
  anonymous_to_you: Type.Boolean(),
  withheld: Type.Boolean(),
  withheld_reason: Nullable(Type.String()),
  questions: Type.Array(QuestionResult),
});

const ProviderIds = Type.Array(Id, { minItems: 1, maxItems: 200, uniqueItems: true });
const CreateBody = Type.Object(
  {
    recipient_id: Type.Optional(
      DescribedId('Whom the feedback is about: yourself (the default) or one of your reports.'),
    ),
    template_id: Id,
    provider_ids: ProviderIds,
    message: Type.Optional(Nullable(Text(2000))),
    due_on: Type.Optional(NullableDate),
  },
  {
    additionalProperties: false,
    examples: [{ template_id: 12, provider_ids: [34, 35, 36], due_on: '2027-01-15' }],
  },
);
const ListQuery = Type.Object(
  {
    ...PageQuery,
    recipient_id: Type.Optional(DescribedId('Requests about this person.')),
    manager_id: Type.Optional(DescribedId("Requests about this manager's direct reports.")),
    requester_id: Type.Optional(DescribedId('Requests this person made.')),
    provider_id: Type.Optional(
      DescribedId('Requests this person was asked on (yours, or those you read in full).'),
    ),
    template_id: Type.Optional(Id),
    kind: Type.Optional(
      Type.Union([
        Type.Literal('self_requested'),
        Type.Literal('manager_requested'),
        Type.Literal('scheduled'),
      ]),
    ),
    cycle_id: Type.Optional(Id),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('cancelled')])),
    due_from: Type.Optional(Type.String({ format: 'date' })),
    due_until: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
const tags = ['Feedback'];
/** The request log names these routes by their pattern and leaves out the caller's address (docs/feedback.md). */
const config = { logAnonymously: true };

export function feedbackRequestRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(FeedbackRequest);
  const one = { 200: envelope(Type.Ref(FeedbackRequest)), ...errorResponses };

  app.get('/feedback-requests', {
    config,
    schema: {
      tags,
      summary: 'List feedback requests',
      description: 'Requests you made, that are about you or people you oversee, or that you were asked on.',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(FeedbackRequest)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await requests.listRequests(db, p, request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/feedback-requests/:id', {
    config,
    schema: { tags, summary: 'Get a feedback request', params: IdParams, response: one },
    handler: async (request) => ok(await requests.getRequest(db, principalOf(request), request.params.id)),
  });

  app.post('/feedback-requests', {
    config,
    schema: {
      tags,
      summary: 'Request feedback',
      description:
        'About yourself (self_requested) or one of your reports (manager_requested, on a template whose ' +
        'managers_can_read is true). Nobody is asked twice on one request (409); the recipient is never asked.',
      body: CreateBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const p = principalOf(request);
      const created = await requests.createRequest(db, p, request.body);
      return reply
        .status(201)
        .send(ok(await requests.getRequest(db, p, created.id), 'Feedback was requested'));
    },
  });

  app.post('/feedback-requests/:id/providers', {
    config,
    schema: {
      tags,
      summary: 'Ask more providers (the requester)',
      params: IdParams,
      body: Type.Object({ provider_ids: ProviderIds }, { additionalProperties: false }),
      response: one,
    },
    handler: async (request) =>
      ok(
        await requests.askMoreProviders(
          db,
          principalOf(request),
          request.params.id,
          request.body.provider_ids,
        ),
        'More providers were asked',
      ),
  });

  app.post('/feedback-requests/:id/cancel', {
    config,
    schema: { tags, summary: 'Cancel a feedback request (the requester)', params: IdParams, response: one },
    handler: async (request) =>
      ok(
        await requests.cancelRequest(db, principalOf(request), request.params.id),
        'The request was cancelled',
      ),
  });

  app.post('/feedback-requests/:id/remind', {
    config,
    schema: {
      tags,
      summary: 'Remind the providers who have not answered (the requester)',
      description:
        'Records a feedback_request.reminder_due event, delivered by the outbox: it says how many are pending, never who.',
      params: IdParams,
      response: one,
    },
    handler: async (request) =>
      ok(
        await requests.remindRequest(db, principalOf(request), request.params.id),
        'A reminder is on its way',
      ),
  });

  app.post('/feedback-requests/:id/decline', {
    config,
    schema: {
      tags,
      summary: 'Decline a feedback request (a provider)',
      params: IdParams,
      body: Type.Object({ reason: Text(2000, 1) }, { additionalProperties: false }),
      response: one,
    },
    handler: async (request) =>
      ok(
        await requests.declineRequest(db, principalOf(request), request.params.id, request.body.reason),
        'You declined the request',
      ),
  });

  app.post('/feedback-requests/:id/responses', {
    config,
    schema: {
      tags,
      summary: 'Answer a feedback request (a provider)',
      description:
        "Each answer names one of the request's questions and fits its type, range, options and limit. " +
        'You answer once (409 after). Your answer is listed back to you; on an anonymous request, to nobody else.',
      params: IdParams,
      body: Type.Object({ answers: Answers }, { additionalProperties: false }),
      response: { 201: envelope(Type.Ref(FeedbackResponse)), ...errorResponses },
    },
    handler: async (request, reply) => {
      const response = await respond(db, principalOf(request), request.params.id, request.body.answers);
      return reply.status(201).send(ok(response, 'Your feedback was submitted'));
    },
  });

  app.get('/feedback-requests/:id/results', {
    config,
    schema: {
      tags,
      summary: "A request's answers, pooled per question",
      description:
        'Counts, means and texts in text order: never a response as a whole, never who gave which. Where ' +
        'providers are anonymous to you, withheld (with the reason) until the anonymity threshold answered.',
      params: IdParams,
      response: { 200: envelope(Results), ...errorResponses },
    },
    handler: async (request) => ok(await requestResults(db, principalOf(request), request.params.id)),
  });
}
