import { Type } from '@sinclair/typebox';
import * as conversations from '../../domain/conversations/service.js';
import * as writes from '../../domain/conversations/writes.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { ConversationQuestion } from './conversation-templates.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';
import { Answer, Answers as SharedAnswers } from './question-schemas.js';

const Day = Type.String({ format: 'date' });
const Status = Type.Union(
  [
    Type.Literal('not_started'),
    Type.Literal('in_progress'),
    Type.Literal('submitted'),
    Type.Literal('shared'),
    Type.Literal('completed'),
  ],
  {
    description:
      'in_progress: something was written; submitted: one side submitted; shared: every side that answers ' +
      'did, and each sees the other’s answers; completed: closed by a participant.',
  },
);
const Side = Type.Union([Type.Literal('manager'), Type.Literal('report')]);
const Answers = (description: string) => Nullable(Type.Array(Type.Ref(Answer), { description }));

const summaryFields = {
  id: Type.Integer(),
  template_id: Type.Integer(),
  template_version: Type.Integer({ description: 'The version whose questions this conversation asks.' }),
  deployment_id: Nullable(Type.Integer({ description: 'Null for an anytime conversation.' })),
  manager_id: Nullable(Type.Integer({ description: 'Null when deployed to someone without a manager.' })),
  report_id: Type.Integer(),
  status: Status,
  starts_on: Day,
  due_on: Day,
  manager_submitted_at: Nullable(Timestamp),
  report_submitted_at: Nullable(Timestamp),
  shared_at: Nullable(Timestamp),
  completed_at: Nullable(Timestamp),
  manager_confirmed_at: Nullable(Timestamp),
  report_confirmed_at: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
};
const ConversationSummary = Type.Object(summaryFields, { $id: 'ConversationSummary' });
export const Conversation = Type.Object(
  {
    ...summaryFields,
    my_side: Nullable(Side),
    shared_notes: Nullable(Type.String()),
    manager_questions: Type.Array(Type.Ref(ConversationQuestion)),
    report_questions: Type.Array(Type.Ref(ConversationQuestion)),
    manager_answers: Answers(
      "The manager's submitted answers as the caller may see them; null when not (yet) visible to them.",
    ),
    report_answers: Answers("The report's submitted answers as the caller may see them."),
    my_draft: Answers("The caller's own draft answers; null for anyone else."),
    goal_ids: Type.Array(Type.Integer(), {
      description:
        'Goals discussed, where the template allows them; GET /v1/goals/{id} applies its own visibility.',
    }),
    my_private_note: Nullable(
      Type.String({ description: "The caller's own private note; nobody else's is ever shown." }),
    ),
  },
  { $id: 'Conversation' },
);

const StartBody = Type.Object(
  {
    template_id: DescribedId('An anytime conversation template.'),
    report_id: DescribedId('The report; the caller is them or their manager.'),
    manager_id: Type.Optional(DescribedId("The report's current manager (the default).")),
    starts_on: Type.Optional(Day),
    due_on: Type.Optional(Type.String({ format: 'date', description: 'Default: 28 days after starts_on.' })),
  },
  { additionalProperties: false },
);
const NotesBody = Type.Object({ shared_notes: Nullable(Text(10_000)) }, { additionalProperties: false });
const DraftBody = Type.Object(
  { answers: SharedAnswers },
  {
    additionalProperties: false,
    examples: [
      {
        answers: [
          { question_id: 101, value: 'We shipped the importer.' },
          { question_id: 102, value: 4 },
          { question_id: 103, value: ['Growth', 'Feedback'] },
        ],
      },
    ],
  },
);
const SubmitBody = Type.Object(
  { answers: Type.Optional(SharedAnswers) },
  { additionalProperties: false, description: 'Send answers, or {} to submit the saved draft.' },
);
const PrivateNoteBody = Type.Object({ body: Text(10_000) }, { additionalProperties: false });

