import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as templates from '../../domain/conversations/templates.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';
import { QuestionInput, questionFields } from './question-schemas.js';

const Day = Type.String({ format: 'date' });
const Kind = Type.Union([Type.Literal('anytime'), Type.Literal('scheduled')], {
  description: 'anytime: started by a manager or report; scheduled: sent to a population by a deployment.',
});
const Format = Type.Union([Type.Literal('two_way'), Type.Literal('one_way')], {
  description: 'two_way: both sides may have questions; one_way: one side only.',
});
const confidential = {
  confidential: Type.Boolean({
    description: 'Its answers are read by their author and HR roles only, never by the other participant.',
  }),
};
const talentField = {
  talent_field: Type.Optional(
    Type.Union([Type.Literal('performance'), Type.Literal('potential')], {
      description:
        "A manager's single_select question only, not confidential, one per field: the submitted option " +
        "becomes the proposed value of this field in the report's talent record of each open calibration " +
        "cycle where the conversation's manager is the record's manager, when it is a label of that " +
        "cycle's scale.",
    }),
  ),
};

/** The shared question (question-schemas.ts) and the conversation's own fields. */
export const ConversationQuestion = Type.Object(
  { ...questionFields, ...confidential, ...talentField },
  { $id: 'ConversationQuestion' },
);

const Questions = (side: string) =>
  Type.Array(QuestionInput({ confidential: Type.Optional(confidential.confidential), ...talentField }), {
    maxItems: 50,
    description: `The ${side}'s questions, in order.`,
  });

const Readers = Type.Object(
  {
    skip_level: Type.Boolean({ description: "Managers above the conversation's manager read it." }),
    admins: Type.Boolean({ description: 'Admins read it (never its confidential answers).' }),
    hr_in_scope: Type.Boolean({ description: 'HR admins whose scope holds the report read it.' }),
  },
  { description: 'Who reads a conversation besides its two participants and super admins.' },
);
const Settings = Type.Object({
  only_managers_start: Type.Boolean({ description: 'Reports cannot start an anytime conversation.' }),
  confirm_meeting: Type.Boolean({ description: 'Both confirm they met before it is completed.' }),
  allow_goals: Type.Boolean({ description: 'Goals may be discussed inside the conversation.' }),
  readers: Readers,
});
const SettingsInput = Type.Object(
  {
    only_managers_start: Type.Optional(Type.Boolean()),
    confirm_meeting: Type.Optional(Type.Boolean()),
    allow_goals: Type.Optional(Type.Boolean()),
    readers: Type.Optional(Type.Partial(Readers, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const DeploymentSummary = Type.Object({
  id: Type.Integer({ description: 'The deployment_id to list its conversations by.' }),
  name: Type.String(),
  template_version: Type.Integer(),
  period_id: Nullable(Type.Integer()),
  starts_on: Day,
  due_on: Day,
  conversation_count: Type.Integer(),
});

const Template = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Nullable(Type.String()),
    kind: Kind,
    format: Format,
    version: Type.Integer({ description: 'The current version: new questions once in use make a new one.' }),
    settings: Settings,
    manager_questions: Type.Array(Type.Ref(ConversationQuestion)),
    report_questions: Type.Array(Type.Ref(ConversationQuestion)),
    deployments: Type.Array(DeploymentSummary, { description: 'Its deployments, newest first.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'ConversationTemplate' },
);

const editable = {
  name: Text(64, 1),
  description: Type.Optional(Nullable(Text(2000))),
  manager_questions: Type.Optional(Questions('manager')),
  report_questions: Type.Optional(Questions('report')),
  settings: Type.Optional(SettingsInput),
};
const CreateBody = Type.Object(
  { ...editable, kind: Kind, format: Format },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'Quarterly check-in',
        kind: 'scheduled',
        format: 'two_way',
        manager_questions: [
          { text: 'How did the quarter go?', type: 'paragraph', limit: 2000 },
          {
            text: 'Performance this half',
            type: 'single_select',
            options: ['35 - Below Expectations', '50 - Meets Expectations', '65 - Exceeds Expectations'],
            talent_field: 'performance',
          },
        ],
        report_questions: [
          {
            text: 'How satisfied are you?',
            type: 'scale',
            scale_max: 5,
            labels: [
              { value: 1, label: 'Not at all' },
              { value: 5, label: 'Very' },
            ],
          },
          { text: 'Anything HR should know?', type: 'paragraph', confidential: true },
        ],
        settings: { confirm_meeting: true, readers: { skip_level: true } },
      },
    ],
  },
);
const UpdateBody = Type.Partial(Type.Object(editable), { additionalProperties: false, minProperties: 1 });
const ListQuery = Type.Object(
  { ...PageQuery, kind: Type.Optional(Kind), q: Type.Optional(Text(100, 1)) },
  { additionalProperties: false },
);

const tags = ['Conversations'];

export function conversationTemplateRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(ConversationQuestion);
  app.addSchema(Template);
  const one = { 200: envelope(Type.Ref(Template)), ...errorResponses };

  app.get('/conversation-templates', {
    schema: {
      tags,
      summary: 'List conversation templates, each with its deployments',
      description:
        "Each template's deployments array gives the deployment_id that GET /v1/conversations takes.",
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Template)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await templates.listTemplates(db, p, request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/conversation-templates/:id', {
    schema: { tags, summary: 'Get a conversation template', params: IdParams, response: one },
    handler: async (request) => ok(await templates.getTemplate(db, principalOf(request), request.params.id)),
  });

  app.post('/conversation-templates', {
    config: { gate: gates.manageConversationTemplates },
    schema: {
      tags,
      summary: 'Create a conversation template (admins)',
      description: 'Names have at most 64 characters. Send an Idempotency-Key to retry safely.',
      body: CreateBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const template = await templates.createTemplate(db, principalOf(request), request.body);
      return reply.status(201).send(ok(template, 'Conversation template was created successfully'));
    },
  });

  app.patch('/conversation-templates/:id', {
    config: { gate: gates.manageConversationTemplates },
    schema: {
      tags,
      summary: 'Change a conversation template (admins)',
      description:
        'A question list sent replaces that side’s questions. While no conversation or deployment uses the ' +
        'current version it changes in place; after, new questions make a new version and existing ' +
        'conversations keep the questions they were asked. Kind and format are fixed at creation.',
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
      return ok(template, 'Conversation template was updated successfully');
    },
  });
}
