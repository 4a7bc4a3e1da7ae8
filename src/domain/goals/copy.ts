import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { getGoal, insertGoal } from './service.js';
import type { NewGoal, NewMilestone } from './types.js';
import type { GoalView, MilestoneView } from './views.js';

export interface CopyGoalInput {
  name?: string | undefined;
  period_id?: number | null | undefined;
  starts_on?: string | undefined;
  ends_on?: string | undefined;
  owner_user_id?: number | null | undefined;
  owner_team_id?: number | null | undefined;
  owner_department_id?: number | null | undefined;
  parent_id?: number | null | undefined;
  include_milestones?: boolean | undefined;
}

const OWNER_FIELDS = ['owner_user_id', 'owner_team_id', 'owner_department_id'] as const;
type OwnerField = (typeof OWNER_FIELDS)[number];

/** When the copy names a period or dates it takes those; otherwise it keeps the source's. */
function datesOf(source: GoalView, input: CopyGoalInput) {
  if (input.period_id !== undefined || input.starts_on !== undefined || input.ends_on !== undefined) {
    return { period_id: input.period_id ?? null, starts_on: input.starts_on, ends_on: input.ends_on };
  }
  return { period_id: source.period_id, starts_on: source.starts_on, ends_on: source.ends_on };
}

/** Naming any owner replaces the source's owner entirely; otherwise the copy has the same owner. */
function ownerOf(source: GoalView, input: CopyGoalInput): Pick<NewGoal, 'goal_type' | OwnerField> {
  const named = OWNER_FIELDS.some((k) => input[k] !== undefined && input[k] !== null);
  const from = named ? input : source;
  const owner = Object.fromEntries(OWNER_FIELDS.map((k) => [k, from[k] ?? null]));
  // A new kind of owner brings its own type (a team's goal is a team goal), except for company goals.
  const keepType = !named || source.goal_type === 'company';
  return { ...owner, ...(keepType && { goal_type: source.goal_type }) };
}

/** The metric as defined, progress reset: no current value (it starts at start_value), no confidence, open. */
const freshMilestone = (m: MilestoneView): NewMilestone => ({
  name: m.name,
  description: m.description,
  owner_user_id: m.owner_user_id,
  unit: m.unit,
  currency_code: m.currency_code,
  start_value: m.start_value,
  target_value: m.target_value,
  direction: m.direction,
  range_yellow: m.range_yellow,
  range_red: m.range_red,
  weight: m.weight,
  update_interval: m.update_interval,
  position: m.position,
});

/**
 * A new goal made from one the caller can see, typically into the next period: the same definition, owner
 * (unless named), contributors, labels and visibility, its milestones reset, no check-ins, open and not
 * aligned unless a parent is given. The creation rules apply as for any new goal.
 */
export async function copyGoal(db: Kysely<DB>, p: Principal, sourceId: number, input: CopyGoalInput) {
  return db.transaction().execute(async (trx) => {
    const source = await getGoal(trx, p, sourceId);
    const milestones = input.include_milestones === false ? [] : source.milestones.map(freshMilestone);
    const id = await insertGoal(trx, p, {
      name: input.name ?? source.name,
      description: source.description,
      ...ownerOf(source, input),
      ...datesOf(source, input),
      visibility: source.visibility,
      team_ids: source.team_ids,
      parent_id: input.parent_id ?? null,
      progress_source: source.progress_source,
      contributors: source.contributors,
      categories: source.categories,
      tags: source.tags,
      custom_fields: source.custom_fields,
      milestones,
    });
    await recordChange(trx, p, 'goal.copied', id, {
      copied_from: sourceId,
      milestones_copied: milestones.length,
    });
    return getGoal(trx, p, id);
  });
}
