import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import { changeEvents, outboundEventTypes } from '../../domain/changes.js';
import { listEvents } from '../../domain/webhooks/events.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { FreeObject, Nullable, Text, Timestamp, TimestampParam } from '../shared/fields.js';
import { errorResponses } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Event = Type.Object(
  {
    id: Type.Integer({ description: 'Sent as `webhook-id`: `evt_<id>`.' }),
    type: Type.String(),
    object_type: Type.String(),
    object_id: Nullable(Type.Integer()),
    data: FreeObject,
    created_at: Timestamp,
  },
  { $id: 'Event' },
);

const EventType = Type.Object(
  {
    type: Type.String({ description: 'The name an endpoint subscribes to, as in `event_types`.' }),
    object_type: Type.String({ description: 'The kind of object the event names.' }),
    description: Type.String(),
  },
  { $id: 'EventType' },
);

/** The registry's outbound events: fixed by the server's version, so one answer, not a paged list. */
const eventTypes = outboundEventTypes.map((type) => ({
  type,
  object_type: changeEvents[type].object,
  description: changeEvents[type].description,
}));

const ListQuery = Type.Object(
  { ...PageQuery, type: Type.Optional(Text(100)), since: Type.Optional(TimestampParam) },
  { additionalProperties: false },
);

/** The outbox of outbound events (docs/webhooks.md): what endpoints are sent, oldest first; org admins. */
export function eventRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Event);
  app.get('/events', {
    config: { gate: gates.manageWebhooks },
    schema: {
      tags: ['Webhook endpoints'],
      summary: 'List outbound events',
      description:
        'Every event written for webhooks in the key’s mode, whether or not an endpoint receives it.',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Event)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await listEvents(db, principalOf(request), request.query, await pageRequest(request));
      const rows = page.rows.map(({ payload, ...event }) => ({ ...event, data: payload }));
      return { ...ok(rows), ...(await pageFields(page, request)) };
    },
  });

  app.addSchema(EventType);
  app.get('/webhook-event-types', {
    config: { gate: gates.manageWebhooks },
    schema: {
      tags: ['Webhook endpoints'],
      summary: 'List the event types an endpoint may subscribe to',
      description: 'Every outbound event type (docs/events.md), in the registry’s order, with what it means.',
      response: { 200: envelope(Type.Array(Type.Ref(EventType))), ...errorResponses },
    },
    handler: async () => ok(eventTypes),
  });
}
