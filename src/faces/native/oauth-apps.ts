import { type Static, Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as apps from '../../domain/oauth/apps.js';
import type { AppRow } from '../../domain/oauth/repo.js';
import { MAX_ROTATION_OVERLAP_S } from '../../domain/oauth/rules.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Kind = Type.Union([Type.Literal('public'), Type.Literal('confidential')], {
  description:
    'confidential: a server that keeps a client hash; public: a browser or native app (PKCE only).',
});
const RedirectUris = Type.Array(Text(2000, 1), {
  minItems: 1,
  maxItems: 10,
  description: 'Matched exactly; https, or plain http on a loopback address.',
});

const OAuthApp = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Type.String(),
    logo_url: Nullable(Type.String()),
    redirect_uris: Type.Array(Type.String()),
    contact_email: Type.String(),
    kind: Kind,
    client_id: Type.String(),
    mode: Type.Union([Type.Literal('live'), Type.Literal('test')], {
      description: 'The mode its tokens act in: the mode of the key that registered it.',
    }),
    previous_client_hash_expires_at: Nullable(Timestamp),
    created_by: Nullable(Type.Integer()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'OAuthApp' },
);

const toOAuthApp = (a: AppRow): Static<typeof OAuthApp> => ({
  id: a.id,
  name: a.name,
  description: a.description,
  logo_url: a.logo_url,
  redirect_uris: a.redirect_uris,
  contact_email: a.contact_email,
  kind: a.kind,
  client_id: a.client_id,
  mode: a.mode,
  previous_client_hash_expires_at: a.previous_secret_expires_at,
  created_by: a.created_by,
  created_at: a.created_at,
  updated_at: a.updated_at,
});

const appFields = {
  name: Text(100, 1),
  description: Type.Optional(Text(2000)),
  logo_url: Type.Optional(Nullable(Text(2000, 1))),
  redirect_uris: RedirectUris,
  contact_email: Type.String({ format: 'email', maxLength: 320 }),
};
const CreateAppBody = Type.Object({ ...appFields, kind: Kind }, { additionalProperties: false });
const UpdateAppBody = Type.Partial(Type.Object(appFields), {
  additionalProperties: false,
  minProperties: 1,
});
const RotateBody = Type.Object(
  {
    overlap_seconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_ROTATION_OVERLAP_S,
        description: 'How long the old client hash keeps working: a day unless told; 0 ends it at once.',
      }),
    ),
  },
  { additionalProperties: false },
);

const WithHash = Type.Composite([
  OAuthApp,
  Type.Object({
    client_hash: Nullable(
      Type.String({
        description:
          'The client secret, shown once: store it now. Null for a public app, and when an Idempotency-Key replays the answer.',
      }),
    ),
  }),
]);

/** The stored copy for Idempotency-Key replays keeps the app but never its client hash. */
const withoutClientHash = (body: string) => {
  const parsed = JSON.parse(body);
  parsed.data.client_hash = null;
  parsed.message = 'OAuth app was registered; the client hash was shown only in the first response';
  return JSON.stringify(parsed);
};

const tags = ['OAuth apps'];

/** Issue 16, item 4 (docs/oauth.md): admins register the apps that may ask people for access. */
export function oauthAppRoutes(app: App, { db, cursorSecrets, clock }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  const now = () => clock?.() ?? Date.now();
  app.addSchema(OAuthApp);
  const one = { 200: envelope(Type.Ref(OAuthApp)), ...errorResponses };
  const config = { gate: gates.manageOAuthApps };

  app.get('/oauth-apps', {
    config,
    schema: {
      tags,
      summary: 'List OAuth apps (admins)',
      querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
      response: { 200: listEnvelope(Type.Ref(OAuthApp)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await apps.listOAuthApps(db, principalOf(request), await pageRequest(request));
      return { ...ok(page.rows.map(toOAuthApp)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/oauth-apps/:id', {
    config,
    schema: { tags, summary: 'Get an OAuth app (admins)', params: IdParams, response: one },
    handler: async (request) =>
      ok(toOAuthApp(await apps.getOAuthApp(db, principalOf(request), request.params.id))),
  });

  app.post('/oauth-apps', {
    config: { ...config, redactStoredResponse: withoutClientHash },
    schema: {
      tags,
      summary: 'Register an OAuth app (admins)',
      description: 'A confidential app gets a client hash (its secret), shown only in this answer.',
      body: CreateAppBody,
      response: { 201: envelope(WithHash), ...errorResponses },
    },
    handler: async (request, reply) => {
      const made = await apps.createOAuthApp(db, principalOf(request), request.body);
      const message = 'OAuth app was registered; its client hash is shown only once';
      return reply.status(201).send(ok({ ...toOAuthApp(made.app), client_hash: made.clientHash }, message));
    },
  });

  app.patch('/oauth-apps/:id', {
    config,
    schema: {
      tags,
      summary: 'Change an OAuth app (admins)',
      params: IdParams,
      body: UpdateAppBody,
      response: one,
    },
    handler: async (request) => {
      const changed = await apps.updateOAuthApp(db, principalOf(request), request.params.id, request.body);
      return ok(toOAuthApp(changed), 'OAuth app was updated');
    },
  });

  app.post('/oauth-apps/:id/rotate-client-hash', {
    config: { ...config, redactStoredResponse: withoutClientHash },
    schema: {
      tags,
      summary: "Rotate an app's client hash (admins)",
      description: 'The new hash is shown once; the old one keeps working for `overlap_seconds`.',
      params: IdParams,
      body: Type.Optional(RotateBody),
      response: { 200: envelope(WithHash), ...errorResponses },
    },
    handler: async (request) => {
      const { app: rotated, clientHash } = await apps.rotateClientHash(
        db,
        principalOf(request),
        request.params.id,
        request.body?.overlap_seconds,
        now(),
      );
      return ok({ ...toOAuthApp(rotated), client_hash: clientHash }, 'Client hash was rotated');
    },
  });

  app.delete('/oauth-apps/:id', {
    config,
    schema: {
      tags,
      summary: 'Delete an OAuth app (admins)',
      description: 'Its client id stops working and every token it was given is revoked at once.',
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await apps.deleteOAuthApp(db, principalOf(request), request.params.id, now());
      return ok({ id: request.params.id }, 'OAuth app was deleted');
    },
  });
}
