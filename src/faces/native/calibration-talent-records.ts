import { Type } from '@sinclair/typebox';
import * as records from '../../domain/calibration/records.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Rating = Nullable(Type.String());
const TalentRecord = Type.Object(
  {
    id: Type.Integer(),
    cycle_id: Type.Integer(),
    user_id: Type.Integer({ description: 'The person calibrated.' }),
    manager_id: Nullable(Type.Integer({ description: 'Their manager when the cycle opened: who proposes.' })),
    session_id: Nullable(Type.Integer()),
    proposed_performance: Rating,
    proposed_potential: Rating,
    calibrated_performance: Rating,
    calibrated_potential: Rating,
    final_performance: Nullable(
      Type.String({
        description: 'Calibrated, else proposed; for managers and the person only once closed.',
      }),
    ),
    final_potential: Rating,
    box: Nullable(Type.String({ description: 'The 9-box of the final ratings.' })),
    notes: Nullable(Type.String({ description: 'Private to calibrators.' })),
    // One type list rather than Nullable's anyOf: the serialiser writes it without a validator per record.
    custom_fields: Type.Unsafe<Record<string, string | number> | null>({
      type: ['object', 'null'],
      additionalProperties: true,
      description: "Values of the cycle's talent fields by key; calibrators only.",
    }),
    view: Type.Union([Type.Literal('calibrator'), Type.Literal('manager'), Type.Literal('person')], {
      description: 'What the caller is to this record; fields they may not read are null.',
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'TalentRecord' },
);

const Change = Type.Object(
  {
    id: Type.Integer(),
    field: Type.String(),
    from_value: Nullable(Type.String()),
    to_value: Nullable(Type.String()),
    changed_by: Type.Integer(),
    changed_at: Timestamp,
  },
  { $id: 'TalentRecordChange' },
);

const RatingInput = (description: string) =>
  Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description })));
export const PatchBody = Type.Object(
  {
    proposed_performance: RatingInput("A performance level's label; by the person's manager."),
    proposed_potential: RatingInput("A potential level's label; by the person's manager."),
    calibrated_performance: RatingInput('By the cycle’s calibrators.'),
    calibrated_potential: RatingInput('By the cycle’s calibrators.'),
    notes: Type.Optional(Nullable(Text(5000))),
    custom_fields: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
        Type.Union([Text(1000), Type.Number({ minimum: -1e15, maximum: 1e15 }), Type.Null()]),
        {
          maxProperties: 20,
          additionalProperties: false,
          description:
            "Values of the cycle's talent fields (text or number, as the cycle defines them); null clears one, " +
            'keys left out are kept. By calibrators; each change is a history row `custom.<key>`.',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    examples: [
      { calibrated_performance: '65 - Exceeds Expectations', notes: 'Led the migration.' },
      { custom_fields: { flight_risk: 'low', years_in_role: 3 } },
    ],
  },
);

const ListQuery = Type.Object(
  {
    ...PageQuery,
    session_id: Type.Optional(Id),
    user_id: Type.Optional(Id),
    manager_id: Type.Optional(Id),
  },
  { additionalProperties: false },
);
const RecordParams = Type.Object({ id: Id, talent_record_id: Id });
const tags = ['Calibration'];

export function calibrationTalentRecordRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(TalentRecord);
  app.addSchema(Change);
  const one = { 200: envelope(Type.Ref(TalentRecord)), ...errorResponses };

  app.get('/calibration/cycles/:id/talent-records', {
    schema: {
      tags,
      summary: "List a cycle's talent records the caller may see",
      params: IdParams,
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(TalentRecord)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await records.listRecords(
        db,
        p,
        request.params.id,
        request.query,
        await pageRequest(request),
      );
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });

  app.get('/calibration/cycles/:id/talent-records/:talent_record_id', {
    schema: { tags, summary: 'Get a talent record', params: RecordParams, response: one },
    handler: async (request) =>
      ok(
        await records.getRecord(db, principalOf(request), request.params.id, request.params.talent_record_id),
      ),
  });

  app.patch('/calibration/cycles/:id/talent-records/:talent_record_id', {
    schema: {
      tags,
      summary: 'Propose or calibrate a talent record',
      description:
        "Proposed values by the person's manager; calibrated values and notes by calibrators; while the cycle is " +
        'open only (422 calibration_cycle_locked otherwise). A rating must be one of the scale’s labels.',
      params: RecordParams,
      body: PatchBody,
      response: one,
    },
    handler: async (request) =>
      ok(
        await records.updateRecord(
          db,
          principalOf(request),
          request.params.id,
          request.params.talent_record_id,
          request.body,
        ),
      ),
  });

  app.get('/calibration/cycles/:id/talent-records/:talent_record_id/history', {
    schema: {
      tags,
      summary: "A talent record's changes: who changed which field, when, from which value (calibrators)",
      params: RecordParams,
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: listEnvelope(Type.Ref(Change)), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const page = await records.listHistory(
        db,
        p,
        request.params.id,
        request.params.talent_record_id,
        await pageRequest(request),
      );
      return { ...ok(page.rows), ...(await pageFields(page, request)) };
    },
  });
}
