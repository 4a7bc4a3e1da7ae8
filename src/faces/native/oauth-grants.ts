import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as grants from '../../domain/oauth/grants.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, ok } from './envelope.js';

const OAuthGrant = Type.Object(
  {
    id: Type.Integer({ description: 'The app’s id.' }),
    app_name: Type.String(),
    user_id: Type.Integer(),
    scope: Type.String(),
    granted_at: Timestamp,
    tokens: Type.Integer({ description: 'Tokens in force under the grant.' }),
  },
  { $id: 'OAuthGrant' },
);

type GrantRow = Awaited<ReturnType<typeof grants.listMyGrants>>[number];
const toGrant = (g: GrantRow) => ({ ...g, id: Number(g.id), tokens: Number(g.tokens) });

const tags = ['OAuth apps'];
const revoked = { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses };

/** The apps a person let act for them, revocable by the person and by admins (docs/oauth.md). */
export function oauthGrantRoutes(app: App, { db, clock }: FaceDeps) {
  const now = () => clock?.() ?? Date.now();
  app.addSchema(OAuthGrant);
  const list = { 200: envelope(Type.Array(Type.Ref(OAuthGrant))), ...errorResponses };

  app.get('/me/oauth-grants', {
    schema: { tags, summary: 'The apps you let act for you', response: list },
    handler: async (request) => ok((await grants.listMyGrants(db, principalOf(request), now())).map(toGrant)),
  });

  app.delete('/me/oauth-grants/:id', {
    schema: {
      tags,
      summary: 'Revoke an app’s access to your account',
      description:
        'Every token you gave the app stops working at once. An app you never authorised is a 404.',
      params: IdParams,
      response: revoked,
    },
    handler: async (request) => {
      await grants.revokeMyGrant(db, principalOf(request), request.params.id, now());
      return ok({ id: request.params.id }, 'OAuth grant was revoked');
    },
  });

  app.get('/oauth-apps/:id/grants', {
    config: { gate: gates.manageOAuthApps },
    schema: { tags, summary: 'The people who authorised an app (admins)', params: IdParams, response: list },
    handler: async (request) =>
      ok((await grants.listAppGrants(db, principalOf(request), request.params.id, now())).map(toGrant)),
  });

  app.delete('/oauth-apps/:id/grants/:user_id', {
    config: { gate: gates.manageOAuthApps },
    schema: {
      tags,
      summary: 'Revoke one person’s grant to an app (admins)',
      params: Type.Object({ id: Id, user_id: Id }),
      response: revoked,
    },
    handler: async (request) => {
      const { id, user_id } = request.params;
      await grants.revokeAppGrant(db, principalOf(request), id, user_id, now());
      return ok({ id }, 'OAuth grant was revoked');
    },
  });
}
