/**
 * The SQL of the least a check-in five levels deep can cost, shared by the two one-round-trip floors
 * (floor-checkins-minimal-server.ts, floor-inbound-server.ts): the chain locked in one statement, then one
 * statement making every row change Trellis makes (the check-in, the milestone, the goal and its ancestors,
 * an audit row and an outbox event for each change). Numbers are written into the text: only numbers pass.
 */
export interface FloorTarget {
  orgId: number;
  milestoneId: number;
  userId: number;
}

const tenant = (t: FloorTarget, alias: string) => `${alias}.org_id = ${t.orgId} and ${alias}.mode = 'live'`;

export const lockSql = (t: FloorTarget) => `with recursive chain(id, parent_id, rolls_up, depth) as (
    select g.id, g.parent_id, true, 0 from goals g
    where ${tenant(t, 'g')} and g.id = (select goal_id from milestones m where ${tenant(t, 'm')} and m.id = ${t.milestoneId})
    union all
    select g.id, g.parent_id, g.progress_source = 'children', c.depth + 1
    from chain c join goals g on ${tenant(t, 'g')} and g.id = c.parent_id where c.rolls_up
  )
  select g.id from chain c join goals g on ${tenant(t, 'g')} and g.id = c.id order by c.depth for update of g`;

/** The audit row and the outbox event of one change, from a CTE's rows: `id` and `changes` columns. */
const recorded = (t: FloorTarget, name: string, action: string, object: string, from: string) => `
  ${name}_audit as (insert into audit_events (org_id, mode, actor_user_id, action, object_type, object_id, changes)
    select ${t.orgId}, 'live', ${t.userId}, '${action}', '${object}', id, changes from ${from}),
  ${name}_event as (insert into events (org_id, mode, type, object_type, object_id, payload)
    select ${t.orgId}, 'live', '${action}', '${object}', id, jsonb_build_object('object', '${object}', 'id', id,
      'mode', 'live', 'actor_user_id', ${t.userId}, 'changes', changes) from ${from})`;

/** Every row change but the lock in one statement, `more` adding CTEs; answers the goal's new progress. */
export function writeSql(t: FloorTarget, value: number, more = '') {
  if (!Number.isFinite(value)) throw new Error('value must be a number');
  return `with recursive
  ins as (insert into checkins (org_id, mode, goal_id, milestone_id, user_id, value, checked_in_at)
    select ${t.orgId}, 'live', m.goal_id, m.id, ${t.userId}, ${value}, now() from milestones m
    where ${tenant(t, 'm')} and m.id = ${t.milestoneId} returning id),
  ms as (update milestones m set current_value = ${value}, progress = round(100 * least(greatest((${value}
      - m.start_value) / (m.target_value - m.start_value), 0), 1), 3), last_checkin_at = now(), updated_at = now()
    from milestones o where ${tenant(t, 'o')} and o.id = m.id and ${tenant(t, 'm')} and m.id = ${t.milestoneId}
    returning m.id, m.goal_id, m.progress, jsonb_build_object('checkin_id', (select id from ins),
      'current_value', jsonb_build_object('from', o.current_value, 'to', m.current_value),
      'progress', jsonb_build_object('from', o.progress, 'to', m.progress)) as changes),
  up(id, parent_id, depth, was, progress) as (
    select g.id, g.parent_id, 0, g.progress, round((select avg(case when m.id = ${t.milestoneId} then ms.progress
      else m.progress end) from milestones m where ${tenant(t, 'm')} and m.goal_id = g.id), 3)::numeric
    from ms join goals g on ${tenant(t, 'g')} and g.id = ms.goal_id
    union all
    select g.id, g.parent_id, up.depth + 1, g.progress, round((select avg(case when c.id = up.id then up.progress
      else c.progress end) from goals c where ${tenant(t, 'c')} and c.parent_id = g.id), 3)::numeric
    from up join goals g on ${tenant(t, 'g')} and g.id = up.parent_id where g.progress_source = 'children'
  ),
  moved as (update goals g set progress = up.progress, updated_at = now(), last_checkin_at = case
      when up.depth = 0 then now() else g.last_checkin_at end
    from up where ${tenant(t, 'g')} and g.id = up.id
    returning g.id, up.depth, up.was, g.progress,
      jsonb_build_object('progress', jsonb_build_object('from', up.was, 'to', g.progress)) as changes),
  ${recorded(t, 'milestone', 'milestone.checked_in', 'milestone', 'ms')},
  ${recorded(t, 'goal', 'goal.progress_changed', 'goal', 'moved where was <> progress')}${more}
  select progress from moved where depth = 0`;
}
