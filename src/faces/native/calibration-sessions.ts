import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
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
}
