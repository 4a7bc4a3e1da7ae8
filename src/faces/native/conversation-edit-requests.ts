import { Type } from '@sinclair/typebox';
import * as editRequests from '../../domain/conversations/edit-requests.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Status = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('denied')]);

const EditRequest = Type.Object(
  {
    id: Type.Integer(),
    conversation_id: Type.Integer(),
    side: Type.Union([Type.Literal('manager'), Type.Literal('report')], {
      description: 'Whose submitted answers it would reopen.',
    }),
    requested_by: Type.Integer(),
    reason: Nullable(Type.String()),
    status: Status,
    decided_by: Nullable(Type.Integer()),
    decision_note: Nullable(Type.String()),
    decided_at: Nullable(Timestamp),
    created_at: Timestamp,
  },
  { $id: 'ConversationEditRequest' },
);

const RequestBody = Type.Object(
  { reason: Type.Optional(Nullable(Text(2000))) },
  { additionalProperties: false },
);
const DecisionBody = Type.Object(
  { note: Type.Optional(Nullable(Text(2000))) },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    ...PageQuery,
    conversation_id: Type.Optional(DescribedId("One conversation's edit requests.")),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

const tags = ['Conversations'];

export function conversationEditRequestRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(EditRequest);
  const one = { 200: envelope(Type.Ref(EditRequest)), ...errorResponses };

  app.post('/conversations/:id/edit-requests', {
    schema: {
      tags,
      summary: 'Ask to change your submitted answers (participants)',
      description:
        'Submitted answers are final until an admin, or an HR admin whose scope holds the report, approves ' +
        'a request. One pending request a side at a time.',
      params: IdParams,
      body: RequestBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const p = principalOf(request);
      const made = await editRequests.requestEdit(db, p, request.params.id, request.body.reason ?? null);
      return reply.status(201).send(ok(made, 'Edit request was sent successfully'));
    },
  });

  app.get('/conversation-edit-requests', {
    schema: {
      tags,
      summary: 'List edit requests',
      description: "The participants' own, and those the caller may decide (admins; HR admins in scope).",
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(EditRequest)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await editRequests.listEditRequests(db, p, request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/conversation-edit-requests/:id', {
    schema: { tags, summary: 'Get an edit request', params: IdParams, response: one },
    handler: async (request) =>
      ok(await editRequests.getEditRequest(db, principalOf(request), request.params.id)),
  });

  for (const [action, decision] of [
    ['approve', 'approved'],
    ['deny', 'denied'],
  ] as const) {
    app.post(`/conversation-edit-requests/:id/${action}`, {
      schema: {
        tags,
        summary: `${action === 'approve' ? 'Approve' : 'Deny'} an edit request (admins, HR admins in scope)`,
        description:
          action === 'approve'
            ? "The side's submitted answers become its draft again, and the conversation is no longer shared until it submits."
            : 'The answers stay as submitted.',
        params: IdParams,
        body: DecisionBody,
        response: one,
      },
      handler: async (request) => {
        const p = principalOf(request);
        const note = request.body.note ?? null;
        return ok(await editRequests.decideEditRequest(db, p, request.params.id, decision, note));
      },
    });
  }
}
