import { Type } from '@sinclair/typebox';
import { changeMyPassword, listMySessions, revokeMySession } from '../../domain/sign-in/sessions.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, ok } from './envelope.js';

const tags = ['Sign-in'];

const Session = Type.Object(
  {
    id: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
    last_seen_at: Type.String({ format: 'date-time' }),
    expires_at: Type.String({ format: 'date-time' }),
    user_agent: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean({ description: 'The session this request came through.' }),
  },
  { $id: 'Session' },
);

/** The caller's own browser sessions (docs/sign-in.md): listed, revoked one by one, ended by a password change. */
export function sessionRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(Session);

  app.get('/me/sessions', {
    schema: {
      tags,
      summary: 'Your sessions in force',
      description: 'The browser sessions of the person the key or session belongs to, newest first.',
      response: { 200: envelope(Type.Array(Type.Ref(Session))), ...errorResponses },
    },
    handler: async (request) => ok(await listMySessions(db, principalOf(request))),
  });

  app.delete('/me/sessions/:id', {
    schema: {
      tags,
      summary: 'Revoke one of your sessions',
      description: 'It stops working at once. Another person’s session id is a 404.',
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await revokeMySession(db, principalOf(request), request.params.id);
      return ok({ id: request.params.id }, 'Session was revoked');
    },
  });

  app.put('/me/password', {
    schema: {
      tags,
      summary: 'Change your password',
      description:
        'Needs the current password. Every session of yours ends, this one included; API keys stay. ' +
        'At least 12 characters, at most 256, not a common password.',
      body: Type.Object(
        {
          current_password: Type.String({ minLength: 1, maxLength: 1024 }),
          new_password: Type.String({ minLength: 1, maxLength: 1024 }),
        },
        { additionalProperties: false },
      ),
      response: { 200: envelope(Type.Null()), ...errorResponses },
    },
    handler: async (request) => {
      await changeMyPassword(db, principalOf(request), request.body);
      return ok(null, 'Password was changed; sign in again with it');
    },
  });
}
