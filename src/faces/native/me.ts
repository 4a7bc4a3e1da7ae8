import { Type } from '@sinclair/typebox';
import { whoAmI } from '../../domain/users/service.js';
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
      const me = await whoAmI(db, principalOf(request));
      return ok({ user: me.user, mode: me.mode, api_key_id: me.apiKeyId, organization_id: me.orgId });
    },
  });
}
