import { type Static, Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import type * as repo from '../../domain/keys/repo.js';
import * as keys from '../../domain/keys/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Mode = Type.Union([Type.Literal('live'), Type.Literal('test')]);
const KeyStatus = Type.Union([Type.Literal('active'), Type.Literal('revoked')]);

const ApiKey = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    user_id: Type.Integer(),
    mode: Mode,
    last_four: Type.String({ description: 'The last four characters, to tell keys apart.' }),
    status: KeyStatus,
    created_at: Timestamp,
    last_used_at: Nullable(Timestamp),
    revoked_at: Nullable(Timestamp),
  },
  { $id: 'ApiKey' },
);

type KeyRow = NonNullable<Awaited<ReturnType<typeof repo.findKey>>>;
const toApiKey = (k: KeyRow): Static<typeof ApiKey> => ({
  id: k.id,
  name: k.name,
  user_id: k.user_id,
  mode: k.mode,
  last_four: k.last_four,
  status: k.status,
  created_at: k.created_at,
  last_used_at: k.last_used_at,
  revoked_at: k.revoked_at,
});

const CreateKeyBody = Type.Object(
  {
    user: Type.Union([Id, Type.String({ minLength: 3, maxLength: 320 })], {
      description: 'The holder: a user id or email.',
    }),
    name: Text(100, 1),
    mode: Type.Optional(Mode),
  },
  { additionalProperties: false },
);

const CreatedKey = Type.Composite([
  ApiKey,
  Type.Object({
    key: Nullable(
      Type.String({
        description: 'Shown once; store it now. Null when an Idempotency-Key replays the creation.',
      }),
    ),
  }),
]);

/** The stored copy for Idempotency-Key replays keeps the key's id but never the key itself. */
const withoutPlaintext = (body: string) => {
  const parsed = JSON.parse(body);
  parsed.data.key = null;
  parsed.message = 'API key was created; the key was shown only in the first response';
  return JSON.stringify(parsed);
};

const ListQuery = Type.Object(
  {
    ...PageQuery,
    user_id: Type.Optional(Id),
    mode: Type.Optional(Mode),
    status: Type.Optional(KeyStatus),
  },
  { additionalProperties: false },
);

const tags = ['API keys'];

/** Seed 000's "API Key Access": super admins create, list, revoke and reactivate keys for any user. */
export function apiKeyRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(ApiKey);
  const one = { 200: envelope(Type.Ref(ApiKey)), ...errorResponses };

  app.get('/api-keys', {
    config: { gate: gates.manageApiKeys },
    schema: {
      tags,
      summary: 'List API keys',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(ApiKey)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await keys.listApiKeys(
        db,
        principalOf(request),
        request.query,
        await pageRequest(request),
      );
      return { ...ok(page.rows.map(toApiKey)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/api-keys/:id', {
    config: { gate: gates.manageApiKeys },
    schema: { tags, summary: 'Get an API key', params: IdParams, response: one },
    handler: async (request) =>
      ok(toApiKey(await keys.getApiKey(db, principalOf(request), request.params.id))),
  });

  app.post('/api-keys', {
    config: { gate: gates.manageApiKeys, redactStoredResponse: withoutPlaintext },
    schema: {
      tags,
      summary: 'Create an API key for a user',
      body: CreateKeyBody,
      response: { 201: envelope(CreatedKey), ...errorResponses },
    },
    handler: async (request, reply) => {
      const { key, plaintext } = await keys.createApiKey(db, principalOf(request), request.body);
      return reply
        .status(201)
        .send(ok({ ...toApiKey(key), key: plaintext }, 'API key was created; it is shown only once'));
    },
  });

  for (const [action, status] of [
    ['revoke', 'revoked'],
    ['reactivate', 'active'],
  ] as const) {
    app.post(`/api-keys/:id/${action}`, {
      config: { gate: gates.manageApiKeys },
      schema: {
        tags,
        summary: `${action === 'revoke' ? 'Revoke' : 'Reactivate'} an API key`,
        params: IdParams,
        response: one,
      },
      handler: async (request) => {
        const key = await keys.setApiKeyStatus(db, principalOf(request), request.params.id, status);
        return ok(toApiKey(key), `API key was ${action === 'revoke' ? 'revoked' : 'reactivated'}`);
      },
    });
  }
}
