import { type Static, Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import type { DepartmentRow } from '../../domain/departments/repo.js';
import * as departments from '../../domain/departments/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Department = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    parent_id: Nullable(
      Type.Integer({ description: 'The department this one sits under; null at the top.' }),
    ),
    path: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() }), {
      description: 'The ancestors, from the top of the tree down to the parent.',
    }),
    member_count: Type.Integer({
      description: 'People whose department this is (not counting sub-departments).',
    }),
    child_count: Type.Integer({ description: 'Direct sub-departments.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Department' },
);

const toDepartment = (d: DepartmentRow): Static<typeof Department> => ({
  ...d,
  path: d.path.map((step) => ({ id: Number(step.id), name: step.name })),
  member_count: Number(d.member_count),
  child_count: Number(d.child_count),
});

const departmentFields = {
  name: Text(200, 1),
  parent_id: Type.Optional(Nullable(Id)),
};
const CreateDepartmentBody = Type.Object(departmentFields, { additionalProperties: false });
const UpdateDepartmentBody = Type.Partial(Type.Object(departmentFields), {
  additionalProperties: false,
  minProperties: 1,
});

const ListQuery = Type.Object(
  {
    ...PageQuery,
    parent_id: Type.Optional(DescribedId('Only the direct sub-departments of this one.')),
    top_level: Type.Optional(Type.Boolean({ description: 'true: only departments without a parent.' })),
    q: Type.Optional(Text(100, 1)),
  },
  { additionalProperties: false },
);

const tags = ['Departments'];
const readers = 'Admins, data admins and HR admins; other roles get 403 insufficient_access.';

export function departmentRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Department);
  const one = { 200: envelope(Type.Ref(Department)), ...errorResponses };

  app.get('/departments', {
    config: { gate: gates.readDepartments },
    schema: {
      tags,
      summary: 'List departments',
      description: readers,
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Department)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await departments.listDepartments(
        db,
        principalOf(request),
        request.query,
        await pageRequest(request),
      );
      return { ...ok(page.rows.map(toDepartment)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/departments/:id', {
    config: { gate: gates.readDepartments },
    schema: { tags, summary: 'Get a department', description: readers, params: IdParams, response: one },
    handler: async (request) =>
      ok(toDepartment(await departments.getDepartment(db, principalOf(request), request.params.id))),
  });

  app.post('/departments', {
    config: { gate: gates.manageDepartments },
    schema: {
      tags,
      summary: 'Create a department (admins)',
      description: 'Names are unique among the sub-departments of one parent, ignoring case.',
      body: CreateDepartmentBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const department = await departments.createDepartment(db, principalOf(request), request.body);
      return reply.status(201).send(ok(toDepartment(department), 'Department was created successfully'));
    },
  });

  app.patch('/departments/:id', {
    config: { gate: gates.manageDepartments },
    schema: {
      tags,
      summary: 'Rename or move a department (admins)',
      description:
        'Send parent_id to move it (null: to the top); its people and sub-departments move with it. ' +
        'Moving it under itself or one of its sub-departments is refused with 422 invalid_operation.',
      params: IdParams,
      body: UpdateDepartmentBody,
      response: one,
    },
    handler: async (request) => {
      const department = await departments.updateDepartment(
        db,
        principalOf(request),
        request.params.id,
        request.body,
      );
      return ok(toDepartment(department), 'Department was updated successfully');
    },
  });

  app.delete('/departments/:id', {
    config: { gate: gates.manageDepartments },
    schema: {
      tags,
      summary: 'Delete a department (admins)',
      description:
        'Only a department with no people, no sub-departments and no goals can be deleted; otherwise 422 invalid_operation.',
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await departments.deleteDepartment(db, principalOf(request), request.params.id);
      return ok({ id: request.params.id }, 'Department was deleted successfully');
    },
  });
}
