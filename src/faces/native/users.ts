import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as users from '../../domain/users/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { FreeObject, Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, UserRefParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

export const Role = Type.Union([
  Type.Literal('super_admin'),
  Type.Literal('admin'),
  Type.Literal('hr_admin'),
  Type.Literal('member'),
]);
export const Status = Type.Union([Type.Literal('active'), Type.Literal('deactivated')]);
const Kind = Type.Union([Type.Literal('person'), Type.Literal('service')], {
  description: 'A person, or a service account (docs/service-accounts.md): a user who never signs in.',
});
const CustomFields = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean(), Type.Null()]),
  {
    maxProperties: 100,
    description: 'Free-form attributes from the HR system: strings, numbers, booleans.',
  },
);

export const User = Type.Object(
  {
    id: Type.Integer(),
    employee_id: Nullable(Type.String()),
    email: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    preferred_name: Nullable(Type.String()),
    title: Nullable(Type.String()),
    department_id: Nullable(Type.Integer()),
    manager_id: Nullable(Type.Integer()),
    dotted_line_manager_ids: Type.Array(Type.Integer()),
    location: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    hire_date: Nullable(Type.String({ format: 'date' })),
    status: Status,
    role: Role,
    data_admin: Type.Boolean(),
    kind: Kind,
    custom_fields: FreeObject,
    created_at: Timestamp,
    updated_at: Timestamp,
    deactivated_at: Nullable(Timestamp),
  },
  { $id: 'User' },
);

const userFields = {
  employee_id: Type.Optional(Nullable(Text(64, 1))),
  email: Type.String({ format: 'email', maxLength: 320 }),
  first_name: Text(100, 1),
  last_name: Text(100, 1),
  preferred_name: Type.Optional(Nullable(Text(100))),
  title: Type.Optional(Nullable(Text(200))),
  department_id: Type.Optional(Nullable(Id)),
  manager_id: Type.Optional(Nullable(Id)),
  dotted_line_manager_ids: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
  location: Type.Optional(Nullable(Text(200))),
  phone: Type.Optional(Nullable(Text(50))),
  hire_date: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  role: Type.Optional(Role),
  data_admin: Type.Optional(Type.Boolean()),
  custom_fields: Type.Optional(CustomFields),
};

export const CreateUserBody = Type.Object(userFields, { additionalProperties: false });
export const UpdateUserBody = Type.Partial(Type.Object(userFields), {
  additionalProperties: false,
  minProperties: 1,
});

const ListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Status),
    role: Type.Optional(Role),
    department_id: Type.Optional(Id),
    manager_id: Type.Optional(Id),
    email: Type.Optional(Text(320)),
    employee_id: Type.Optional(Text(64)),
    q: Type.Optional(Text(100, 1)),
    updated_since: Type.Optional(Type.String({ format: 'date-time' })),
    kind: Type.Optional(
      Type.Union([Kind, Type.Literal('all')], {
        description: 'person (the default: people only), service (service accounts only) or all.',
      }),
    ),
  },
  { additionalProperties: false },
);

const tags = ['Users'];

export function userRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(User);
  const one = { 200: envelope(Type.Ref(User)), ...errorResponses };

  app.get('/users', {
    schema: {
      tags,
      summary: 'List users',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(User)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await users.listUsers(db, principalOf(request), request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/users/:id', {
    schema: { tags, summary: 'Get a user by id or email', params: UserRefParams, response: one },
    handler: async (request) => ok(await users.getUser(db, principalOf(request), request.params.id)),
  });

  app.post('/users', {
    config: { gate: gates.writeUsers },
    schema: { tags, summary: 'Create a user', body: CreateUserBody, response: { ...one, 201: one[200] } },
    handler: async (request, reply) => {
      const user = await users.createUser(db, principalOf(request), request.body);
      return reply.status(201).send(ok(user, 'User was created successfully'));
    },
  });

  app.patch('/users/:id', {
    config: { gate: gates.writeUsers },
    schema: { tags, summary: 'Update a user', params: UserRefParams, body: UpdateUserBody, response: one },
    handler: async (request) => {
      const user = await users.updateUser(db, principalOf(request), request.params.id, request.body);
      return ok(user, 'User was updated successfully');
    },
  });

  for (const [action, status] of [
    ['deactivate', 'deactivated'],
    ['reactivate', 'active'],
  ] as const) {
    app.post(`/users/:id/${action}`, {
      config: { gate: gates.writeUsers },
      schema: {
        tags,
        summary: `${action[0]?.toUpperCase()}${action.slice(1)} a user`,
        params: UserRefParams,
        response: one,
      },
      handler: async (request) => {
        const user = await users.setUserStatus(db, principalOf(request), request.params.id, status);
        return ok(user, `User was ${status === 'active' ? 'reactivated' : 'deactivated'} successfully`);
      },
    });
  }
}
