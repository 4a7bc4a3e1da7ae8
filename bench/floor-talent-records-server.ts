import { boxOf } from '../src/domain/calibration/rules.js';
import { listEnvelope, pageSize, pool, serveFloor } from './floor.js';

/**
 * The floor of GET /v1/calibration/cycles/{id}/talent-records?size=100 for an hr_admin: one query of its own
 * (not Trellis's) for the same page, the cycle's records of the people in the departments the hr_admin covers
 * (sub-departments too) but their own, counted by a window; every one of them the hr_admin's to calibrate, so
 * every field is shown. The final rating and the 9-box are the work any answer does, so the floor does it too.
 */
const orgId = Number(process.env.BENCH_ORG_ID);
const userId = Number(process.env.BENCH_USER_ID);

const LIST = `with recursive scope(id) as (
    select scope_id from hr_admin_scopes
    where org_id = $1 and mode = 'live' and user_id = $2 and scope_type = 'department'
    union
    select d.id from departments d join scope s on d.parent_id = s.id where d.org_id = $1 and d.mode = 'live'),
  people as materialized (
    select u.id from users u where u.org_id = $1 and u.mode = 'live' and u.department_id in (select id from scope))
  select r.id, r.cycle_id, r.user_id, r.manager_id, r.session_id, r.proposed_performance, r.proposed_potential,
    r.calibrated_performance, r.calibrated_potential, r.notes, r.custom_fields, r.created_at, r.updated_at,
    c.performance_levels, c.potential_levels, count(*) over () as total
  from calibration_talent_records r join people p on p.id = r.user_id
  join calibration_cycles c on c.org_id = r.org_id and c.mode = r.mode and c.id = r.cycle_id
  where r.org_id = $1 and r.mode = 'live' and r.cycle_id = $3 and r.user_id <> $2
  order by r.id limit $4`;

interface Row {
  id: number;
  cycle_id: number;
  user_id: number;
  manager_id: number | null;
  session_id: number | null;
  proposed_performance: string | null;
  proposed_potential: string | null;
  calibrated_performance: string | null;
  calibrated_potential: string | null;
  notes: string | null;
  custom_fields: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  performance_levels: string[];
  potential_levels: string[];
  total: string;
}

const record = (r: Row) => {
  const performance = r.calibrated_performance ?? r.proposed_performance;
  const potential = r.calibrated_potential ?? r.proposed_potential;
  const scales = { performance: r.performance_levels, potential: r.potential_levels };
  return {
    id: r.id,
    cycle_id: r.cycle_id,
    user_id: r.user_id,
    manager_id: r.manager_id,
    session_id: r.session_id,
    proposed_performance: r.proposed_performance,
    proposed_potential: r.proposed_potential,
    calibrated_performance: r.calibrated_performance,
    calibrated_potential: r.calibrated_potential,
    final_performance: performance,
    final_potential: potential,
    box: boxOf(performance, potential, scales),
    notes: r.notes,
    custom_fields: r.custom_fields,
    view: 'calibrator',
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
};

serveFloor(async (url) => {
  const cycleId = Number(new URL(url).pathname.split('/')[4]);
  const { rows } = await pool.query<Row>(LIST, [orgId, userId, cycleId, pageSize + 1]);
  const data = rows.slice(0, pageSize).map(record);
  return listEnvelope(data, Number(rows[0]?.total ?? 0), rows.length > pageSize, url);
});
