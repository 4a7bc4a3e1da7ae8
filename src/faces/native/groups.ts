import { type Static, Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import type { GroupRow } from '../../domain/groups/repo.js';
import * as groups from '../../domain/groups/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { memberFields } from './directory-members.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const UserIds = (description: string) => Type.Array(Id, { maxItems: 10_000, uniqueItems: true, description });

const Group = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Nullable(Type.String()),
    member_count: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Group' },
);
const GroupMember = Type.Object(memberFields, { $id: 'GroupMember' });

const toGroup = (g: GroupRow): Static<typeof Group> => ({
  ...g,
  member_count: Number(g.member_count),
});

const groupFields = { name: Text(200, 1), description: Type.Optional(Nullable(Text(2000))) };
const CreateGroupBody = Type.Object(
  { ...groupFields, user_ids: Type.Optional(UserIds('The first members.')) },
  { additionalProperties: false },
);
const UpdateGroupBody = Type.Partial(Type.Object(groupFields), {
  additionalProperties: false,
  minProperties: 1,
});
const MembersBody = Type.Object(
  { user_ids: UserIds('Every member of the group; anyone not listed is removed.') },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Text(100, 1)),
    member_id: Type.Optional(DescribedId('Only the groups this user belongs to.')),
  },
  { additionalProperties: false },
);
const MembersQuery = Type.Object(PageQuery, { additionalProperties: false });

const tags = ['Groups'];

export function groupRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Group);
  app.addSchema(GroupMember);
  const one = { 200: envelope(Type.Ref(Group)), ...errorResponses };

  app.get('/groups', {
    schema: {
      tags,
      summary: 'List groups',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Group)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await groups.listGroups(
        db,
        principalOf(request),
        request.query,
        await pageRequest(request),
      );
      return { ...ok(page.rows.map(toGroup)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/groups/:id', {
    schema: { tags, summary: 'Get a group', params: IdParams, response: one },
    handler: async (request) =>
      ok(toGroup(await groups.getGroup(db, principalOf(request), request.params.id))),
  });

  app.post('/groups', {
    config: { gate: gates.manageGroups },
    schema: {
      tags,
      summary: 'Create a group (admins)',
      description: 'Group names are unique in the organisation, ignoring case.',
      body: CreateGroupBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const group = await groups.createGroup(db, principalOf(request), request.body);
      return reply.status(201).send(ok(toGroup(group), 'Group was created successfully'));
    },
  });

  app.patch('/groups/:id', {
    config: { gate: gates.manageGroups },
    schema: {
      tags,
      summary: 'Rename or describe a group (admins)',
      params: IdParams,
      body: UpdateGroupBody,
      response: one,
    },
    handler: async (request) => {
      const group = await groups.updateGroup(db, principalOf(request), request.params.id, request.body);
      return ok(toGroup(group), 'Group was updated successfully');
    },
  });

  app.delete('/groups/:id', {
    config: { gate: gates.manageGroups },
    schema: {
      tags,
      summary: 'Delete a group (admins)',
      description: 'Its memberships go with it (the people stay), and so does any HR-admin scope over it.',
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await groups.deleteGroup(db, principalOf(request), request.params.id);
      return ok({ id: request.params.id }, 'Group was deleted successfully');
    },
  });

  app.get('/groups/:id/members', {
    schema: {
      tags,
      summary: "List a group's members",
      params: IdParams,
      querystring: MembersQuery,
      response: { 200: listEnvelope(Type.Ref(GroupMember)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await groups.listGroupMembers(
        db,
        principalOf(request),
        request.params.id,
        await pageRequest(request),
      );
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.put('/groups/:id/members', {
    config: { gate: gates.manageGroups },
    schema: {
      tags,
      summary: "Replace a group's members (admins)",
      description:
        'The one way to change who is in a group: send the full list, as an HR sync would. ' +
        'Every id must be a user of the organisation (422 invalid_operation otherwise); [] empties the group.',
      params: IdParams,
      body: MembersBody,
      response: one,
    },
    handler: async (request) => {
      const group = await groups.replaceGroupMembers(
        db,
        principalOf(request),
        request.params.id,
        request.body.user_ids,
      );
      return ok(toGroup(group), 'Group members were replaced successfully');
    },
  });
}
