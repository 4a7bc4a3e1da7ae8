import { listEnvelope, pageSize, pool, serveFloor } from './floor.js';

/**
 * The floor of GET /v1/conversations?deployment_id= for an hr_admin: one query of its own (not Trellis's)
 * that gives the same page, the rows of the deployment whose report is in the departments the hr_admin
 * covers (sub-departments included) with their count, and the envelope built by hand. It knows who calls
 * (BENCH_USER_ID) and skips the rules that cannot add a row for them: they take part in none of these
 * conversations and the template lets neither admins nor skip-level managers read.
 */
const orgId = Number(process.env.BENCH_ORG_ID);
const userId = Number(process.env.BENCH_USER_ID);

// The people in scope are gathered once (materialized), so that PostgreSQL hashes them and joins the
// deployment's conversations to them in one pass, counting with a window over that pass.
const LIST = `with recursive scope(id) as (
    select scope_id from hr_admin_scopes
    where org_id = $1 and mode = 'live' and user_id = $2 and scope_type = 'department'
    union
    select d.id from departments d join scope s on d.parent_id = s.id where d.org_id = $1 and d.mode = 'live'),
  people as materialized (
    select u.id from users u where u.org_id = $1 and u.mode = 'live' and u.department_id in (select id from scope))
  select c.id, c.template_id, c.template_version, c.deployment_id, c.manager_id, c.report_id, c.status,
    c.starts_on, c.due_on, c.manager_submitted_at, c.report_submitted_at, c.shared_at, c.completed_at,
    c.manager_confirmed_at, c.report_confirmed_at, c.created_at, c.updated_at, count(*) over () as total
  from conversations c join people p on p.id = c.report_id
  where c.org_id = $1 and c.mode = 'live' and c.deployment_id = $3
  order by c.id limit $4`;

type Row = Record<string, unknown> & { id: number; total: string };

serveFloor(async (url) => {
  const deploymentId = Number(new URL(url).searchParams.get('deployment_id'));
  const { rows } = await pool.query<Row>(LIST, [orgId, userId, deploymentId, pageSize + 1]);
  // The server's column parsers already give ids as numbers and moments as ISO strings.
  const data = rows.slice(0, pageSize).map(({ total: _t, ...c }) => c);
  return listEnvelope(data, Number(rows[0]?.total ?? 0), rows.length > pageSize, url);
});
