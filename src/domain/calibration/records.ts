import type { Kysely, Transaction } from 'kysely';
import type { CustomValues, DB } from '../../db/schema.js';
import { authorize } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { assertSeesCycle } from './cycles.js';
import * as repo from './record-repo.js';
import { assertOnScale, boxOf } from './rules.js';
import { applyCustomChange, assertCustomValues, type CustomChange, historyValue } from './talent-fields.js';

export interface RecordFilters {
  session_id?: number | undefined;
  user_id?: number | undefined;
  manager_id?: number | undefined;
}

export interface RecordChange {
  proposed_performance?: string | null | undefined;
  proposed_potential?: string | null | undefined;
  calibrated_performance?: string | null | undefined;
  calibrated_potential?: string | null | undefined;
  notes?: string | null | undefined;
  /** Values of the cycle's talent fields by key; null clears one, keys left out stay as they are. */
  custom_fields?: CustomChange | undefined;
}

export type RecordView = 'calibrator' | 'manager' | 'person';

/**
 * A record as its reader may see it (docs/calibration.md): calibrators everything; the manager the values
 * they proposed, and the final rating once the cycle is closed; the person the final rating only.
 */
function view(row: repo.RecordRow, p: Principal) {
  const as: RecordView = repo.trueOf(row.calibrates)
    ? 'calibrator'
    : row.manager_id === p.userId
      ? 'manager'
      : 'person';
  const scales = { performance: row.performance_levels, potential: row.potential_levels };
  const finalPerformance = row.calibrated_performance ?? row.proposed_performance;
  const finalPotential = row.calibrated_potential ?? row.proposed_potential;
  const showFinal = as === 'calibrator' || row.state === 'closed';
  return {
    id: row.id,
    cycle_id: row.cycle_id,
    user_id: row.user_id,
    manager_id: row.manager_id,
    session_id: as === 'person' ? null : row.session_id,
    proposed_performance: as === 'person' ? null : row.proposed_performance,
    proposed_potential: as === 'person' ? null : row.proposed_potential,
    calibrated_performance: as === 'calibrator' ? row.calibrated_performance : null,
    calibrated_potential: as === 'calibrator' ? row.calibrated_potential : null,
    final_performance: showFinal ? finalPerformance : null,
    final_potential: showFinal ? finalPotential : null,
    box: showFinal ? boxOf(finalPerformance, finalPotential, scales) : null,
    notes: as === 'calibrator' ? row.notes : null,
    custom_fields: as === 'calibrator' ? row.custom_fields : null,
    view: as,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
export type TalentRecord = ReturnType<typeof view>;

export async function listRecords(
  db: Kysely<DB>,
  p: Principal,
  cycleId: number,
  f: RecordFilters,
  page: PageRequest,
) {
  let q = repo.selectRecords(db, p, cycleId);
  if (f.session_id !== undefined) q = q.where('r.session_id', '=', f.session_id);
  if (f.user_id !== undefined) q = q.where('r.user_id', '=', f.user_id);
  if (f.manager_id !== undefined) q = q.where('r.manager_id', '=', f.manager_id);
  const found = await paginate(q, 'r.id', page);
  await assertSeesCycle(db, p, cycleId, found.rows.length > 0);
  return { ...found, rows: found.rows.map((r) => view(r, p)) };
}

async function findVisible(db: Kysely<DB>, p: Principal, cycleId: number, id: number) {
  const row = await repo.findRecord(db, p, cycleId, id);
  if (!row) throw notFound('talent record');
  return row;
}

export async function getRecord(db: Kysely<DB>, p: Principal, cycleId: number, id: number) {
  return view(await findVisible(db, p, cycleId, id), p);
}

interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

type Rating = (typeof PROPOSED)[number] | (typeof CALIBRATED)[number];
const ratingChanges = (fields: Rating[], current: Record<Rating, string | null>, change: RecordChange) =>
  fields.map((f): FieldChange => ({ field: f, from: current[f], to: change[f] ?? null }));

/** A custom field's change is a history row of its own, named `custom.<key>`. */
const customChanges = (
  current: { custom_fields: CustomValues },
  custom: ReturnType<typeof applyCustomChange>,
) =>
  custom.changed.map(
    (key): FieldChange => ({
      field: `custom.${key}`,
      from: historyValue(current.custom_fields[key]),
      to: historyValue(custom.next[key]),
    }),
  );

const historyRows = (p: Principal, recordId: number, changes: FieldChange[]) =>
  changes.map((c) => ({
    org_id: p.orgId,
    mode: p.mode,
    record_id: recordId,
    field: c.field,
    from_value: c.from,
    to_value: c.to,
    changed_by: p.userId,
  }));

const PROPOSED = ['proposed_performance', 'proposed_potential'] as const;
const CALIBRATED = ['calibrated_performance', 'calibrated_potential', 'notes'] as const;

/** Holds the cycle (for share) while its records are written: only an open cycle's records change. */
export async function holdOpenCycle(trx: Transaction<DB>, p: Principal, cycleId: number) {
  const cycle = await trx
    .selectFrom('calibration_cycles')
    .select('state')
    .where(inTenant(p))
    .where('id', '=', cycleId)
    .forShare()
    .executeTakeFirstOrThrow();
  if (cycle.state !== 'open') throw notOpen(cycle.state);
}

/** Why a cycle that is not open refuses a write to its records: a draft is not rated yet, the rest are done. */
const notOpen = (state: string) =>
  new AppError(
    'calibration_cycle_locked',
    state === 'draft'
      ? 'The cycle is a draft: its records are rated once it opens.'
      : `The cycle is ${state}: its talent records no longer change.`,
  );

export async function updateRecord(
  db: Kysely<DB>,
  p: Principal,
  cycleId: number,
  id: number,
  change: RecordChange,
) {
  await applyRecordChange(db, p, await findVisible(db, p, cycleId, id), change);
  return getRecord(db, p, cycleId, id);
}

/**
 * The one write path of a talent record, for the PATCH and each row of a bulk upload: proposed values
 * come from the person's manager, calibrated values and notes from calibrators; only while the cycle is
 * open. Each changed field leaves a history row with its old value. Runs in its own transaction, or in the
 * caller's when handed one (inTransaction); every refusal comes before the first write. Returns the fields
 * it changed.
 */
export async function applyRecordChange(
  db: Kysely<DB>,
  p: Principal,
  row: repo.RecordRow,
  change: RecordChange,
): Promise<string[]> {
  const { id, cycle_id: cycleId } = row;
  const calibrates = repo.trueOf(row.calibrates);
  if (PROPOSED.some((f) => change[f] !== undefined))
    authorize(row.manager_id === p.userId, "Only the person's manager proposes values.");
  if (CALIBRATED.some((f) => change[f] !== undefined) || change.custom_fields !== undefined)
    authorize(calibrates, 'Only calibrators of this record set calibrated values and notes.');
  if (row.state !== 'open') throw notOpen(row.state);
  assertOnScale('proposed_performance', change.proposed_performance, row.performance_levels);
  assertOnScale('calibrated_performance', change.calibrated_performance, row.performance_levels);
  assertOnScale('proposed_potential', change.proposed_potential, row.potential_levels);
  assertOnScale('calibrated_potential', change.calibrated_potential, row.potential_levels);
  assertCustomValues(change.custom_fields ?? {}, row.talent_fields);
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('calibration_talent_records')
      .selectAll()
      .where(inTenant(p))
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await holdOpenCycle(trx, p, cycleId);
    const changed = [...PROPOSED, ...CALIBRATED].filter(
      (f) => change[f] !== undefined && change[f] !== current[f],
    );
    const custom = applyCustomChange(current.custom_fields, change.custom_fields ?? {});
    const fields = [...changed, ...custom.changed.map((key) => `custom.${key}`)];
    if (fields.length === 0) return [];
    const proposed = changed.some((f) => f.startsWith('proposed'));
    const calibrated = changed.some((f) => f.startsWith('calibrated'));
    await trx
      .updateTable('calibration_talent_records')
      .set({
        ...Object.fromEntries(changed.map((f) => [f, change[f]])),
        ...(proposed && { proposed_by: p.userId }),
        ...(calibrated && { calibrated_by: p.userId }),
        ...(custom.changed.length > 0 && { custom_fields: JSON.stringify(custom.next) }),
        updated_at: new Date(),
      })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await trx
      .insertInto('calibration_talent_record_changes')
      .values(
        historyRows(p, id, [...ratingChanges(changed, current, change), ...customChanges(current, custom)]),
      )
      .execute();
    await recordChange(trx, p, 'talent_record.updated', id, { cycle_id: cycleId, fields });
    return fields;
  });
}

/** Every change to a record, oldest first: its calibrators only (notes and calibrated values are in it). */
export async function listHistory(
  db: Kysely<DB>,
  p: Principal,
  cycleId: number,
  id: number,
  page: PageRequest,
) {
  const row = await findVisible(db, p, cycleId, id);
  authorize(repo.trueOf(row.calibrates), "Only the record's calibrators read its history.");
  return paginate(repo.selectHistory(db, p, id), 'id', page);
}
