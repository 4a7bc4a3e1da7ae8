import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { inTenant, type Tenant } from '../tenant.js';
import { round3 } from './progress.js';
import { lockGoal } from './repo.js';

type Locked = NonNullable<Awaited<ReturnType<typeof lockGoal>>>;

/** The mean progress of the goal's live aligned children (0 without any). */
async function childrenProgress(db: Kysely<DB>, t: Tenant, goalId: number) {
  const row = await db
    .selectFrom('goals')
    .select(sql<number | null>`avg(progress)`.as('mean'))
    .where(inTenant(t))
    .where('parent_id', '=', goalId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return round3(Number(row?.mean ?? 0));
}

/**
 * The weighted mean of the goal's live milestones. A goal without milestones takes the value of its
 * latest goal-level check-in (0 without any).
 */
async function milestonesProgress(db: Kysely<DB>, t: Tenant, goalId: number) {
  const row = await sql<{ weighted: number | null; weights: number | null; n: number }>`
    select sum(weight * progress) as weighted, sum(weight) as weights, count(*) as n from milestones
    where org_id = ${t.orgId} and mode = ${t.mode} and goal_id = ${goalId} and deleted_at is null`.execute(
    db,
  );
  const totals = row.rows[0];
  if (totals && Number(totals.n) > 0) {
    const weights = Number(totals.weights ?? 0);
    return weights > 0 ? round3(Number(totals.weighted) / weights) : 0;
  }
  const latest = await sql<{ value: number }>`
    select value from checkins where org_id = ${t.orgId} and mode = ${t.mode} and goal_id = ${goalId}
      and milestone_id is null and value is not null
    order by checked_in_at desc, id desc limit 1`.execute(db);
  const value = latest.rows[0]?.value;
  return value === undefined ? 0 : round3(Math.min(100, Math.max(0, Number(value))));
}

export function computeProgress(db: Kysely<DB>, t: Tenant, goal: Pick<Locked, 'id' | 'progress_source'>) {
  return goal.progress_source === 'children'
    ? childrenProgress(db, t, goal.id)
    : milestonesProgress(db, t, goal.id);
}

/**
 * Recomputes the goal's progress and carries a change up the alignment tree: each ancestor is touched only
 * while it rolls up from its children and the value below it changed. Rows are locked child first, so
 * concurrent check-ins under one parent queue rather than overwrite each other.
 */
export async function recomputeProgress(trx: Transaction<DB>, p: Principal, goalId: number) {
  let goal = await lockGoal(trx, p, goalId);
  while (goal) {
    const progress = await computeProgress(trx, p, goal);
    if (progress === Number(goal.progress)) return;
    await trx
      .updateTable('goals')
      .set({ progress, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', goal.id)
      .execute();
    await recordChange(trx, p, 'goal.progress_changed', goal.id, {
      progress: { from: Number(goal.progress), to: progress },
    });
    if (goal.parent_id === null) return;
    const parent = await lockGoal(trx, p, goal.parent_id);
    goal = parent?.progress_source === 'children' ? parent : undefined;
  }
}
