import { type Static, Type } from '@sinclair/typebox';
import * as comments from '../../domain/goals/comments.js';
import { principalOf } from '../../http/auth.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Comment = Type.Object(
  {
    id: Type.Integer(),
    goal_id: Type.Integer(),
    milestone_id: Nullable(Type.Integer({ description: 'Null for a comment on the goal itself.' })),
    author_user_id: Type.Integer(),
    body: Type.String(),
    edited: Type.Boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Comment' },
);

type CommentRow = Awaited<ReturnType<typeof comments.addComment>>;
const toComment = (c: CommentRow): Static<typeof Comment> => ({
  ...c,
  edited: c.updated_at !== c.created_at,
});

const CommentBody = Type.Object({ body: Text(4000, 1) }, { additionalProperties: false });
const ListQuery = Type.Object(PageQuery, { additionalProperties: false });
const tags = ['Comments'];

export function commentRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Comment);
  const one = { 200: envelope(Type.Ref(Comment)), ...errorResponses };
  const list = { 200: listEnvelope(Type.Ref(Comment)), ...errorResponses };

  for (const [kind, target] of [
    ['goals', (id: number) => ({ goalId: id })],
    ['milestones', (id: number) => ({ milestoneId: id })],
  ] as const) {
    const noun = kind === 'goals' ? 'goal' : 'milestone';
    app.get(`/${kind}/:id/comments`, {
      schema: {
        tags,
        summary: `Comments on a ${noun}, oldest first`,
        params: IdParams,
        querystring: ListQuery,
        response: list,
      },
      handler: async (request) => {
        const page = await comments.listComments(
          db,
          principalOf(request),
          target(request.params.id),
          await pageRequest(request),
        );
        return { ...ok(page.rows.map(toComment)), ...(await pageFields(page, request)) };
      },
    });
    app.post(`/${kind}/:id/comments`, {
      config: KEEPS_PRINCIPALS,
      schema: {
        tags,
        summary: `Comment on a ${noun}`,
        description: `Anyone who can see the ${noun} may comment on it.`,
        params: IdParams,
        body: CommentBody,
        response: { 201: one[200], ...errorResponses },
      },
      handler: async (request, reply) => {
        const comment = await comments.addComment(
          db,
          principalOf(request),
          target(request.params.id),
          request.body.body,
        );
        return reply.status(201).send(ok(toComment(comment), 'Comment was created successfully'));
      },
    });
  }

  app.patch('/comments/:id', {
    config: KEEPS_PRINCIPALS,
    schema: { tags, summary: 'Edit your comment', params: IdParams, body: CommentBody, response: one },
    handler: async (request) => {
      const comment = await comments.editComment(
        db,
        principalOf(request),
        request.params.id,
        request.body.body,
      );
      return ok(toComment(comment), 'Comment was updated successfully');
    },
  });

  app.delete('/comments/:id', {
    config: KEEPS_PRINCIPALS,
    schema: {
      tags,
      summary: 'Delete your comment (admins: any comment)',
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await comments.deleteComment(db, principalOf(request), request.params.id);
      return ok({ id: request.params.id }, 'Comment was deleted successfully');
    },
  });
}
