import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as deployments from '../../domain/conversations/deployments.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';
import { Audience, populationFields } from './population-schemas.js';

const Day = Type.String({ format: 'date' });

const Deployment = Type.Object(
  {
    id: Type.Integer(),
    template_id: Type.Integer(),
    template_version: Type.Integer({ description: 'The version of the template its conversations ask.' }),
    name: Type.String(),
    period_id: Nullable(Type.Integer()),
    starts_on: Day,
    due_on: Day,
    audience: Audience,
    audience_ids: Type.Array(Type.Integer(), {
      description: 'The departments, groups or people it was sent to.',
    }),
    only_with_manager: Type.Boolean(),
    conversation_count: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
    synced_at: Nullable(Timestamp),
  },
  { $id: 'ConversationDeployment' },
);

const CreateBody = Type.Object(
  {
    template_id: DescribedId('A scheduled conversation template; its current version is sent.'),
    name: Type.Optional(Text(200, 1)),
    period_id: Type.Optional(Nullable(Id)),
    starts_on: Day,
    due_on: Type.String({ format: 'date', description: 'On or after starts_on.' }),
    ...populationFields,
    only_with_manager: Type.Optional(
      Type.Boolean({
        description:
          'true (default): people without an active manager are left out; false: they get a conversation with no manager, answered by them alone.',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        template_id: 123,
        starts_on: '2027-01-04',
        due_on: '2027-01-29',
        audience: 'departments',
        department_ids: [45],
      },
    ],
  },
);

const ListQuery = Type.Object(
  { ...PageQuery, template_id: Type.Optional(Id), period_id: Type.Optional(Id) },
  { additionalProperties: false },
);
const SyncResult = Type.Object({
  deployment: Type.Ref(Deployment),
  added: Type.Integer({ description: 'Conversations made by this sync.' }),
});

const tags = ['Conversations'];

export function conversationDeploymentRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Deployment);
  const one = { 200: envelope(Type.Ref(Deployment)), ...errorResponses };

  app.get('/conversation-deployments', {
    schema: {
      tags,
      summary: 'List conversation deployments',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Deployment)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await deployments.listDeployments(db, p, request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/conversation-deployments/:id', {
    schema: { tags, summary: 'Get a conversation deployment', params: IdParams, response: one },
    handler: async (request) =>
      ok(await deployments.getDeployment(db, principalOf(request), request.params.id)),
  });

  app.post('/conversation-deployments', {
    config: { gate: gates.manageConversationTemplates },
    schema: {
      tags,
      summary: 'Deploy a scheduled template to a population (admins)',
      description:
        'Makes one conversation per active person of the population and their active manager, in the same ' +
        'transaction. A population with nobody in it, or due_on before starts_on, is a 422 and writes ' +
        'nothing. Send an Idempotency-Key to retry safely.',
      body: CreateBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const deployment = await deployments.createDeployment(db, principalOf(request), request.body);
      return reply.status(201).send(ok(deployment, 'Conversation deployment was created successfully'));
    },
  });

  app.post('/conversation-deployments/:id/sync', {
    config: { gate: gates.manageConversationTemplates },
    schema: {
      tags,
      summary: 'Add people who joined the population since (admins)',
      description: 'Gives a conversation to everyone of the population who has none in this deployment yet.',
      params: IdParams,
      response: { 200: envelope(SyncResult), ...errorResponses },
    },
    handler: async (request) => {
      const result = await deployments.syncDeployment(db, principalOf(request), request.params.id);
      return ok(result, `${result.added} conversation(s) were added`);
    },
  });
}
