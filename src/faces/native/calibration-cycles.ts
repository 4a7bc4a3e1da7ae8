import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import * as cycles from '../../domain/calibration/cycles.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';
import { Audience, populationFields } from './population-schemas.js';

const State = Type.Union(
  [Type.Literal('draft'), Type.Literal('open'), Type.Literal('locked'), Type.Literal('closed')],
  {
    description:
      'draft → open (talent records made) → locked (records frozen) → closed (final ratings published).',
  },
);
const Levels = (description: string) => Type.Array(Text(100, 1), { minItems: 2, maxItems: 10, description });
const Distribution = Nullable(
  Type.Array(Type.Integer({ minimum: 0, maximum: 100 }), {
    maxItems: 10,
    description: 'Percent of people per performance level, lowest first; must sum to 100.',
  }),
);

const TalentField = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'How records name the value.' }),
    label: Text(100, 1),
    type: Type.Union([Type.Literal('text'), Type.Literal('number')]),
  },
  { additionalProperties: false },
);
const TalentFields = Type.Array(TalentField, {
  maxItems: 20,
  description:
    'Custom talent fields: calibrators set their values on each record (custom_fields). Fixed once the cycle opens.',
});

const Cycle = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    period_id: Nullable(Type.Integer()),
    state: State,
    performance_levels: Type.Array(Type.String(), { description: 'Lowest first.' }),
    potential_levels: Type.Array(Type.String(), { description: 'Lowest first.' }),
    target_distribution: Distribution,
    talent_fields: TalentFields,
    publish_to_person: Type.Boolean({ description: 'Closing shows each person their own final rating.' }),
    audience: Audience,
    audience_ids: Type.Array(Type.Integer()),
    created_by: Type.Integer(),
    record_count: Type.Integer({ description: 'Talent records: one per person, made when the cycle opens.' }),
    grid: Type.Array(
      Type.Object({ name: Type.String(), performance_band: Type.Integer(), potential_band: Type.Integer() }),
      {
        description:
          'The 3×3 boxes; bands 0 low, 1 middle, 2 high (docs/calibration.md maps levels to bands).',
      },
    ),
    created_at: Timestamp,
    updated_at: Timestamp,
    opened_at: Nullable(Timestamp),
    locked_at: Nullable(Timestamp),
    closed_at: Nullable(Timestamp),
  },
  { $id: 'CalibrationCycle' },
);

const example = {
  name: 'H1 2027 calibration',
  performance_levels: ['35 - Below Expectations', '50 - Meets Expectations', '65 - Exceeds Expectations'],
  potential_levels: ['Low', 'Medium', 'High'],
  target_distribution: [20, 60, 20],
  talent_fields: [
    { key: 'flight_risk', label: 'Flight risk', type: 'text' },
    { key: 'years_in_role', label: 'Years in role', type: 'number' },
  ],
  audience: 'departments',
  department_ids: [45],
};

const CreateBody = Type.Object(
  {
    name: Text(200, 1),
    period_id: Type.Optional(Nullable(Id)),
    performance_levels: Levels('The performance scale, lowest first: 2–10 distinct labels.'),
    potential_levels: Levels('The potential scale, lowest first: 2–10 distinct labels.'),
    target_distribution: Type.Optional(Distribution),
    talent_fields: Type.Optional(TalentFields),
    publish_to_person: Type.Optional(Type.Boolean()),
    ...populationFields,
  },
  { additionalProperties: false, examples: [example] },
);

const PatchBody = Type.Object(
  {
    name: Type.Optional(Text(200, 1)),
    period_id: Type.Optional(Nullable(Id)),
    performance_levels: Type.Optional(Levels('Draft cycles only.')),
    potential_levels: Type.Optional(Levels('Draft cycles only.')),
    target_distribution: Type.Optional(Distribution),
    talent_fields: Type.Optional(TalentFields),
    publish_to_person: Type.Optional(Type.Boolean()),
    state: Type.Optional(State),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ state: 'open' }] },
);

const ListQuery = Type.Object(
  { ...PageQuery, state: Type.Optional(State), period_id: Type.Optional(Id) },
  { additionalProperties: false },
);

const SyncResult = Type.Object({
  cycle: Type.Ref(Cycle),
  added: Type.Integer({ description: 'Talent records made by this sync: one per person who joined.' }),
});

const tags = ['Calibration'];

export function calibrationCycleRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Cycle);
  const one = { 200: envelope(Type.Ref(Cycle)), ...errorResponses };

  app.get('/calibration/cycles', {
    schema: {
      tags,
      summary: 'List calibration cycles',
      description:
        'Super admins see every cycle; others the cycles they manage, facilitate, or hold a talent record they may read in.',
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Cycle)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await cycles.listCycles(db, p, request.query, await pageRequest(request));
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/calibration/cycles/:id', {
    schema: { tags, summary: 'Get a calibration cycle', params: IdParams, response: one },
    handler: async (request) => ok(await cycles.getCycle(db, principalOf(request), request.params.id)),
  });

  app.post('/calibration/cycles', {
    config: { gate: gates.manageCalibration },
    schema: {
      tags,
      summary: 'Create a calibration cycle (super admins; HR admins within their scope)',
      description:
        'Creates a draft. An HR admin may only name a population whose every active person is in their scope (403 ' +
        'otherwise). A target distribution that does not sum to 100 is a 422. Send an Idempotency-Key to retry safely.',
      body: CreateBody,
      response: { ...one, 201: one[200] },
    },
    handler: async (request, reply) => {
      const cycle = await cycles.createCycle(db, principalOf(request), request.body);
      return reply.status(201).send(ok(cycle, 'Calibration cycle was created successfully'));
    },
  });

  app.patch('/calibration/cycles/:id', {
    config: { gate: gates.manageCalibration },
    schema: {
      tags,
      summary: "Change a calibration cycle's settings or move its state forward",
      description:
        'state moves one step forward only (draft → open → locked → closed); opening makes one talent record per ' +
        'active person of the population. Scales are fixed once the cycle opens.',
      params: IdParams,
      body: PatchBody,
      response: one,
    },
    handler: async (request) =>
      ok(await cycles.updateCycle(db, principalOf(request), request.params.id, request.body)),
  });

  app.post('/calibration/cycles/:id/sync', {
    config: { gate: gates.manageCalibration },
    schema: {
      tags,
      summary: "Give an open cycle's joiners their talent records",
      description:
        'Adds a talent record, with their manager of today, for each active person who now belongs to the ' +
        'population and has none; leavers keep theirs. Open cycles only (422 calibration_cycle_locked once ' +
        'locked or closed). Send an Idempotency-Key to retry safely.',
      params: IdParams,
      response: { 200: envelope(SyncResult), ...errorResponses },
    },
    handler: async (request) => {
      const result = await cycles.syncCycle(db, principalOf(request), request.params.id);
      return ok(result, `${result.added} talent record(s) added`);
    },
  });
}
