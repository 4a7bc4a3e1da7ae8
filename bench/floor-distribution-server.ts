import { pool, serveFloor } from './floor.js';

/**
 * The floor of GET /v1/calibration/cycles/{id}/distribution?by=department for an hr_admin: the single raw
 * GROUP BY that computes it (records of the people in the hr_admin's departments but their own, by
 * department and final performance rating), its rows answered as they come. No access rules beyond the
 * scope, no scale order, no target: the least the same figures can cost.
 */
const orgId = Number(process.env.BENCH_ORG_ID);
const userId = Number(process.env.BENCH_USER_ID);

const GROUPS = `with recursive scope(id) as (
    select scope_id from hr_admin_scopes
    where org_id = $1 and mode = 'live' and user_id = $2 and scope_type = 'department'
    union
    select d.id from departments d join scope s on d.parent_id = s.id where d.org_id = $1 and d.mode = 'live')
  select u.department_id, d.name, coalesce(r.calibrated_performance, r.proposed_performance) as level,
    count(*) as n
  from calibration_talent_records r
  join users u on u.org_id = r.org_id and u.mode = r.mode and u.id = r.user_id
  left join departments d on d.org_id = u.org_id and d.mode = u.mode and d.id = u.department_id
  where r.org_id = $1 and r.mode = 'live' and r.cycle_id = $3 and r.user_id <> $2
    and u.department_id in (select id from scope)
  group by 1, 2, 3`;

serveFloor(async (url) => {
  const cycleId = Number(new URL(url).pathname.split('/')[4]);
  const { rows } = await pool.query(GROUPS, [orgId, userId, cycleId]);
  return { success: true, message: 'OK', data: rows };
});
