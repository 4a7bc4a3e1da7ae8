import { pool, serveFloor } from './floor.js';

/**
 * The least a check-in five levels deep can cost, as the team's rule for floors asks: one round trip. One
 * simple-protocol message holds the transaction: the goal and its ancestors locked in one statement (so that
 * concurrent check-ins stay exact: the next statement sees the one before), then one statement that inserts
 * the check-in, moves the milestone and recomputes the goal and each ancestor with the new value of the child
 * below it. No checks, no audit rows, no answer beyond the new progress. floor-checkins-server.ts is the
 * older floor: the same rows, one round trip per level, as Trellis used to make them.
 */
const orgId = Number(process.env.BENCH_ORG_ID);
const milestoneId = Number(process.env.BENCH_MILESTONE_ID);
const userId = Number(process.env.BENCH_USER_ID);
const tenant = (alias: string) => `${alias}.org_id = ${orgId} and ${alias}.mode = 'live'`;

const lock = `with recursive chain(id, parent_id, rolls_up, depth) as (
    select g.id, g.parent_id, true, 0 from goals g
    where ${tenant('g')} and g.id = (select goal_id from milestones m where ${tenant('m')} and m.id = ${milestoneId})
    union all
    select g.id, g.parent_id, g.progress_source = 'children', c.depth + 1
    from chain c join goals g on ${tenant('g')} and g.id = c.parent_id where c.rolls_up
  )
  select g.id from chain c join goals g on ${tenant('g')} and g.id = c.id order by c.depth for update of g`;

/** Everything else in one statement; `$value` is a number, checked before it is written into the text. */
const write = (value: number) => `with recursive
  ins as (insert into checkins (org_id, mode, goal_id, milestone_id, user_id, value, checked_in_at)
    select ${orgId}, 'live', m.goal_id, m.id, ${userId}, ${value}, now() from milestones m
    where ${tenant('m')} and m.id = ${milestoneId}),
  ms as (update milestones m set current_value = ${value}, progress = round(100 * least(greatest((${value}
      - start_value) / (target_value - start_value), 0), 1), 3), last_checkin_at = now(), updated_at = now()
    where ${tenant('m')} and m.id = ${milestoneId} returning m.goal_id, m.progress),
  up(id, parent_id, depth, progress) as (
    select g.id, g.parent_id, 0, round((select avg(case when m.id = ${milestoneId} then ms.progress else m.progress end)
      from milestones m where ${tenant('m')} and m.goal_id = g.id), 3)::numeric
    from ms join goals g on ${tenant('g')} and g.id = ms.goal_id
    union all
    select g.id, g.parent_id, up.depth + 1, round((select avg(case when c.id = up.id then up.progress else c.progress end)
      from goals c where ${tenant('c')} and c.parent_id = g.id), 3)::numeric
    from up join goals g on ${tenant('g')} and g.id = up.parent_id where g.progress_source = 'children'
  )
  update goals g set progress = up.progress, updated_at = now(), last_checkin_at = case when up.depth = 0
    then now() else g.last_checkin_at end
  from up where ${tenant('g')} and g.id = up.id returning up.depth, g.progress`;

async function checkIn(value: number) {
  if (!Number.isFinite(value)) throw new Error('value must be a number');
  const results = (await pool.query(`begin; ${lock}; ${write(value)}; commit`)) as unknown as {
    rows: { depth: number; progress: number }[];
  }[];
  return results[2]?.rows.find((r) => r.depth === 0)?.progress;
}

serveFloor(async (_url, body) => ({ success: true, data: { progress: await checkIn(Number(body.value)) } }));
