import { Type } from '@sinclair/typebox';
import { getHrScope, replaceHrScope } from '../../domain/access/hr-scopes.js';
import { gates } from '../../domain/access/policy.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id } from '../shared/fields.js';
import { errorResponses, UserRefParams } from './common.js';
import { envelope, ok } from './envelope.js';

const Ids = (description: string) => Type.Array(Id, { maxItems: 1000, uniqueItems: true, description });

const HrScope = Type.Object(
  {
    user_id: Type.Integer(),
    department_ids: Type.Array(Type.Integer(), {
      description: 'Departments covered, each with all its sub-departments.',
    }),
    group_ids: Type.Array(Type.Integer(), { description: 'Groups whose members are covered.' }),
    in_effect: Type.Boolean({
      description: "True while the user's role is hr_admin; for any other role the scope is kept but unused.",
    }),
  },
  { $id: 'HrScope' },
);

const HrScopeBody = Type.Object(
  {
    department_ids: Ids('Every department the user covers; each brings its sub-departments. [] for none.'),
    group_ids: Ids('Every group whose members the user covers. [] for none.'),
  },
  { additionalProperties: false },
);

const tags = ['Users'];

export function hrScopeRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(HrScope);
  const one = { 200: envelope(Type.Ref(HrScope)), ...errorResponses };

  app.get('/users/:id/hr-scope', {
    config: { gate: gates.manageHrScopes },
    schema: {
      tags,
      summary: "Get a user's HR-admin scope (super admins)",
      description: 'The departments and groups whose people an hr_admin may write.',
      params: UserRefParams,
      response: one,
    },
    handler: async (request) => ok(await getHrScope(db, principalOf(request), request.params.id)),
  });

  app.put('/users/:id/hr-scope', {
    config: { gate: gates.manageHrScopes },
    schema: {
      tags,
      summary: "Replace a user's HR-admin scope (super admins)",
      description:
        'Send the full scope: anything not listed is removed. Every id must be a department or group of the ' +
        "organisation in the key's mode (422 invalid_operation otherwise). Any user may hold a scope; it " +
        'takes effect only while their role is hr_admin.',
      params: UserRefParams,
      body: HrScopeBody,
      response: one,
    },
    handler: async (request) => {
      const scope = await replaceHrScope(db, principalOf(request), request.params.id, request.body);
      return ok(scope, 'HR-admin scope was replaced successfully');
    },
  });
}
