import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { inTenant } from '../tenant.js';
import { calibratesSeenSql, seesRecordSql } from './access.js';

/** The talent records of a cycle the caller sees, with what they are to the caller. */
export function selectRecords(db: Kysely<DB>, p: Principal, cycleId: number) {
  return db
    .selectFrom('calibration_talent_records as r')
    .innerJoin('calibration_cycles as c', (j) =>
      j.onRef('c.org_id', '=', 'r.org_id').onRef('c.mode', '=', 'r.mode').onRef('c.id', '=', 'r.cycle_id'),
    )
    .select([
      'r.id',
      'r.cycle_id',
      'r.user_id',
      'r.manager_id',
      'r.session_id',
      'r.proposed_performance',
      'r.proposed_potential',
      'r.proposed_by',
      'r.calibrated_performance',
      'r.calibrated_potential',
      'r.calibrated_by',
      'r.notes',
      'r.custom_fields',
      'r.created_at',
      'r.updated_at',
      'c.state',
      'c.performance_levels',
      'c.potential_levels',
      'c.talent_fields',
      calibratesSeenSql(p).as('calibrates'),
    ])
    .where(inTenant(p, 'r'))
    .where('r.cycle_id', '=', cycleId)
    .where(seesRecordSql(p));
}

export type RecordRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectRecords>['executeTakeFirst']>>
>;

export const findRecord = (db: Kysely<DB>, p: Principal, cycleId: number, id: number) =>
  selectRecords(db, p, cycleId).where('r.id', '=', id).executeTakeFirst();

export const selectHistory = (db: Kysely<DB>, p: Principal, recordId: number) =>
  db
    .selectFrom('calibration_talent_record_changes')
    .select(['id', 'field', 'from_value', 'to_value', 'changed_by', 'changed_at'])
    .where(inTenant(p))
    .where('record_id', '=', recordId);

export const countOf = (n: unknown) => Number(n ?? 0);
export const trueOf = (b: unknown) => b === true || b === 't' || b === 1;
export { sql };
