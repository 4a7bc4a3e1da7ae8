import { type Static, Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as deliveries from '../../domain/webhooks/deliveries.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Nullable, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('delivering'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('abandoned'),
]);

export const WebhookDelivery = Type.Object(
  {
    id: Type.Integer(),
    endpoint_id: Type.Integer(),
    event_id: Type.Integer({ description: 'Sent as `webhook-id` (`evt_<event_id>`).' }),
    event_type: Type.String(),
    status: Status,
    attempt_count: Type.Integer(),
    next_attempt_at: Nullable(Timestamp),
    last_attempt_at: Nullable(Timestamp),
    last_status_code: Nullable(Type.Integer()),
    last_latency_ms: Nullable(Type.Integer()),
    last_response: Nullable(Type.String({ description: 'The first 1 KB of the last answer body.' })),
    last_error: Nullable(Type.String()),
    created_at: Timestamp,
  },
  { $id: 'WebhookDelivery' },
);

export const toDelivery = (d: deliveries.DeliveryRow): Static<typeof WebhookDelivery> => ({
  id: d.id,
  endpoint_id: d.endpoint_id,
  event_id: d.event_id,
  event_type: d.event_type,
  status: d.status,
  attempt_count: d.attempt_count,
  next_attempt_at: d.next_attempt_at,
  last_attempt_at: d.last_attempt_at,
  last_status_code: d.last_status_code,
  last_latency_ms: d.last_latency_ms,
  last_response: d.last_response,
  last_error: d.last_error,
  created_at: d.created_at,
});

const ListQuery = Type.Object(
  {
    ...PageQuery,
    endpoint_id: Type.Optional(Id),
    event_id: Type.Optional(Id),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

const tags = ['Webhook deliveries'];
const config = { gate: gates.manageWebhooks };

/** The delivery log of outbound webhooks and manual redelivery (docs/webhooks.md): org admins. */
export function webhookDeliveryRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(WebhookDelivery);

  app.get('/webhook-deliveries', {
    config,
    schema: {
      tags,
      summary: 'List webhook deliveries',
      description: 'Each event sent to each endpoint: its status, attempts and the last answer.',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(WebhookDelivery)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await deliveries.listDeliveries(db, p, request.query, await pageRequest(request));
      return { ...ok(page.rows.map(toDelivery)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/webhook-deliveries/:id', {
    config,
    schema: {
      tags,
      summary: 'Get a webhook delivery',
      params: IdParams,
      response: { 200: envelope(Type.Ref(WebhookDelivery)), ...errorResponses },
    },
    handler: async (request) =>
      ok(toDelivery(await deliveries.getDelivery(db, principalOf(request), request.params.id))),
  });

  app.post('/webhook-deliveries/:id/redeliver', {
    config,
    schema: {
      tags,
      summary: 'Deliver an event to an endpoint again',
      description: 'Queues a new delivery of the same event (same `webhook-id`) to the same endpoint.',
      params: IdParams,
      response: { 202: envelope(Type.Ref(WebhookDelivery)), ...errorResponses },
    },
    handler: async (request, reply) => {
      const delivery = await deliveries.redeliver(db, principalOf(request), request.params.id);
      return reply.status(202).send(ok(toDelivery(delivery), 'The event was queued for delivery again'));
    },
  });
}
