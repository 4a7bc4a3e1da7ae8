import type { Kysely } from 'kysely';
import type { CalibrationState, DB, TalentField } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { type PopulationInput, resolvePopulation } from '../directory/population.js';
import { AppError, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { assertManagesPopulation } from './access.js';
import * as repo from './cycle-repo.js';
import { assertDistribution, assertNextState, assertScale, grid } from './rules.js';
import { assertTalentFields } from './talent-fields.js';

export interface NewCycle extends PopulationInput {
  name: string;
  period_id?: number | null | undefined;
  performance_levels: string[];
  potential_levels: string[];
  target_distribution?: number[] | null | undefined;
  talent_fields?: TalentField[] | undefined;
  publish_to_person?: boolean | undefined;
}

export interface CycleChange {
  name?: string | undefined;
  period_id?: number | null | undefined;
  performance_levels?: string[] | undefined;
  potential_levels?: string[] | undefined;
  target_distribution?: number[] | null | undefined;
  talent_fields?: TalentField[] | undefined;
  publish_to_person?: boolean | undefined;
  state?: CalibrationState | undefined;
}

export interface CycleFilters {
  state?: CalibrationState | undefined;
  period_id?: number | undefined;
}

const view = (row: repo.CycleRow) => ({ ...row, record_count: Number(row.record_count), grid: grid() });
export type Cycle = ReturnType<typeof view>;

export async function listCycles(db: Kysely<DB>, p: Principal, f: CycleFilters, page: PageRequest) {
  let q = repo.selectCycles(db, p);
  if (f.state !== undefined) q = q.where('c.state', '=', f.state);
  if (f.period_id !== undefined) q = q.where('c.period_id', '=', f.period_id);
  const found = await paginate(q, 'c.id', page);
  return { ...found, rows: found.rows.map(view) };
}

export async function getCycle(db: Kysely<DB>, p: Principal, id: number) {
  const row = await repo.findCycle(db, p, id);
  if (!row) throw notFound('calibration cycle');
  return view(row);
}

/**
 * 404 unless the caller sees the cycle. A read over its records that found some has already shown that
 * they do (a record seen makes its cycle seen, seesCycleSql), so the cycle's own access test, which asks
 * the records again, runs only when it found none: a large cycle's lists and views pay for the rule once.
 */
export async function assertSeesCycle(db: Kysely<DB>, p: Principal, id: number, sawRecords: boolean) {
  if (!sawRecords) await getCycle(db, p, id);
}

async function assertPeriod(db: Kysely<DB>, p: Principal, periodId: number | null | undefined) {
  if (periodId === null || periodId === undefined) return;
  const found = await db
    .selectFrom('periods')
    .select('id')
    .where(inTenant(p))
    .where('id', '=', periodId)
    .executeTakeFirst();
  if (!found) throw new AppError('invalid_operation', `Period ${periodId} does not exist.`);
}

/** Creates a draft cycle: super admins anywhere, hr_admins for a population wholly in their scope. */
export async function createCycle(db: Kysely<DB>, p: Principal, input: NewCycle) {
  pass(p, gates.manageCalibration);
  assertScale('performance_levels', input.performance_levels);
  assertScale('potential_levels', input.potential_levels);
  assertDistribution(input.target_distribution ?? null, input.performance_levels);
  assertTalentFields(input.talent_fields ?? []);
  const id = await inTransaction(db, async (trx) => {
    const population = await resolvePopulation(trx, p, input, 'cycle');
    await assertManagesPopulation(trx, p, population);
    await assertPeriod(trx, p, input.period_id);
    const { id } = await trx
      .insertInto('calibration_cycles')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        name: input.name,
        period_id: input.period_id ?? null,
        performance_levels: JSON.stringify(input.performance_levels),
        potential_levels: JSON.stringify(input.potential_levels),
        target_distribution: JSON.stringify(input.target_distribution ?? null),
        talent_fields: JSON.stringify(input.talent_fields ?? []),
        publish_to_person: input.publish_to_person ?? false,
        audience: population.audience,
        audience_ids: JSON.stringify(population.ids),
        created_by: p.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'calibration_cycle.created', id, { ...input });
    return id;
  });
  return getCycle(db, p, id);
}

const STAMP = { open: 'opened_at', locked: 'locked_at', closed: 'closed_at' } as const;
const EVENT = {
  open: 'calibration_cycle.opened',
  locked: 'calibration_cycle.locked',
  closed: 'calibration_cycle.closed',
} as const;

