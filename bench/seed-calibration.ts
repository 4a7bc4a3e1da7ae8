import { sql } from 'kysely';
import { connect } from '../src/db/connect.js';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createCycle, updateCycle } from '../src/domain/calibration/cycles.js';
import type { BenchDatabase } from './database.js';

/**
 * The calibration world: the bench directory (database.ts, 10,000 people) in one department tree (Company
 * with four teams under it, by id), person59 an hr_admin scoped to Company, and a cycle of Company made and
 * opened by the calibration service (one INSERT … SELECT of 10,000 records). Its ratings, a talent field and
 * notes are then filled in set-based SQL: a bench measures reads, and 20,000 audited PATCHes take minutes.
 */
export const PERFORMANCE = ['1 - Below', '2 - Partly meets', '3 - Meets', '4 - Exceeds', '5 - Outstanding'];
export const POTENTIAL = ['Low', 'Medium', 'High'];
export const TARGET = [10, 20, 40, 20, 10];
export const HR_ADMIN_EMAIL = 'person59@bench.test';

export interface CalibrationWorld {
  cycleId: number;
  hrAdminId: number;
  /** Records the hr_admin sees: everyone's but their own. */
  visible: number;
  openSeconds: number;
}

type BenchDb = Awaited<ReturnType<typeof connect>>['db'];

async function department(db: BenchDb, orgId: number, name: string, parentId: number | null) {
  const { rows } = await sql<{ id: number }>`insert into departments (org_id, mode, name, parent_id)
    values (${orgId}, 'live', ${name}, ${parentId}) returning id`.execute(db);
  return Number(rows[0]?.id);
}

async function splitDirectory(db: BenchDb, orgId: number) {
  const company = await department(db, orgId, 'Company', null);
  const teams: number[] = [];
  for (const name of ['Platform', 'Product', 'Sales', 'Support'])
    teams.push(await department(db, orgId, name, company));
  await sql`update users set department_id = (${sql.lit(`{${teams.join(',')}}`)}::bigint[])[1 + (id % 4)::int]
    where org_id = ${orgId} and mode = 'live' and email like 'person%'`.execute(db);
  const { rows } = await sql<{ id: number }>`update users set role = 'hr_admin'
    where org_id = ${orgId} and mode = 'live' and email = ${HR_ADMIN_EMAIL} returning id`.execute(db);
  const hrAdminId = Number(rows[0]?.id);
  await sql`insert into hr_admin_scopes (org_id, mode, user_id, scope_type, scope_id)
    values (${orgId}, 'live', ${hrAdminId}, 'department', ${company})`.execute(db);
  return { company, hrAdminId };
}

/** Proposals for all, calibration for two in three (often moved), a talent field, notes for one in five. */
async function rate(db: BenchDb, orgId: number, cycleId: number) {
  const scale = (labels: string[]) => sql.lit(`{${labels.map((l) => `"${l}"`).join(',')}}`);
  await sql`update calibration_talent_records set
      proposed_performance = (${scale(PERFORMANCE)}::text[])[1 + (user_id % 5)::int],
      proposed_potential = (${scale(POTENTIAL)}::text[])[1 + (user_id % 3)::int],
      calibrated_performance = case when user_id % 3 <> 0
        then (${scale(PERFORMANCE)}::text[])[1 + ((user_id + user_id / 7) % 5)::int] end,
      calibrated_potential = case when user_id % 3 = 1 then (${scale(POTENTIAL)}::text[])[1 + ((user_id / 3) % 3)::int] end,
      custom_fields = jsonb_build_object('flight_risk', (array['low', 'medium', 'high'])[1 + (user_id % 3)::int]),
      notes = case when user_id % 5 = 0 then 'Discussed in the session.' end
    where org_id = ${orgId} and mode = 'live' and cycle_id = ${cycleId}`.execute(db);
  await sql`analyze`.execute(db);
}

export async function seedCalibration(database: BenchDatabase): Promise<CalibrationWorld> {
  const { db, close } = await connect({ databaseUrl: database.url, poolSize: 2 });
  try {
    const { company, hrAdminId } = await splitDirectory(db, database.orgId);
    await sql`analyze`.execute(db);
    const actor = operatorPrincipal(database.orgId, database.adminId);
    const cycle = await createCycle(db, actor, {
      name: 'Bench calibration',
      performance_levels: PERFORMANCE,
      potential_levels: POTENTIAL,
      target_distribution: TARGET,
      talent_fields: [{ key: 'flight_risk', label: 'Flight risk', type: 'text' }],
      audience: 'departments',
      department_ids: [company],
    });
    const started = performance.now();
    const opened = await updateCycle(db, actor, cycle.id, { state: 'open' });
    const openSeconds = (performance.now() - started) / 1000;
    await rate(db, database.orgId, cycle.id);
    return { cycleId: cycle.id, hrAdminId, visible: opened.record_count - 1, openSeconds };
  } finally {
    await close();
  }
}
