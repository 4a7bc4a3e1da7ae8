import { type Static, Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import { outboundEventTypes } from '../../domain/changes.js';
import { NO_EXCEPTIONS } from '../../domain/webhooks/addresses.js';
import { pingEndpoint } from '../../domain/webhooks/deliveries.js';
import * as endpoints from '../../domain/webhooks/endpoints.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';
import { toDelivery, WebhookDelivery } from './webhook-deliveries.js';

const EventTypes = Type.Array(Type.Union(outboundEventTypes.map((type) => Type.Literal(type))), {
  minItems: 1,
  maxItems: 200,
  description: 'The event types it receives (docs/events.md); null: every outbound event.',
});

const WebhookEndpoint = Type.Object(
  {
    id: Type.Integer(),
    mode: Type.Union([Type.Literal('live'), Type.Literal('test')]),
    url: Type.String(),
    description: Nullable(Type.String()),
    event_types: Nullable(Type.Array(Type.String())),
    enabled: Type.Boolean({ description: 'False while disabled: nothing is sent; deliveries wait.' }),
    disabled_reason: Nullable(
      Type.String({ description: 'Why the server disabled it (it answered 410 Gone); null otherwise.' }),
    ),
    created_by: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'WebhookEndpoint' },
);

const toEndpoint = (e: endpoints.EndpointRow): Static<typeof WebhookEndpoint> => ({
  id: e.id,
  mode: e.mode,
  url: e.url,
  description: e.description,
  event_types: e.event_types,
  enabled: e.enabled,
  disabled_reason: e.disabled_reason,
  created_by: e.created_by,
  created_at: e.created_at,
  updated_at: e.updated_at,
});

const IssuedEndpoint = Type.Composite([
  WebhookEndpoint,
  Type.Object({
    signing_secret: Nullable(
      Type.String({ description: 'The Standard Webhooks secret (whsec_…). Shown once; null on a replay.' }),
    ),
  }),
]);
const issued = ({ endpoint, secret }: endpoints.IssuedEndpoint) => ({
  ...toEndpoint(endpoint),
  signing_secret: secret,
});

/** The stored copy for Idempotency-Key replays keeps the endpoint but never its secret. */
const withoutSecret = (body: string) => {
  const parsed = JSON.parse(body);
  parsed.data.signing_secret = null;
  parsed.message = 'The signing secret was shown only in the first response';
  return JSON.stringify(parsed);
};

const Url = Text(2000, 1);
const Description = Nullable(Text(500));
const CreateBody = Type.Object(
  {
    url: Url,
    description: Type.Optional(Description),
    event_types: Type.Optional(Nullable(EventTypes)),
    enabled: Type.Optional(
      Type.Boolean({ description: 'False: made disabled; nothing is sent until enabled.' }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ url: 'https://example.com/trellis', event_types: ['goal.created', 'milestone.checked_in'] }],
  },
);
const UpdateBody = Type.Object(
  {
    url: Type.Optional(Url),
    description: Type.Optional(Description),
    event_types: Type.Optional(Nullable(EventTypes)),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ enabled: false }] },
);

const tags = ['Webhook endpoints'];
const config = { gate: gates.manageWebhooks };

/** Outbound webhook endpoints (docs/webhooks.md, "Outbound events"): org admins. */
export function webhookEndpointRoutes(app: App, { db, cursorSecrets, webhookAllow }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  const allow = webhookAllow ?? NO_EXCEPTIONS;
  app.addSchema(WebhookEndpoint);
  const one = { 200: envelope(Type.Ref(WebhookEndpoint)), ...errorResponses };

  app.get('/webhook-endpoints', {
    config,
    schema: {
      tags,
      summary: 'List webhook endpoints',
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: listEnvelope(Type.Ref(WebhookEndpoint)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await endpoints.listEndpoints(db, principalOf(request), await pageRequest(request));
      return { ...ok(page.rows.map(toEndpoint)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/webhook-endpoints/:id', {
    config,
    schema: { tags, summary: 'Get a webhook endpoint', params: IdParams, response: one },
    handler: async (request) =>
      ok(toEndpoint(await endpoints.getEndpoint(db, principalOf(request), request.params.id))),
  });

  app.post('/webhook-endpoints', {
    config: { ...config, redactStoredResponse: withoutSecret },
    schema: {
      tags,
      summary: 'Create a webhook endpoint',
      description:
        'Events of the key’s mode are POSTed to the URL, signed per Standard Webhooks with the secret ' +
        'answered here, once. The URL must be https and reach a public address.',
      body: CreateBody,
      response: { 201: envelope(IssuedEndpoint), ...errorResponses },
    },
    handler: async (request, reply) => {
      const made = await endpoints.createEndpoint(db, principalOf(request), request.body, allow);
      const message = 'Webhook endpoint was created; its signing secret is shown only once';
      return reply.status(201).send(ok(issued(made), message));
    },
  });

  app.patch('/webhook-endpoints/:id', {
    config,
    schema: {
      tags,
      summary: 'Change, enable or disable a webhook endpoint',
      params: IdParams,
      body: UpdateBody,
      response: one,
    },
    handler: async (request) => {
      const p = principalOf(request);
      return ok(toEndpoint(await endpoints.updateEndpoint(db, p, request.params.id, request.body, allow)));
    },
  });

  app.post('/webhook-endpoints/:id/rotate', {
    config: { ...config, redactStoredResponse: withoutSecret },
    schema: {
      tags,
      summary: 'Rotate the signing secret of a webhook endpoint',
      description: 'Every delivery from now on is signed with the new secret, shown only in this answer.',
      params: IdParams,
      response: { 200: envelope(IssuedEndpoint), ...errorResponses },
    },
    handler: async (request) => {
      const made = await endpoints.rotateEndpointSecret(db, principalOf(request), request.params.id);
      return ok(issued(made), 'The signing secret was rotated; it is shown only once');
    },
  });

  app.post('/webhook-endpoints/:id/ping', {
    config,
    schema: {
      tags,
      summary: 'Send a test ping to a webhook endpoint',
      description: 'Queues a signed `webhook.ping` event for this endpoint; its delivery shows the answer.',
      params: IdParams,
      response: { 202: envelope(Type.Ref(WebhookDelivery)), ...errorResponses },
    },
    handler: async (request, reply) => {
      const delivery = await pingEndpoint(db, principalOf(request), request.params.id);
      return reply.status(202).send(ok(toDelivery(delivery), 'A ping was queued for delivery'));
    },
  });

  app.delete('/webhook-endpoints/:id', {
    config,
    schema: {
      tags,
      summary: 'Delete a webhook endpoint',
      params: IdParams,
      response: { 200: envelope(Type.Null()), ...errorResponses },
    },
    handler: async (request) => {
      await endpoints.deleteEndpoint(db, principalOf(request), request.params.id);
      return ok(null, 'Webhook endpoint was deleted');
    },
  });
}
