import { Type } from '@sinclair/typebox';
import * as grants from '../../domain/oauth/grants.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, ok } from './envelope.js';

const InstantToken = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    mode: Type.Union([Type.Literal('live'), Type.Literal('test')]),
    scope: Type.String(),
    last_four: Type.String(),
    created_at: Timestamp,
    expires_at: Timestamp,
    last_used_at: Nullable(Timestamp),
  },
  { $id: 'InstantToken' },
);

type Row = Awaited<ReturnType<typeof grants.listInstantTokens>>[number];
const toInstantToken = (r: Row) => ({
  id: r.id,
  name: r.name ?? '',
  mode: r.mode,
  scope: r.scope,
  last_four: r.last_four,
  created_at: r.created_at,
  expires_at: r.expires_at,
  last_used_at: r.last_used_at,
});

const CreateBody = Type.Object(
  {
    name: Text(100, 1),
    scope: Type.Optional(
      Type.Union([Type.Literal('read'), Type.Literal('read write')], {
        description: 'read, or read write (the default).',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The stored copy for Idempotency-Key replays never keeps the token. */
const withoutToken = (body: string) => {
  const parsed = JSON.parse(body);
  parsed.data.token = null;
  parsed.message = 'Instant token was created; it was shown only in the first response';
  return JSON.stringify(parsed);
};

const tags = ['Instant tokens'];

/** Issue 16, item 7 (docs/oauth.md): a person's tokens for their own scripts, in one step. */
export function instantTokenRoutes(app: App, { db, clock }: FaceDeps) {
  const now = () => clock?.() ?? Date.now();
  app.addSchema(InstantToken);

  app.post('/me/instant-tokens', {
    config: { redactStoredResponse: withoutToken },
    schema: {
      tags,
      summary: 'Make an instant token for your own scripts',
      description:
        'Acts as you, in the mode of the key that asks (a session: live), for a year; shown once. ' +
        'Made with a key or a session, never with another token.',
      body: CreateBody,
      response: {
        201: envelope(
          Type.Composite([
            InstantToken,
            Type.Object({ token: Nullable(Type.String({ description: 'Shown once.' })) }),
          ]),
        ),
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const made = await grants.createInstantToken(db, principalOf(request), request.body, now());
      const body = { ...toInstantToken(made.row), token: made.token };
      return reply.status(201).send(ok(body, 'Instant token was created; it is shown only once'));
    },
  });

  app.get('/me/instant-tokens', {
    schema: {
      tags,
      summary: 'Your instant tokens in force',
      response: { 200: envelope(Type.Array(Type.Ref(InstantToken))), ...errorResponses },
    },
    handler: async (request) =>
      ok((await grants.listInstantTokens(db, principalOf(request), now())).map(toInstantToken)),
  });

  app.delete('/me/instant-tokens/:id', {
    schema: {
      tags,
      summary: 'Revoke one of your instant tokens',
      description: 'It stops working at once. Another person’s token id is a 404.',
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await grants.revokeInstantToken(db, principalOf(request), request.params.id, now());
      return ok({ id: request.params.id }, 'Instant token was revoked');
    },
  });
}
