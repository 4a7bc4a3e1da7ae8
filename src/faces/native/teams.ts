import { type Static, Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import type { TeamRow } from '../../domain/teams/repo.js';
import * as teams from '../../domain/teams/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { memberFields } from './directory-members.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Kind = Type.Union([Type.Literal('functional'), Type.Literal('working_group')], {
  description:
    'functional: a standing team of the org chart; working_group: a cross-functional or temporary one.',
});
const TeamRole = Type.Union([Type.Literal('owner'), Type.Literal('manager'), Type.Literal('member')], {
  description: "Owners also manage the team's members; owners and managers edit the team's goals.",
});

const Team = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    kind: Kind,
    description: Nullable(Type.String()),
    member_count: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Team' },
);
const TeamMember = Type.Object({ ...memberFields, team_role: TeamRole }, { $id: 'TeamMember' });

const toTeam = (t: TeamRow): Static<typeof Team> => ({
  ...t,
  member_count: Number(t.member_count),
});

const teamFields = { name: Text(200, 1), kind: Kind, description: Type.Optional(Nullable(Text(2000))) };
const CreateTeamBody = Type.Object(teamFields, { additionalProperties: false });
const UpdateTeamBody = Type.Partial(Type.Object(teamFields), {
  additionalProperties: false,
  minProperties: 1,
});
const MemberBody = Type.Object({ team_role: TeamRole }, { additionalProperties: false });
const MemberParams = Type.Object({ id: Id, user_id: Id });

const ListQuery = Type.Object(
  {
    ...PageQuery,
    kind: Type.Optional(Kind),
    q: Type.Optional(Text(100, 1)),
    member_id: Type.Optional(DescribedId('Only the teams this user belongs to.')),
  },
  { additionalProperties: false },
);
const MembersQuery = Type.Object(PageQuery, { additionalProperties: false });

const tags = ['Teams'];
const memberWriters = "Admins and the team's owners.";

export function teamRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Team);
  app.addSchema(TeamMember);
  const one = { 200: envelope(Type.Ref(Team)), ...errorResponses };
  const member = { 200: envelope(Type.Ref(TeamMember)), ...errorResponses };

  app.get('/teams', {
    schema: {
      tags,
      summary: 'List teams',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Team)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await teams.listTeams(db, principalOf(request), request.query, await pageRequest(request));
      return { ...ok(page.rows.map(toTeam)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/teams/:id', {
    schema: { tags, summary: 'Get a team', params: IdParams, response: one },
    handler: async (request) => ok(toTeam(await teams.getTeam(db, principalOf(request), request.params.id))),
  });

  app.post('/teams', {
    config: { gate: gates.manageTeams },
    schema: {
      tags,
      summary: 'Create a team (admins)',
      description:
        'Team names are unique in the organisation, ignoring case. Add members with PUT .../members/{user_id}.',
      body: CreateTeamBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const team = await teams.createTeam(db, principalOf(request), request.body);
      return reply.status(201).send(ok(toTeam(team), 'Team was created successfully'));
    },
  });

  app.patch('/teams/:id', {
    config: { gate: gates.manageTeams },
    schema: {
      tags,
      summary: 'Update a team (admins)',
      params: IdParams,
      body: UpdateTeamBody,
      response: one,
    },
    handler: async (request) => {
      const team = await teams.updateTeam(db, principalOf(request), request.params.id, request.body);
      return ok(toTeam(team), 'Team was updated successfully');
    },
  });

  app.delete('/teams/:id', {
    config: { gate: gates.manageTeams },
    schema: {
      tags,
      summary: 'Delete a team (admins)',
      description:
        'Its memberships go with it. A team that owns goals cannot be deleted (422 invalid_operation).',
      params: IdParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      await teams.deleteTeam(db, principalOf(request), request.params.id);
      return ok({ id: request.params.id }, 'Team was deleted successfully');
    },
  });

  app.get('/teams/:id/members', {
    schema: {
      tags,
      summary: "List a team's members",
      params: IdParams,
      querystring: MembersQuery,
      response: { 200: listEnvelope(Type.Ref(TeamMember)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await teams.listTeamMembers(
        db,
        principalOf(request),
        request.params.id,
        await pageRequest(request),
      );
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.put('/teams/:id/members/:user_id', {
    schema: {
      tags,
      summary: 'Add a member or change their team role',
      description: `${memberWriters} Answers 201 when the person was added, 200 when their role was set.`,
      params: MemberParams,
      body: MemberBody,
      response: { ...member, 201: member[200] },
    },
    handler: async (request, reply) => {
      const key = { teamId: request.params.id, userId: request.params.user_id };
      const result = await teams.setTeamMember(db, principalOf(request), key, request.body.team_role);
      const message = result.added
        ? 'Team member was added successfully'
        : 'Team member was updated successfully';
      return reply.status(result.added ? 201 : 200).send(ok(result.member, message));
    },
  });

  app.delete('/teams/:id/members/:user_id', {
    schema: {
      tags,
      summary: 'Remove a member from a team',
      description: memberWriters,
      params: MemberParams,
      response: {
        200: envelope(Type.Object({ team_id: Type.Integer(), user_id: Type.Integer() })),
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const key = { teamId: request.params.id, userId: request.params.user_id };
      await teams.removeTeamMember(db, principalOf(request), key);
      return ok({ team_id: key.teamId, user_id: key.userId }, 'Team member was removed successfully');
    },
  });
}
