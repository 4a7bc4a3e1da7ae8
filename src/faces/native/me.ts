import { Type } from '@sinclair/typebox';
import { notFound } from '../../domain/errors.js';
import { findUserByRef } from '../../domain/users/repo.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';
import { User } from './users.js';

const Me = Type.Object({
  user: Type.Ref(User),
  mode: Type.Union([Type.Literal('live'), Type.Literal('test')]),
  api_key_id: Type.Union([Type.Integer(), Type.Null()]),
  organization_id: Type.Integer(),
});

/** The key holder: who the key acts as, in which mode. */
export function meRoutes(app: App, { db }: FaceDeps) {
  app.get('/me', {
    schema: {
      tags: ['Users'],
      summary: 'The key holder and the key’s mode',
      response: { 200: envelope(Me), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      // A test key acts as the holder's copy in the sandbox; the live account when the copy is missing.
      const user =
        (await findUserByRef(db, p.orgId, p.mode, p.userId)) ??
        (await findUserByRef(db, p.orgId, 'live', p.userId));
      if (!user) throw notFound('user');
      return ok({ user, mode: p.mode, api_key_id: p.apiKeyId, organization_id: p.orgId });
    },
  });
}
