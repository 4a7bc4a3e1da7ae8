import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../../app.js';
import { goalHistory } from '../../domain/goals/history.js';
import { listEnvelope, ok } from '../../http/envelope.js';
import { PageQuery, pageFields } from '../../http/pagination.js';
import { AuditEvent } from './audit-events.js';
import { errorResponses, IdParams, TimestampParam } from './common.js';

const HistoryQuery = Type.Object(
  { ...PageQuery, since: Type.Optional(TimestampParam) },
  { additionalProperties: false },
);

export function goalHistoryRoutes(app: App, { db }: AppDeps) {
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
      const page = await goalHistory(db, request.principal, request.params.id, request.query);
      return { ...ok(page.rows), ...pageFields(page, request) };
    },
  });
}
