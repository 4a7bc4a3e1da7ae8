import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import { listAuditEvents } from '../../domain/audit/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { FreeObject, Id, Nullable, Text, Timestamp, TimestampParam } from '../shared/fields.js';
import { errorResponses } from './common.js';
import { listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

export const AuditEvent = Type.Object(
  {
    id: Type.Integer(),
    occurred_at: Timestamp,
    mode: Type.String(),
    actor_user_id: Nullable(Type.Integer()),
    api_key_id: Nullable(Type.Integer({ description: 'Null for commands run by the operator (CLI).' })),
    request_id: Nullable(Type.String()),
    action: Type.String(),
    object_type: Type.String(),
    object_id: Nullable(Type.Integer()),
    changes: FreeObject,
  },
  { $id: 'AuditEvent' },
);

const ListQuery = Type.Object(
  {
    ...PageQuery,
    action: Type.Optional(Text(100)),
    object_type: Type.Optional(Text(100)),
    object_id: Type.Optional(Id),
    actor_user_id: Type.Optional(Id),
    api_key_id: Type.Optional(Id),
    request_id: Type.Optional(Text(128)),
    since: Type.Optional(TimestampParam),
    until: Type.Optional(TimestampParam),
  },
  { additionalProperties: false },
);

export function auditEventRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(AuditEvent);
  app.get('/audit-events', {
    config: { gate: gates.readAuditEvents },
    schema: {
      tags: ['Audit'],
      summary: 'List audit events (super admins)',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(AuditEvent)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await listAuditEvents(db, principalOf(request), request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });
}
