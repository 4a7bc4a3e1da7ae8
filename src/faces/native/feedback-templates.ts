import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as templates from '../../domain/feedback/templates.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { Anonymity, Questions } from './feedback-schemas.js';
import { listPaging, PageQuery } from './paging.js';
import { Question } from './question-schemas.js';

const FeedbackTemplate = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Nullable(Type.String()),
    questions: Type.Array(Type.Ref(Question)),
    anonymity: Anonymity,
    managers_can_read: Type.Boolean({
      description:
        "Whether the recipient's managers (up the chain) read the feedback; HR admins in scope always do.",
    }),
    archived: Type.Boolean({
      description: 'An archived template is kept for the requests made with it; no new ones.',
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'FeedbackTemplate' },
);

const templateFields = {
  name: Text(64, 1),
  description: Type.Optional(Nullable(Text(2000))),
  questions: Questions,
  anonymity: Type.Optional(Anonymity),
  managers_can_read: Type.Optional(Type.Boolean()),
  archived: Type.Optional(Type.Boolean()),
};
const CreateBody = Type.Object(templateFields, {
  additionalProperties: false,
  examples: [
    {
      name: 'Quarterly 360',
      anonymity: 'anonymous_to_all',
      questions: [
        { type: 'paragraph', text: 'What should they keep doing?', required: true },
        { type: 'scale', text: 'How well do they communicate?', scale_max: 5 },
        { type: 'single_select', text: 'Would you work with them again?', options: ['Yes', 'No'] },
      ],
    },
  ],
});
const UpdateBody = Type.Partial(Type.Object(templateFields), {
  additionalProperties: false,
  minProperties: 1,
});
const ListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Text(100, 1)),
    anonymity: Type.Optional(Anonymity),
    archived: Type.Optional(Type.Boolean({ description: 'Archived templates instead of current ones.' })),
  },
  { additionalProperties: false },
);
const tags = ['Feedback'];

export function feedbackTemplateRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(FeedbackTemplate);
  const one = { 200: envelope(Type.Ref(FeedbackTemplate)), ...errorResponses };

  app.get('/feedback-templates', {
    schema: {
      tags,
      summary: 'List feedback templates',
      description: 'Everyone reads templates: providers answer their questions, requesters pick one.',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(FeedbackTemplate)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await templates.listTemplates(db, p, request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/feedback-templates/:id', {
    schema: { tags, summary: 'Get a feedback template', params: IdParams, response: one },
    handler: async (request) => ok(await templates.getTemplate(db, principalOf(request), request.params.id)),
  });

  app.post('/feedback-templates', {
    config: { gate: gates.manageFeedback },
    schema: {
      tags,
      summary: 'Create a feedback template (admins)',
      description:
        'Questions: paragraph (limit, default 10,000 characters), scale (1 to scale_max, 2–25, labels), ' +
        'star_rating (up to 5 stars), single_select and multi_select (options). Each question gets an id that ' +
        'answers name. Template names are unique in the organisation, ignoring case.',
      body: CreateBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const template = await templates.createTemplate(db, principalOf(request), request.body);
      return reply.status(201).send(ok(template, 'Feedback template was created successfully'));
    },
  });

  app.patch('/feedback-templates/:id', {
    config: { gate: gates.manageFeedback },
    schema: {
      tags,
      summary: 'Change a feedback template (admins)',
      description:
        'Sending questions replaces them all, with new ids. Requests already made keep the questions, anonymity ' +
        'and manager access they were made with.',
      params: IdParams,
      body: UpdateBody,
      response: one,
    },
    handler: async (request) => {
      const template = await templates.updateTemplate(
        db,
        principalOf(request),
        request.params.id,
        request.body,
      );
      return ok(template, 'Feedback template was updated successfully');
    },
  });
}
