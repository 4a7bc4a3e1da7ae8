import { type Static, Type } from '@sinclair/typebox';
import { HASHTAG_PATTERN, MAX_HASHTAGS } from '../../domain/recognition/hashtags.js';
import * as recognition from '../../domain/recognition/service.js';
import { EDIT_WINDOW_MS, MAX_MESSAGE } from '../../domain/recognition/types.js';
import { principalOf } from '../../http/auth.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Id, Nullable, Text, Timestamp, TimestampParam } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Named = Type.Object({ id: Type.Integer(), name: Type.String() });

const Recognition = Type.Object(
  {
    id: Type.Integer(),
    giver_id: Type.Integer(),
    receiver_ids: Type.Array(Type.Integer(), { description: 'Everyone who received it (a team expanded).' }),
    team_id: Nullable(Type.Integer({ description: 'The team named when it was given, if any.' })),
    message: Type.String(),
    hashtags: Type.Array(Type.String(), { description: 'Lower-case, without #, sorted.' }),
    visibility: Type.Union([Type.Literal('public'), Type.Literal('private')]),
    company_value: Nullable(Named),
    related_goal: Nullable(Named),
    reactions: Type.Array(Type.Object({ kind: Type.String(), count: Type.Integer() })),
    comment_count: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
    editable_until: Timestamp,
  },
  { $id: 'Recognition' },
);

const toRecognition = (r: recognition.RecognitionView): Static<typeof Recognition> => ({
  id: r.id,
  giver_id: r.giver_user_id,
  receiver_ids: r.receiver_ids.map(Number),
  team_id: r.team_id,
  message: r.message,
  hashtags: r.hashtags,
  visibility: r.visibility,
  company_value:
    r.company_value_id === null ? null : { id: r.company_value_id, name: r.company_value_name ?? '' },
  related_goal: r.related_goal,
  reactions: r.reactions,
  comment_count: Number(r.comment_count),
  created_at: r.created_at,
  updated_at: r.updated_at,
  editable_until: new Date(Date.parse(r.created_at) + EDIT_WINDOW_MS).toISOString(),
});

export const Hashtag = Type.String({
  pattern: HASHTAG_PATTERN,
  description: '1 to 50 letters a-z, digits or underscores, with or without #; stored lower-case.',
});
const Visibility = Type.Union([Type.Literal('public'), Type.Literal('private')], {
  description: 'public: the whole organisation; private: the giver, receivers, their managers and admins.',
});
const editable = {
  message: Text(MAX_MESSAGE, 1),
  hashtags: Type.Optional(
    Type.Array(Hashtag, {
      maxItems: MAX_HASHTAGS,
      description: 'Added to those the message carries (#word).',
    }),
  ),
  company_value_id: Type.Optional(Nullable(DescribedId('One of the organisation\u2019s company values.'))),
  goal_id: Type.Optional(Nullable(DescribedId('A related goal; it must be one the giver may see.'))),
  visibility: Type.Optional(Visibility),
};
const CreateBody = Type.Object(
  {
    receiver_ids: Type.Optional(
      Type.Array(Id, { maxItems: 100, uniqueItems: true, description: 'The people who receive it.' }),
    ),
    team_id: Type.Optional(DescribedId('A team: each of its members receives it (the giver excepted).')),
    ...editable,
  },
  {
    additionalProperties: false,
    examples: [
      {
        receiver_ids: [1042, 1043],
        message: 'Thank you for staying late to get the release out. #teamwork #shipit',
        hashtags: ['customer_first'],
        company_value_id: 7,
        goal_id: 311,
      },
      { team_id: 55, message: 'Record quarter, everyone! #celebrate', visibility: 'public' },
    ],
  },
);
const UpdateBody = Type.Partial(Type.Object(editable), {
  additionalProperties: false,
  minProperties: 1,
  examples: [{ message: 'Thank you for staying late to get the release out. #teamwork' }],
});

const ListQuery = Type.Object(
  {
    ...PageQuery,
    receiver_id: Type.Optional(DescribedId('Recognitions this person received.')),
    giver_id: Type.Optional(DescribedId('Recognitions this person gave.')),
    hashtag: Type.Optional(Hashtag),
    company_value_id: Type.Optional(DescribedId('Recognitions naming this company value.')),
    department_id: Type.Optional(DescribedId('Recognitions with a receiver in this department (now).')),
    period_id: Type.Optional(DescribedId("Recognitions given within this period's dates.")),
    created_from: Type.Optional({ ...TimestampParam, description: 'Given at or after this moment.' }),
    created_to: Type.Optional({ ...TimestampParam, description: 'Given before this moment.' }),
  },
  { additionalProperties: false },
);

const tags = ['Recognition'];

export function recognitionRoutes(app: App, { db, cursorSecrets, clock }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  const now = () => new Date((clock ?? Date.now)());
  app.addSchema(Recognition);
  const one = { 200: envelope(Type.Ref(Recognition)), ...errorResponses };

  app.get('/recognition', {
    schema: {
      tags,
      summary: 'List recognitions',
      description:
        'The recognitions the caller may see (public ones, and private ones they gave, received, or that ' +
        'name one of their reports; admins see all), newest first (created_at, then id). Filters combine.',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Recognition)), ...errorResponses },
    },
    handler: async (request) => {
      const { page: _p, size: _s, cursor: _c, ...filters } = request.query;
      const page = await recognition.listRecognitions(
        db,
        principalOf(request),
        filters,
        await pageRequest(request),
      );
      return { ...ok(page.rows.map(toRecognition)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/recognition/:id', {
    schema: {
      tags,
      summary: 'Get a recognition',
      description:
        'A private recognition the caller may not see is a 404. related_goal is null when the ' +
        'caller may not see the goal.',
      params: IdParams,
      response: one,
    },
    handler: async (request) =>
      ok(toRecognition(await recognition.getRecognition(db, principalOf(request), request.params.id))),
  });

  app.post('/recognition', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Recognise people or a team',
      description:
        'Send receiver_ids, team_id or both; a team is expanded to its members when the recognition is ' +
        'written. Nobody recognises themselves, and a deactivated person cannot be recognised (422 ' +
        'invalid_operation). Hashtags are read from the message (#word) and added from `hashtags`.',
      body: CreateBody,
      response: { 201: one[200], ...errorResponses },
    },
    handler: async (request, reply) => {
      const made = await recognition.createRecognition(db, principalOf(request), request.body, now());
      return reply.status(201).send(ok(toRecognition(made), 'Recognition was created successfully'));
    },
  });

  app.patch('/recognition/:id', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Edit your recognition (within 24 hours)',
      description:
        'Only the giver, and only until editable_until (422 invalid_operation after). Receivers cannot ' +
        'change. Sending message or hashtags recomputes the hashtags from both.',
      params: IdParams,
      body: UpdateBody,
      response: one,
    },
    handler: async (request) => {
      const p = principalOf(request);
      const changed = await recognition.updateRecognition(db, p, request.params.id, request.body, now());
      return ok(toRecognition(changed), 'Recognition was updated successfully');
    },
  });

  app.delete('/recognition/:id', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Delete a recognition (its giver, or an admin)',
      description: 'It leaves every list and count; the audit log keeps what it said.',
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await recognition.deleteRecognition(db, principalOf(request), request.params.id);
      return ok({ id: request.params.id }, 'Recognition was deleted successfully');
    },
  });
}
