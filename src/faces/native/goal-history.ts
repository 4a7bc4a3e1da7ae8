import { Type } from '@sinclair/typebox';
import { goalHistory } from '../../domain/goals/history.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { TimestampParam } from '../shared/fields.js';
import { AuditEvent } from './audit-events.js';
import { errorResponses, IdParams } from './common.js';
import { listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const HistoryQuery = Type.Object(
  { ...PageQuery, since: Type.Optional(TimestampParam) },
  { additionalProperties: false },
);

export function goalHistoryRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.get('/goals/:id/history', {
    schema: {
      tags: ['Goals'],
      summary: 'Every change to the goal and its milestones, oldest first',
      description:
        'Creation, each field changed (from → to), check-ins, progress moves (also those rolled up from ' +
        'aligned goals), milestones added, changed and deleted: who, when, through which key and request.',
      params: IdParams,
      querystring: HistoryQuery,
      response: { 200: listEnvelope(Type.Ref(AuditEvent)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await goalHistory(
        db,
        principalOf(request),
        request.params.id,
        request.query,
        await pageRequest(request),
      );
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });
}
