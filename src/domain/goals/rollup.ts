import { sql, type Transaction } from 'kysely';
import type { DB, ProgressSource } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { type Change, recordChanges } from '../changes.js';
import type { Tenant } from '../tenant.js';

/** Goals above this depth are not walked: alignment refuses cycles, so this only bounds a broken tree. */
const MAX_DEPTH = 10_000;
/** Tries at locking a chain that moved under the walk; a re-alignment is rare, twice in a row rarer. */
const LOCK_ATTEMPTS = 3;

interface Link {
  id: number;
  parent_id: number | null;
  progress_source: ProgressSource;
}

/**
 * The locked rows form the goal's chain as it stands now: each the parent of the one before, every one
 * between the first and the last rolling up from its children, and the last the end of the walk. The
 * chain is read from the statement's snapshot and the rows returned as locked, so a goal re-aligned in
 * between shows here and the lock is taken again.
 */
function isWholeChain(goalId: number, rows: Link[]) {
  const last = rows[rows.length - 1];
  if (rows[0]?.id !== goalId || !last) return false;
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]?.id !== rows[i - 1]?.parent_id) return false;
    if (i < rows.length - 1 && rows[i]?.progress_source !== 'children') return false;
  }
  return last.parent_id === null || (rows.length > 1 && last.progress_source !== 'children');
}

/**
 * Locks the goal and every ancestor its progress can reach (up to and including the first one that does
 * not roll up from its children) in one statement, child first: the order recomputing walks in, so
 * concurrent check-ins under one parent queue rather than overwrite each other or deadlock. The goal is
 * named, or found as a milestone's in the same statement; returns its id, or undefined when it is not live.
 */
export async function lockRollUp(
  trx: Transaction<DB>,
  t: Tenant,
  root: { goalId: number } | { milestoneId: number },
): Promise<number | undefined> {
  const start =
    'goalId' in root
      ? sql`${root.goalId}`
      : sql`(select goal_id from milestones where org_id = ${t.orgId} and mode = ${t.mode}
          and id = ${root.milestoneId} and deleted_at is null)`;
  for (let attempt = 1; ; attempt++) {
    const { rows } = await sql<Link>`
      with recursive chain(id, parent_id, rolls_up, depth) as (
        select id, parent_id, true, 0 from goals
        where org_id = ${t.orgId} and mode = ${t.mode} and id = ${start} and deleted_at is null
        union all
        select g.id, g.parent_id, g.progress_source = 'children', c.depth + 1
        from chain c join goals g on g.org_id = ${t.orgId} and g.mode = ${t.mode} and g.id = c.parent_id
        where c.rolls_up and g.deleted_at is null and c.depth < ${MAX_DEPTH}
      )
      select g.id, g.parent_id, g.progress_source from chain c
      join goals g on g.org_id = ${t.orgId} and g.mode = ${t.mode} and g.id = c.id
      where g.deleted_at is null
      order by c.depth
      for update of g`.execute(trx);
    const goalId = rows[0]?.id;
    // A chain that still looks broken after retries ends at a parent that is gone: the walk stops there too.
    if (goalId === undefined || attempt >= LOCK_ATTEMPTS || isWholeChain(goalId, rows)) return goalId;
  }
}

/** The goal's progress from its own source, as docs/goals.md gives it, rounded to numeric(6,3). */
const ownProgress = (t: Tenant) => sql`case when g.progress_source = 'children' then
    round(coalesce((select avg(c.progress) from goals c where c.org_id = ${t.orgId} and c.mode = ${t.mode}
      and c.parent_id = g.id and c.deleted_at is null), 0), 3)
  else coalesce(
    (select case when sum(m.weight) > 0 then round(sum(m.weight * m.progress) / sum(m.weight), 3) else 0 end
      from milestones m where m.org_id = ${t.orgId} and m.mode = ${t.mode} and m.goal_id = g.id
        and m.deleted_at is null
      having count(*) > 0),
    (select round(least(100, greatest(0, k.value)), 3) from checkins k
      where k.org_id = ${t.orgId} and k.mode = ${t.mode} and k.goal_id = g.id and k.milestone_id is null
        and k.value is not null
      order by k.checked_in_at desc, k.id desc limit 1),
    0)
  end::numeric`;

export interface RollUp {
  /** The goal's progress moves, child first: each a `goal.progress_changed` change. */
  moves: Change[];
  /** The goal's row after the walk, when it was written (it always is with `checkedInAt`). */
  goal?: { progress: number; last_checkin_at: string | null; updated_at: string };
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
  const now = new Date();
  const at = checkedInAt ?? null;
  const { rows } = await sql<{
    id: number;
    depth: number;
    was: number;
    becomes: number;
    last_checkin_at: string | null;
    updated_at: string;
  }>`
    with recursive up(id, parent_id, depth, was, becomes) as (
      select g.id, g.parent_id, 0, g.progress::numeric, ${ownProgress(t)} from goals g
      where g.org_id = ${t.orgId} and g.mode = ${t.mode} and g.id = ${goalId} and g.deleted_at is null
      union all
      select g.id, g.parent_id, up.depth + 1, g.progress::numeric,
        round(coalesce((select avg(case when c.id = up.id then up.becomes else c.progress end) from goals c
          where c.org_id = ${t.orgId} and c.mode = ${t.mode} and c.parent_id = g.id
            and c.deleted_at is null), 0), 3)::numeric
      from up join goals g on g.org_id = ${t.orgId} and g.mode = ${t.mode} and g.id = up.parent_id
      where up.becomes <> up.was and g.progress_source = 'children' and g.deleted_at is null
        and up.depth < ${MAX_DEPTH}
    )
    update goals set progress = up.becomes, updated_at = ${now},
      last_checkin_at = case when up.depth = 0 and ${at}::timestamptz is not null
        then greatest(goals.last_checkin_at, ${at}::timestamptz) else goals.last_checkin_at end
    from up
    where goals.org_id = ${t.orgId} and goals.mode = ${t.mode} and goals.id = up.id
      and (up.becomes <> up.was or (up.depth = 0 and ${at}::timestamptz is not null))
    returning goals.id, up.depth, up.was, up.becomes, goals.last_checkin_at, goals.updated_at`.execute(trx);
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
 * Recomputes the goal's progress and carries a change up the alignment tree (docs/goals.md, Roll-up):
 * the chain locked in one statement, recomputed in another, each move audited in one INSERT.
 */
export async function recomputeProgress(trx: Transaction<DB>, p: Principal, goalId: number) {
  if ((await lockRollUp(trx, p, { goalId })) === undefined) return;
  const { moves } = await rollUp(trx, p, goalId);
  await recordChanges(trx, p, 'goal.progress_changed', moves);
}
