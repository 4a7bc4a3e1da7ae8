import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Tenant } from '../tenant.js';
import { type MilestoneRow, milestonesOf } from './milestone-repo.js';
import { goalColor, milestoneColor, type ProgressColor } from './progress.js';
import type { GoalRow } from './repo.js';

export type MilestoneView = MilestoneRow & { progress_color: ProgressColor };
export type GoalView = GoalRow & { progress_color: ProgressColor; milestones: MilestoneView[] };

interface GoalDates {
  starts_on: string;
  ends_on: string;
}

/**
 * Views extend the rows they are given, which are fresh from their query, by plain assignment. In V8 a
 * spread copy of a pg row gets a hidden class of its own and Object.assign turns it into a dictionary: either
 * made the response's shape check several times slower on a page of goals (bench/goals-list.ts).
 */
export function milestoneView(m: MilestoneRow, goal: GoalDates, now: Date): MilestoneView {
  const view = m as MilestoneView;
  view.progress_color = milestoneColor(m, goal, now);
  return view;
}

/** Goals as every face shows them: milestones inline, colours as of now. One query for all milestones. */
export async function goalViews(db: Kysely<DB>, t: Tenant, rows: GoalRow[]): Promise<GoalView[]> {
  const now = new Date();
  const milestones = await milestonesOf(
    db,
    t,
    rows.map((g) => g.id),
  );
  const byGoal = new Map<number, MilestoneRow[]>();
  for (const m of milestones) {
    const list = byGoal.get(m.goal_id);
    if (list) list.push(m);
    else byGoal.set(m.goal_id, [m]);
  }
  return rows.map((g) => goalView(g, byGoal.get(g.id) ?? [], now));
}

/** One goal as every face shows it, given its live milestones in display order. */
export function goalView(g: GoalRow, milestones: MilestoneRow[], now: Date): GoalView {
  const view = g as GoalView;
  view.progress_color = goalColor(g, now);
  view.milestones = milestones.map((m) => milestoneView(m, g, now));
  return view;
}
