import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { type Change, recordChanges } from '../changes.js';
import type { Tenant } from '../tenant.js';
import { lockRollUp, MAX_DEPTH } from './chain-lock.js';

/** A milestone whose new progress the statement writes itself: its row still reads the old one there. */
export interface MovedMilestone {
  id: number;
  progress: number;
}

/** The goal's progress from its own source, as docs/goals.md gives it, rounded to numeric(6,3). */
const ownProgress = (t: Tenant, moved?: MovedMilestone) => sql`case when g.progress_source = 'children' then
    round(coalesce((select avg(c.progress) from goals c where c.org_id = ${t.orgId} and c.mode = ${t.mode}
      and c.parent_id = g.id and c.deleted_at is null), 0), 3)
  else coalesce(
    (select case when sum(m.weight) > 0 then round(sum(m.weight * ${milestoneProgressOf(moved)}) / sum(m.weight), 3) else 0 end
      from milestones m where m.org_id = ${t.orgId} and m.mode = ${t.mode} and m.goal_id = g.id
        and m.deleted_at is null
      having count(*) > 0),
    (select round(least(100, greatest(0, k.value)), 3) from checkins k
      where k.org_id = ${t.orgId} and k.mode = ${t.mode} and k.goal_id = g.id and k.milestone_id is null
        and k.value is not null
      order by k.checked_in_at desc, k.id desc limit 1),
    0)
  end::numeric`;

const milestoneProgressOf = (moved?: MovedMilestone) =>
  moved
    ? sql`case when m.id = ${moved.id} then ${moved.progress}::numeric else m.progress end`
    : sql`m.progress`;

export interface RollUp {
  /** The goal's progress moves, child first: each a `goal.progress_changed` change. */
  moves: Change[];
  /** The goal's row after the walk, when it was written (it always is with `checkedInAt`). */
  goal?: { progress: number; last_checkin_at: string | null; updated_at: string };
}

export interface RolledRow {
  id: number;
  depth: number;
  was: number;
  becomes: number;
  last_checkin_at: string | null;
  updated_at: string;
}

/**
 * The walk up as one recursive CTE, `up`: the goal recomputed from its own source (`moved` standing for a
 * milestone the same statement writes), then each ancestor while it rolls up from its children and the
 * value below it changed, seeing the new value of the child it came from.
 */
export const upCte = (
  t: Tenant,
  goalId: number,
  moved?: MovedMilestone,
  when: RawBuilder<boolean> = sql`true`,
) => sql`
    up(id, parent_id, depth, was, becomes) as (
      select g.id, g.parent_id, 0, g.progress::numeric, ${ownProgress(t, moved)} from goals g
      where g.org_id = ${t.orgId} and g.mode = ${t.mode} and g.id = ${goalId} and g.deleted_at is null and ${when}
      union all
      select g.id, g.parent_id, up.depth + 1, g.progress::numeric,
        round(coalesce((select avg(case when c.id = up.id then up.becomes else c.progress end) from goals c
          where c.org_id = ${t.orgId} and c.mode = ${t.mode} and c.parent_id = g.id
            and c.deleted_at is null), 0), 3)::numeric
      from up join goals g on g.org_id = ${t.orgId} and g.mode = ${t.mode} and g.id = up.parent_id
      where up.becomes <> up.was and g.progress_source = 'children' and g.deleted_at is null
        and up.depth < ${MAX_DEPTH}
    )`;

/**
 * The UPDATE that writes what `up` computed: every goal whose value moved, and the goal itself when it is
 * checked in on (`at`, a moment or an expression of the statement), with `from` naming more CTEs of the
 * statement whose columns the caller returns.
 */
export const writeUp = (
  t: Tenant,
  at: Date | RawBuilder<Date> | null,
  from: RawBuilder<unknown>,
  returning: RawBuilder<unknown>,
) => sql`
    update goals set progress = up.becomes, updated_at = ${new Date()},
      last_checkin_at = case when up.depth = 0 and ${at}::timestamptz is not null
        then greatest(goals.last_checkin_at, ${at}::timestamptz) else goals.last_checkin_at end
    from up${from}
    where goals.org_id = ${t.orgId} and goals.mode = ${t.mode} and goals.id = up.id
      and (up.becomes <> up.was or (up.depth = 0 and ${at}::timestamptz is not null))
    returning goals.id, up.depth, up.was, up.becomes, goals.last_checkin_at, goals.updated_at${returning}`;

/** The walk's rows as a RollUp: the moves child first, and the goal's row when it was written. */
export function rolledUp(rows: RolledRow[]): RollUp {
  rows.sort((a, b) => a.depth - b.depth);
  const moves = rows
    .filter((r) => Number(r.becomes) !== Number(r.was))
    .map((r) => ({ objectId: r.id, changes: { progress: { from: Number(r.was), to: Number(r.becomes) } } }));
  const first = rows[0];
  const goal =
    first?.depth === 0
      ? {
          progress: Number(first.becomes),
          last_checkin_at: first.last_checkin_at,
          updated_at: first.updated_at,
        }
      : undefined;
  return { moves, ...(goal && { goal }) };
}

/**
 * Recomputes the goal's progress and carries a change up the alignment tree in one statement: each
 * ancestor is recomputed while it rolls up from its children and the value below it changed, seeing the
 * new value of the child it came from. `checkedInAt` also records a check-in on the goal itself. The
 * caller holds lockRollUp's locks, so what this reads cannot move before it commits.
 */
export async function rollUp(
  trx: Transaction<DB>,
  t: Tenant,
  goalId: number,
  checkedInAt?: Date,
): Promise<RollUp> {
  const { rows } = await sql<RolledRow>`with recursive ${upCte(t, goalId)}
    ${writeUp(t, checkedInAt ?? null, sql``, sql``)}`.execute(trx);
  return rolledUp(rows);
}

/**
 * A check-in and its roll-up in one statement: `writes` are data-modifying CTEs (the check-in, the
 * milestone) whose RETURNING columns `returning` picks for every row; `moved` is the milestone's new
 * progress, which the walk cannot read from a row the same statement changes. Returns the walk's rows
 * with those columns.
 */
export async function writeAndRollUp<Extra>(
  trx: Transaction<DB>,
  t: Tenant,
  step: {
    goalId: number;
    at: Date;
    moved?: MovedMilestone;
    writes: RawBuilder<unknown>;
    from: RawBuilder<unknown>;
    returning: RawBuilder<unknown>;
  },
) {
  const { rows } = await sql<
    RolledRow & Extra
  >`with recursive ${step.writes}, ${upCte(t, step.goalId, step.moved)}
    ${writeUp(t, step.at, step.from, step.returning)}`.execute(trx);
  return rows;
}

/**
 * Recomputes the goal's progress and carries a change up the alignment tree (docs/goals.md, Roll-up):
 * the chain locked in one statement, recomputed in another, each move audited in one INSERT.
 */
export async function recomputeProgress(trx: Transaction<DB>, p: Principal, goalId: number) {
  if ((await lockRollUp(trx, p, { goalId })) === undefined) return;
  const { moves } = await rollUp(trx, p, goalId);
  await recordChanges(trx, p, 'goal.progress_changed', moves);
}
