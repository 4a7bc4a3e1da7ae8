import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as periods from '../../domain/periods/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Day = Type.String({ format: 'date' });
const Status = Type.Union([Type.Literal('open'), Type.Literal('closed')], {
  description: 'A closed period refuses check-ins unless the caller sends allow_closed_period.',
});

const Period = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    starts_on: Day,
    ends_on: Day,
    parent_id: Nullable(
      Type.Integer({ description: 'The period this one is nested in, e.g. a quarter in a year.' }),
    ),
    status: Status,
    created_at: Timestamp,
    updated_at: Timestamp,
    closed_at: Nullable(Timestamp),
  },
  { $id: 'Period' },
);

const periodFields = {
  name: Text(100, 1),
  starts_on: Day,
  ends_on: Day,
  parent_id: Type.Optional(Nullable(Id)),
  status: Type.Optional(Status),
};
const CreatePeriodBody = Type.Object(periodFields, { additionalProperties: false });
const UpdatePeriodBody = Type.Partial(Type.Object(periodFields), {
  additionalProperties: false,
  minProperties: 1,
});

const ListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Status),
    parent_id: Type.Optional(Id),
    on: Type.Optional(Type.String({ format: 'date', description: 'Periods that contain this day.' })),
    q: Type.Optional(Text(100, 1)),
  },
  { additionalProperties: false },
);

const tags = ['Periods'];

export function periodRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Period);
  const one = { 200: envelope(Type.Ref(Period)), ...errorResponses };

  app.get('/periods', {
    schema: {
      tags,
      summary: 'List periods (cycles)',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Period)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await periods.listPeriods(
        db,
        principalOf(request),
        request.query,
        await pageRequest(request),
      );
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.post('/periods', {
    config: { gate: gates.managePeriods },
    schema: {
      tags,
      summary: 'Create a period (admins)',
      description: 'A nested period must lie within its parent.',
      body: CreatePeriodBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const period = await periods.createPeriod(db, principalOf(request), request.body);
      return reply.status(201).send(ok(period, 'Period was created successfully'));
    },
  });

  app.get('/periods/:id', {
    schema: { tags, summary: 'Get a period', params: IdParams, response: one },
    handler: async (request) => ok(await periods.getPeriod(db, principalOf(request), request.params.id)),
  });

  app.patch('/periods/:id', {
    config: { gate: gates.managePeriods },
    schema: {
      tags,
      summary: 'Update or close a period (admins)',
      description:
        'Send status "closed" to close it. Goals that took their dates from the period follow a change of its dates.',
      params: IdParams,
      body: UpdatePeriodBody,
      response: one,
    },
    handler: async (request) => {
      const period = await periods.updatePeriod(db, principalOf(request), request.params.id, request.body);
      return ok(period, 'Period was updated successfully');
    },
  });
}