/**
 * Changes a cycle's settings and moves its state one step forward. Scales and the population are fixed
 * once the cycle opens (its records are rated on them); opening makes one talent record per person.
 */
export async function updateCycle(db: Kysely<DB>, p: Principal, id: number, change: CycleChange) {
  pass(p, gates.manageCalibration);
  await getCycle(db, p, id);
  await inTransaction(db, async (trx) => {
    const c = await repo.lockCycle(trx, p, id);
    if (!c) throw notFound('calibration cycle');
    const population = { audience: c.audience, ids: c.audience_ids };
    await assertManagesPopulation(trx, p, population);
    const scalesChange = change.performance_levels !== undefined || change.potential_levels !== undefined;
    if (scalesChange && c.state !== 'draft')
      throw new AppError('invalid_operation', 'The scales are fixed once a cycle opens.');
    // Records hold values by key and type: a field changed under them would strand or mistype them.
    if (change.talent_fields !== undefined && c.state !== 'draft')
      throw new AppError('invalid_operation', 'The talent fields are fixed once a cycle opens.');
    if (change.talent_fields) assertTalentFields(change.talent_fields);
    const performance = change.performance_levels ?? c.performance_levels;
    if (change.performance_levels) assertScale('performance_levels', change.performance_levels);
    if (change.potential_levels) assertScale('potential_levels', change.potential_levels);
    const target =
      change.target_distribution === undefined ? c.target_distribution : change.target_distribution;
    if (change.target_distribution !== undefined || change.performance_levels !== undefined)
      assertDistribution(target, performance);
    if (c.state === 'closed' && Object.keys(change).some((k) => k !== 'state'))
      throw new AppError('calibration_cycle_locked', 'A closed cycle does not change.');
    await assertPeriod(trx, p, change.period_id);
    const to = change.state !== undefined && change.state !== c.state ? change.state : undefined;
    if (to) assertNextState(c.state, to);
    await trx
      .updateTable('calibration_cycles')
      .set({
        ...(change.name !== undefined && { name: change.name }),
        ...(change.period_id !== undefined && { period_id: change.period_id }),
        ...(change.performance_levels && { performance_levels: JSON.stringify(change.performance_levels) }),
        ...(change.potential_levels && { potential_levels: JSON.stringify(change.potential_levels) }),
        ...(change.target_distribution !== undefined && {
          target_distribution: JSON.stringify(change.target_distribution),
        }),
        ...(change.talent_fields && { talent_fields: JSON.stringify(change.talent_fields) }),
        ...(change.publish_to_person !== undefined && { publish_to_person: change.publish_to_person }),
        ...(to && to !== 'draft' && { state: to, [STAMP[to]]: new Date() }),
        updated_at: new Date(),
      })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    let made = 0;
    if (to === 'open') {
      made = await repo.insertTalentRecords(trx, p, id, population);
      if (made === 0)
        throw new AppError('invalid_operation', 'The population is empty: nobody in it is active.');
    }
    await recordChange(trx, p, to && to !== 'draft' ? EVENT[to] : 'calibration_cycle.updated', id, {
      ...change,
      ...(to === 'open' && { talent_record_count: made }),
    });
  });
  return getCycle(db, p, id);
}

/**
 * Gives an open cycle's joiners their talent records: each active person now in the population without
 * one, with their active manager of today. Leavers keep theirs (their ratings are history). Audited even
 * when nobody joined, as every successful write is.
 */
export async function syncCycle(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageCalibration);
  await getCycle(db, p, id);
  const added = await inTransaction(db, async (trx) => {
    const c = await repo.lockCycle(trx, p, id);
    if (!c) throw notFound('calibration cycle');
    const population = { audience: c.audience, ids: c.audience_ids };
    await assertManagesPopulation(trx, p, population);
    if (c.state !== 'open')
      throw new AppError(
        c.state === 'draft' ? 'invalid_operation' : 'calibration_cycle_locked',
        c.state === 'draft'
          ? 'The cycle is a draft: opening it makes the records of everyone in its population.'
          : `The cycle is ${c.state}: nobody joins it any more.`,
      );
    const made = await repo.insertTalentRecords(trx, p, id, population);
    if (made > 0)
      await trx
        .updateTable('calibration_cycles')
        .set({ updated_at: new Date() })
        .where(inTenant(p))
        .where('id', '=', id)
        .execute();
    await recordChange(trx, p, 'calibration_cycle.synced', id, { talent_records_added: made });
    return made;
  });
  return { cycle: await getCycle(db, p, id), added };
}
