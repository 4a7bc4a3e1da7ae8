import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as values from '../../domain/recognition/values.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const CompanyValue = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'CompanyValue' },
);

const valueFields = { name: Text(100, 1), description: Type.Optional(Nullable(Text(2000))) };
const CreateBody = Type.Object(valueFields, {
  additionalProperties: false,
  examples: [{ name: 'Customer obsession', description: 'We start from what the customer needs.' }],
});
const UpdateBody = Type.Partial(Type.Object(valueFields), {
  additionalProperties: false,
  minProperties: 1,
  examples: [{ description: 'We start from what the customer needs, and finish there too.' }],
});
const ListQuery = Type.Object(PageQuery, { additionalProperties: false });

const tags = ['Recognition'];

export function companyValueRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(CompanyValue);
  const one = { 200: envelope(Type.Ref(CompanyValue)), ...errorResponses };

  app.get('/company-values', {
    schema: {
      tags,
      summary: 'List company values',
      description: 'The values a giver may name on a recognition. Everyone may read them.',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(CompanyValue)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await values.listCompanyValues(db, principalOf(request), await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/company-values/:id', {
    schema: { tags, summary: 'Get a company value', params: IdParams, response: one },
    handler: async (request) => ok(await values.getCompanyValue(db, principalOf(request), request.params.id)),
  });

  app.post('/company-values', {
    config: { gate: gates.manageCompanyValues },
    schema: {
      tags,
      summary: 'Create a company value (admins)',
      description: 'Names are unique among current values, ignoring case (409 duplicate_resource).',
      body: CreateBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const value = await values.createCompanyValue(db, principalOf(request), request.body);
      return reply.status(201).send(ok(value, 'Company value was created successfully'));
    },
  });

  app.patch('/company-values/:id', {
    config: { gate: gates.manageCompanyValues },
    schema: {
      tags,
      summary: 'Rename or describe a company value (admins)',
      params: IdParams,
      body: UpdateBody,
      response: one,
    },
    handler: async (request) => {
      const value = await values.updateCompanyValue(
        db,
        principalOf(request),
        request.params.id,
        request.body,
      );
      return ok(value, 'Company value was updated successfully');
    },
  });

  app.delete('/company-values/:id', {
    config: { gate: gates.manageCompanyValues },
    schema: {
      tags,
      summary: 'Delete a company value (admins)',
      description:
        'The value leaves the list and can no longer be chosen; recognitions that name it keep showing it.',
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await values.deleteCompanyValue(db, principalOf(request), request.params.id);
      return ok({ id: request.params.id }, 'Company value was deleted successfully');
    },
  });
}
