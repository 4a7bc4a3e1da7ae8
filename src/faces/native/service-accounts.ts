import { type Static, Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import type { ServiceAccountRow } from '../../domain/service-accounts/repo.js';
import * as accounts from '../../domain/service-accounts/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';
import { Role, Status } from './users.js';

const NoticeAcceptance = Type.Object({
  version: Type.Integer(),
  accepted_at: Timestamp,
  accepted_by: Nullable(Type.Integer({ description: 'The super admin who accepted it for the account.' })),
});

const ServiceAccount = Type.Object(
  {
    id: Type.Integer({ description: 'Its user id: keys are made for it with POST /v1/api-keys.' }),
    name: Type.String(),
    description: Nullable(Type.String()),
    role: Role,
    data_admin: Type.Boolean(),
    status: Status,
    created_by: Type.Integer({ description: 'The super admin who created it.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    deactivated_at: Nullable(Timestamp),
    privacy_notice: Type.Unsafe<Static<typeof NoticeAcceptance> | null>(
      Type.Union([NoticeAcceptance, Type.Null()], {
        description: 'Its acceptance of the current notice; null after a new version, until accepted again.',
      }),
    ),
  },
  { $id: 'ServiceAccount' },
);

const toServiceAccount = (a: ServiceAccountRow): Static<typeof ServiceAccount> => ({
  id: a.id,
  name: a.name,
  description: a.description,
  role: a.role,
  data_admin: a.data_admin,
  status: a.status,
  created_by: a.created_by,
  created_at: a.created_at,
  updated_at: a.updated_at,
  deactivated_at: a.deactivated_at,
  privacy_notice:
    a.privacy_notice_version !== null && a.privacy_notice_accepted_at !== null
      ? {
          version: a.privacy_notice_version,
          accepted_at: a.privacy_notice_accepted_at,
          accepted_by: a.privacy_notice_accepted_by,
        }
      : null,
});

const fields = {
  name: Text(200, 1),
  description: Type.Optional(Nullable(Text(2000))),
  role: Type.Optional(Role),
  data_admin: Type.Optional(Type.Boolean()),
};
const CreateBody = Type.Object(fields, { additionalProperties: false });
const UpdateBody = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
const ListQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(Status) },
  { additionalProperties: false },
);

const tags = ['Service accounts'];
const LIVE = 'A live key or a session: a test key reads service accounts but cannot make or change them.';

export function serviceAccountRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(ServiceAccount);
  const one = { 200: envelope(Type.Ref(ServiceAccount)), ...errorResponses };
  const config = { gate: gates.manageServiceAccounts };

  app.get('/service-accounts', {
    config,
    schema: {
      tags,
      summary: 'List service accounts (super admins)',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(ServiceAccount)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await accounts.listServiceAccounts(db, p, request.query, await pageRequest(request));
      return { ...ok(page.rows.map(toServiceAccount)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/service-accounts/:id', {
    config,
    schema: { tags, summary: 'Get a service account (super admins)', params: IdParams, response: one },
    handler: async (request) =>
      ok(toServiceAccount(await accounts.getServiceAccount(db, principalOf(request), request.params.id))),
  });

  app.post('/service-accounts', {
    config,
    schema: {
      tags,
      summary: 'Create a service account (super admins)',
      description:
        'A user who is not a person: it never signs in, takes no seat and is left out of people lists. ' +
        `The caller accepts the privacy notice for it. Make its keys with POST /v1/api-keys. ${LIVE}`,
      body: CreateBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const account = await accounts.createServiceAccount(db, principalOf(request), request.body);
      return reply
        .status(201)
        .send(ok(toServiceAccount(account), 'Service account was created successfully'));
    },
  });

  app.patch('/service-accounts/:id', {
    config,
    schema: {
      tags,
      summary: 'Rename, describe or change the role of a service account (super admins)',
      description: LIVE,
      params: IdParams,
      body: UpdateBody,
      response: one,
    },
    handler: async (request) => {
      const p = principalOf(request);
      const account = await accounts.updateServiceAccount(db, p, request.params.id, request.body);
      return ok(toServiceAccount(account), 'Service account was updated successfully');
    },
  });

  app.post('/service-accounts/:id/privacy-notice-acceptance', {
    config,
    schema: {
      tags,
      summary: 'Accept the current privacy notice for a service account (super admins)',
      description: `After a new notice version its keys are refused until a super admin accepts it for the account; the caller is recorded as accepted_by. ${LIVE}`,
      params: IdParams,
      response: one,
    },
    handler: async (request) => {
      const account = await accounts.acceptNoticeFor(db, principalOf(request), request.params.id);
      return ok(toServiceAccount(account), 'The privacy notice was accepted for the service account');
    },
  });

  app.post('/service-accounts/:id/deactivate', {
    config,
    schema: {
      tags,
      summary: 'Deactivate a service account (super admins)',
      description: `Its keys stop working at once; POST /v1/users/{id}/reactivate brings it back. ${LIVE}`,
      params: IdParams,
      response: one,
    },
    handler: async (request) => {
      const p = principalOf(request);
      const account = await accounts.setServiceAccountStatus(db, p, request.params.id, 'deactivated');
      return ok(toServiceAccount(account), 'Service account was deactivated successfully');
    },
  });
}