const ListQuery = Type.Object(
  {
    ...PageQuery,
    person_id: Type.Optional(DescribedId('Conversations this person takes part in, on either side.')),
    manager_id: Type.Optional(Id),
    report_id: Type.Optional(Id),
    status: Type.Optional(Status),
    deployment_id: Type.Optional(
      DescribedId("One deployment's conversations (see a template's deployments)."),
    ),
    template_id: Type.Optional(Id),
    period_id: Type.Optional(DescribedId('Conversations of deployments for this period.')),
    due_from: Type.Optional(Type.String({ format: 'date', description: 'Due on or after this day.' })),
    due_to: Type.Optional(Type.String({ format: 'date', description: 'Due on or before this day.' })),
  },
  { additionalProperties: false },
);

const tags = ['Conversations'];

export function conversationRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(ConversationSummary);
  app.addSchema(Conversation);
  const one = { 200: envelope(Type.Ref(Conversation)), ...errorResponses };

  app.get('/conversations', {
    schema: {
      tags,
      summary: 'List the conversations the caller may read',
      description:
        'Participants, super admins, and as the template allows skip-level managers, admins and HR admins ' +
        'in scope. Answers and notes are in GET /v1/conversations/{id}.',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(ConversationSummary)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await conversations.listConversations(db, p, request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/conversations/:id', {
    schema: {
      tags,
      summary: 'Get a conversation with its questions and the answers the caller may see',
      params: IdParams,
      response: one,
    },
    handler: async (request) =>
      ok(await conversations.getConversation(db, principalOf(request), request.params.id)),
  });

  app.post('/conversations', {
    schema: {
      tags,
      summary: 'Start an anytime conversation',
      description:
        'Between a report and their current manager; the caller is one of them (admins may start any). ' +
        'Send an Idempotency-Key to retry safely.',
      body: StartBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const c = await conversations.startConversation(db, principalOf(request), request.body);
      return reply.status(201).send(ok(c, 'Conversation was started successfully'));
    },
  });

  const participantWrite = (summary: string, description: string) => ({
    tags,
    summary,
    description,
    params: IdParams,
  });

  app.patch('/conversations/:id', {
    schema: {
      ...participantWrite('Change the shared notes (participants)', 'Both participants read and write them.'),
      body: NotesBody,
      response: one,
    },
    handler: async (request) =>
      ok(
        await writes.updateSharedNotes(
          db,
          principalOf(request),
          request.params.id,
          request.body.shared_notes,
        ),
      ),
  });

  app.put('/conversations/:id/draft', {
    schema: {
      ...participantWrite(
        'Save draft answers (participants)',
        'Replaces the caller’s draft; nobody else sees it. Each answer must fit its question (type, range, options, limit).',
      ),
      body: DraftBody,
      response: one,
    },
    handler: async (request) =>
      ok(await writes.saveDraft(db, principalOf(request), request.params.id, request.body.answers)),
  });

  app.post('/conversations/:id/submit', {
    schema: {
      ...participantWrite(
        'Submit answers (participants)',
        'Final: submitted answers are not changed afterwards. When every side that answers has submitted, the conversation is shared.',
      ),
      body: SubmitBody,
      response: one,
    },
    handler: async (request) =>
      ok(await writes.submitAnswers(db, principalOf(request), request.params.id, request.body.answers)),
  });

  app.put('/conversations/:id/private-note', {
    schema: {
      ...participantWrite(
        'Save your private note (participants)',
        'Read by its author alone, never recorded in the audit log.',
      ),
      body: PrivateNoteBody,
      response: one,
    },
    handler: async (request) =>
      ok(await writes.savePrivateNote(db, principalOf(request), request.params.id, request.body.body)),
  });

  app.post('/conversations/:id/confirm-meeting', {
    schema: {
      ...participantWrite('Confirm the meeting took place (participants)', 'Where the template asks for it.'),
      response: one,
    },
    handler: async (request) => ok(await writes.confirmMeeting(db, principalOf(request), request.params.id)),
  });

  app.post('/conversations/:id/complete', {
    schema: {
      ...participantWrite(
        'Complete a shared conversation (participants)',
        'Once every side that answers has submitted and, where the template asks, both confirmed the meeting.',
      ),
      response: one,
    },
    handler: async (request) =>
      ok(await writes.completeConversation(db, principalOf(request), request.params.id)),
  });
}
