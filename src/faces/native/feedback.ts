import { Type } from '@sinclair/typebox';
import * as responses from '../../domain/feedback/responses.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Id, Nullable, Text } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { Anonymity } from './feedback-schemas.js';
import { listPaging, PageQuery } from './paging.js';
import { Answers } from './question-schemas.js';

export const FeedbackResponse = Type.Object(
  {
    id: Type.Integer({
      description: 'Random: neither an id nor the id order tells when feedback was written.',
    }),
    request_id: Nullable(Type.Integer({ description: 'Null for unprompted feedback.' })),
    template_id: Nullable(Type.Integer()),
    recipient_user_id: Type.Integer(),
    provider_user_id: Type.Integer(),
    anonymity: Anonymity,
    answers: Type.Array(
      Type.Object({
        question_id: Type.Integer(),
        value: Type.Union([Type.String(), Type.Integer(), Type.Array(Type.String())]),
      }),
    ),
    body: Nullable(Type.String({ description: 'Unprompted feedback given as a free paragraph.' })),
    submitted_on: Type.String({ format: 'date', description: 'The day only (UTC).' }),
  },
  { $id: 'FeedbackResponse' },
);

const GiveBody = Type.Object(
  {
    recipient_id: Id,
    template_id: Type.Optional(DescribedId('A named template whose questions you answer; or send body.')),
    answers: Type.Optional(Answers),
    body: Type.Optional(Text(10_000, 1)),
  },
  {
    additionalProperties: false,
    examples: [{ recipient_id: 42, body: 'Thanks for the clear release notes.' }],
  },
);
const ListQuery = Type.Object(
  {
    ...PageQuery,
    recipient_id: Type.Optional(DescribedId('Feedback about this person.')),
    manager_id: Type.Optional(DescribedId("Feedback about this manager's direct reports.")),
    provider_id: Type.Optional(DescribedId('Feedback this person gave, where you may know it.')),
    request_id: Type.Optional(Id),
    template_id: Type.Optional(Id),
    submitted_from: Type.Optional(Type.String({ format: 'date' })),
    submitted_until: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
const tags = ['Feedback'];
const config = { logAnonymously: true };

export function feedbackRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(FeedbackResponse);
  const one = { 200: envelope(Type.Ref(FeedbackResponse)), ...errorResponses };

  app.get('/feedback', {
    config,
    schema: {
      tags,
      summary: 'List feedback',
      description:
        'Feedback you wrote; named feedback about you; feedback about people you oversee (as their manager where ' +
        'the template allows, or HR admin in scope) unless anonymous to all. Feedback anonymous to you is never ' +
        'listed, filtered or counted here: its answers reach you pooled, in GET /v1/feedback-requests/{id}/results.',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(FeedbackResponse)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await responses.listResponses(db, p, request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/feedback/:id', {
    config,
    schema: { tags, summary: 'Get one piece of feedback', params: IdParams, response: one },
    handler: async (request) => ok(await responses.getResponse(db, principalOf(request), request.params.id)),
  });

  app.post('/feedback', {
    config,
    schema: {
      tags,
      summary: 'Give feedback without a request',
      description:
        'The answers to a named template, or a free paragraph (body). Unprompted feedback is always named.',
      body: GiveBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const given = await responses.giveFeedback(db, principalOf(request), request.body);
      return reply.status(201).send(ok(given, 'Feedback was given'));
    },
  });
}
