import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as edits from '../../domain/calibration/session-edits.js';
import * as sessions from '../../domain/calibration/sessions.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Session = Type.Object(
  {
    id: Type.Integer(),
    cycle_id: Type.Integer(),
    name: Type.String(),
    participant_ids: Type.Array(Type.Integer(), { description: 'The people calibrated in this session.' }),
    facilitator_ids: Type.Array(Type.Integer(), { description: "Who calibrates this session's people." }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'CalibrationSession' },
);

const People = (description: string, minItems: number) =>
  Type.Array(Id, { minItems, maxItems: 10_000, uniqueItems: true, description });

const CreateBody = Type.Object(
  {
    name: Text(200, 1),
    participant_ids: People("People of the cycle's population, in no other session.", 1),
    facilitator_ids: People('Active people, none of them a participant.', 0),
  },
  {
    additionalProperties: false,
    examples: [{ name: 'Engineering', participant_ids: [101, 102], facilitator_ids: [7] }],
  },
);

const PatchBody = Type.Object(
  {
    name: Type.Optional(Text(200, 1)),
    participant_ids: Type.Optional(
      People('Replaces the participants; those left out return to no session.', 1),
    ),
    facilitator_ids: Type.Optional(
      People('Replaces the facilitators: active people, none a participant.', 0),
    ),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ facilitator_ids: [7, 9] }] },
);

const SessionParams = Type.Object({ id: Id, session_id: Id });
const tags = ['Calibration'];

export function calibrationSessionRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Session);
  const one = { 200: envelope(Type.Ref(Session)), ...errorResponses };

  app.get('/calibration/cycles/:id/sessions', {
    schema: {
      tags,
      summary: "List a calibration cycle's sessions",
      params: IdParams,
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: listEnvelope(Type.Ref(Session)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await sessions.listSessions(db, p, request.params.id, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/calibration/cycles/:id/sessions/:session_id', {
    schema: { tags, summary: 'Get a calibration session', params: SessionParams, response: one },
    handler: async (request) =>
      ok(await sessions.getSession(db, principalOf(request), request.params.id, request.params.session_id)),
  });

  app.post('/calibration/cycles/:id/sessions', {
    config: { gate: gates.manageCalibration },
    schema: {
      tags,
      summary: "Split an open cycle's population into a session",
      description:
        'Participants must hold a talent record in the cycle and be in no other session (422 otherwise); ' +
        'facilitators calibrate them. Send an Idempotency-Key to retry safely.',
      params: IdParams,
      body: CreateBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const session = await sessions.createSession(db, principalOf(request), request.params.id, request.body);
      return reply.status(201).send(ok(session, 'Calibration session was created successfully'));
    },
  });

  app.patch('/calibration/cycles/:id/sessions/:session_id', {
    config: { gate: gates.manageCalibration },
    schema: {
      tags,
      summary: 'Rename a session or replace its participants or facilitators',
      description:
        'A list replaces the whole list, by the rules of creation; participants left out return to no session. ' +
        'Open cycles only (422 calibration_cycle_locked once locked or closed).',
      params: SessionParams,
      body: PatchBody,
      response: one,
    },
    handler: async (request) => {
      const { id, session_id } = request.params;
      return ok(await edits.updateSession(db, principalOf(request), id, session_id, request.body));
    },
  });

  app.delete('/calibration/cycles/:id/sessions/:session_id', {
    config: { gate: gates.manageCalibration },
    schema: {
      tags,
      summary: 'Delete a session; its talent records return to no session',
      description:
        'The records keep their values. Open cycles only (422 calibration_cycle_locked otherwise).',
      params: SessionParams,
      response: { 200: envelope(Type.Object({ id: Type.Integer() })), ...errorResponses },
    },
    handler: async (request) => {
      const { id, session_id } = request.params;
      await edits.deleteSession(db, principalOf(request), id, session_id);
      return ok({ id: session_id }, 'Calibration session was deleted successfully');
    },
  });
}
