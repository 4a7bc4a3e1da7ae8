import { Type } from '@sinclair/typebox';
import * as social from '../../domain/recognition/social.js';
import { REACTION_KINDS } from '../../domain/recognition/types.js';
import { principalOf } from '../../http/auth.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Kind = Type.Union(
  REACTION_KINDS.map((k) => Type.Literal(k)),
  { description: 'One reaction per person per kind.' },
);
const Reaction = Type.Object(
  {
    id: Type.Integer(),
    recognition_id: Type.Integer(),
    user_id: Type.Integer(),
    kind: Type.String(),
    created_at: Timestamp,
  },
  { $id: 'RecognitionReaction' },
);
const Comment = Type.Object(
  {
    id: Type.Integer(),
    recognition_id: Type.Integer(),
    author_user_id: Type.Integer(),
    body: Type.String(),
    created_at: Timestamp,
  },
  { $id: 'RecognitionComment' },
);
const ReactionBody = Type.Object(
  { kind: Kind },
  { additionalProperties: false, examples: [{ kind: 'celebrate' }] },
);
const CommentBody = Type.Object(
  { body: Text(2000, 1) },
  { additionalProperties: false, examples: [{ body: 'Well deserved!' }] },
);
const ListQuery = Type.Object(PageQuery, { additionalProperties: false });
const ReactionParams = Type.Object({ id: Id, reaction_id: Id });
const CommentParams = Type.Object({ id: Id, comment_id: Id });

const tags = ['Recognition'];

export function recognitionSocialRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Reaction);
  app.addSchema(Comment);
  const deleted = { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses };

  app.get('/recognition/:id/reactions', {
    schema: {
      tags,
      summary: "List a recognition's reactions",
      params: IdParams,
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Reaction)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await social.listReactions(db, p, request.params.id, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.post('/recognition/:id/reactions', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'React to a recognition',
      description:
        'Anyone who can see the recognition may react. Reacting again with the same kind answers 200 with ' +
        'the first reaction and changes nothing.',
      params: IdParams,
      body: ReactionBody,
      response: { 200: envelope(Type.Ref(Reaction)), 201: envelope(Type.Ref(Reaction)), ...errorResponses },
    },
    handler: async (request, reply) => {
      const p = principalOf(request);
      const { reaction, created } = await social.addReaction(db, p, request.params.id, request.body.kind);
      return reply.status(created ? 201 : 200).send(ok(reaction, created ? 'Reaction was added' : 'OK'));
    },
  });

  app.delete('/recognition/:id/reactions/:reaction_id', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Take back your reaction',
      params: ReactionParams,
      response: deleted,
    },
    handler: async (request) => {
      const { id, reaction_id } = request.params;
      await social.removeReaction(db, principalOf(request), id, reaction_id);
      return ok({ id: reaction_id }, 'Reaction was removed successfully');
    },
  });

  app.get('/recognition/:id/comments', {
    schema: {
      tags,
      summary: "List a recognition's comments",
      params: IdParams,
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Comment)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await social.listComments(db, p, request.params.id, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.post('/recognition/:id/comments', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Comment on a recognition',
      description: 'Anyone who can see the recognition may comment on it.',
      params: IdParams,
      body: CommentBody,
      response: { 201: envelope(Type.Ref(Comment)), ...errorResponses },
    },
    handler: async (request, reply) => {
      const comment = await social.addComment(db, principalOf(request), request.params.id, request.body.body);
      return reply.status(201).send(ok(comment, 'Comment was created successfully'));
    },
  });

  app.delete('/recognition/:id/comments/:comment_id', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Delete your comment (admins: any comment)',
      params: CommentParams,
      response: deleted,
    },
    handler: async (request) => {
      const { id, comment_id } = request.params;
      await social.deleteComment(db, principalOf(request), id, comment_id);
      return ok({ id: comment_id }, 'Comment was deleted successfully');
    },
  });
}
