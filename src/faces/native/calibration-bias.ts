import { Type } from '@sinclair/typebox';
import * as bias from '../../domain/calibration/bias.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Nullable } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, ok } from './envelope.js';

/**
 * The bias views of a cycle or one of its sessions (docs/calibration.md): aggregates over the talent records
 * the caller sees, counting only the values they may read record by record.
 */

const Counts = Type.Array(Type.Integer(), {
  description: 'Records per level, in the scale’s order (lowest first).',
});
const tallyFields = {
  counts: Counts,
  rated: Type.Integer({ description: 'Records with a value at this stage.' }),
  unrated: Type.Integer({ description: 'Records counted but not yet rated at this stage.' }),
  total: Type.Integer(),
};
const Percents = Type.Unsafe<number[] | null>({ type: ['array', 'null'], items: { type: 'number' } });

const Group = Type.Object({
  key: Type.Unsafe<string | number | null>({
    type: ['string', 'integer', 'null'],
    description:
      'The department or manager id, the location, or the custom field’s value; null for records with none.',
  }),
  label: Nullable(Type.String({ description: 'The department’s or manager’s name, or the location.' })),
  ...tallyFields,
});

const Distribution = Type.Object(
  {
    cycle_id: Type.Integer(),
    session_id: Nullable(Type.Integer()),
    by: Type.String(),
    rating: Type.String(),
    stage: Type.String(),
    levels: Type.Array(Type.String(), { description: 'The scale of the rating, lowest first.' }),
    groups: Type.Array(Group),
    overall: Type.Object({
      ...tallyFields,
      percents: { ...Percents, description: 'Percent of the rated records per level, one decimal.' },
      target: { ...Percents, description: 'The cycle’s target distribution (performance only), or null.' },
      difference: { ...Percents, description: 'percents minus target, per level, or null.' },
    }),
    withheld: Type.Integer({
      description: 'Records you see whose value (or group) at this stage you may not read: not counted.',
    }),
  },
  { $id: 'CalibrationDistribution' },
);

const Moves = Type.Object({
  up: Type.Integer({ description: 'Calibrated above the proposal.' }),
  down: Type.Integer({ description: 'Calibrated below the proposal.' }),
  same: Type.Integer(),
  unproposed: Type.Integer({ description: 'Calibrated with no proposal to move from.' }),
  not_calibrated: Type.Integer({ description: 'Not yet calibrated.' }),
});
const MovementGroup = Type.Object({
  manager_id: Nullable(Type.Integer()),
  label: Nullable(Type.String({ description: 'The manager’s name.' })),
  total: Type.Integer(),
  performance: Moves,
  potential: Moves,
});
const Movement = Type.Object(
  {
    cycle_id: Type.Integer(),
    session_id: Nullable(Type.Integer()),
    managers: Type.Array(MovementGroup),
    totals: Type.Object({ total: Type.Integer(), performance: Moves, potential: Moves }),
    withheld: Type.Integer({ description: 'Records you see but do not calibrate: not counted.' }),
  },
  { $id: 'CalibrationMovement' },
);

const By = Type.String({
  pattern: '^(department|manager|location|custom:[a-z][a-z0-9_]{0,39}|user:.{1,64})$',
  description:
    'department (the default), manager (as of the cycle’s opening), location, custom:<talent field key> (calibrators’ ' +
    'records only), or user:<key of the people’s custom_fields>.',
  examples: ['department', 'custom:flight_risk'],
});
const DistributionQuery = Type.Object(
  {
    by: Type.Optional(By),
    rating: Type.Optional(Type.Union([Type.Literal('performance'), Type.Literal('potential')])),
    stage: Type.Optional(
      Type.Union([Type.Literal('final'), Type.Literal('proposed'), Type.Literal('calibrated')], {
        description: 'final (default: calibrated, else proposed), proposed or calibrated.',
      }),
    ),
    session_id: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** `custom:flight_risk` → the grouping the domain knows. */
function groupingOf(by: string): bias.Grouping {
  const [kind = '', ...rest] = by.split(':');
  const key = rest.join(':');
  if (kind === 'custom' || kind === 'user') return { kind, key };
  return { kind: kind as 'department' | 'manager' | 'location' };
}

const tags = ['Calibration'];
const who =
  'Counts only what you could read record by record: calibrators every stage of the records they calibrate; a ' +
  'manager the proposed values of their reports, and the final rating once the cycle is closed. The rest are ' +
  '`withheld`.';

export function calibrationBiasRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(Distribution);
  app.addSchema(Movement);

  app.get('/calibration/cycles/:id/distribution', {
    schema: {
      tags,
      summary:
        'Distribution of ratings by department, manager, location or a custom field, against the target',
      description: `Per group, records per level of the scale, rated and unrated; overall, the percent per level beside the cycle's target distribution. ${who}`,
      params: IdParams,
      querystring: DistributionQuery,
      response: { 200: envelope(Type.Ref(Distribution)), ...errorResponses },
    },
    handler: async (request) => {
      const { by = 'department', rating = 'performance', stage = 'final', session_id } = request.query;
      const query = { by: groupingOf(by), rating, stage, session_id };
      const result = await bias.distribution(db, principalOf(request), request.params.id, query);
      return ok({ ...result, by });
    },
  });

  app.get('/calibration/cycles/:id/movement', {
    schema: {
      tags,
      summary: 'Movement from proposed to calibrated ratings, by manager',
      description: `Per manager, how many performance and potential ratings calibration moved up, down or left as proposed. Calibrators only count; ${who}`,
      params: IdParams,
      querystring: Type.Object({ session_id: Type.Optional(Id) }, { additionalProperties: false }),
      response: { 200: envelope(Type.Ref(Movement)), ...errorResponses },
    },
    handler: async (request) =>
      ok(await bias.movement(db, principalOf(request), request.params.id, request.query.session_id)),
  });
}
