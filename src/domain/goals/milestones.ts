import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import { inTenant } from '../tenant.js';
import { resolveMetric } from './metric.js';
import { findMilestone, type MilestoneRow, milestonesOf, nextPosition } from './milestone-repo.js';
import { assertExist, findVisibleGoal, writableGoal } from './references.js';
import { addContributor, lockGoal } from './repo.js';
import { recomputeProgress } from './rollup.js';
import type { MilestoneFields, NewMilestone } from './types.js';
import { milestoneView } from './views.js';
import { assertCanWriteGoal, assertCanWriteMilestone } from './visibility.js';

/** The goal a milestone is written into: who owns it and when it runs. */
export interface GoalContext {
  id: number;
  owner_user_id: number | null;
  owner_team_id: number | null;
  starts_on: string;
  ends_on: string;
}

function checkDates(startsOn: string | null | undefined, endsOn: string | null | undefined) {
  if (startsOn && endsOn && startsOn > endsOn) {
    throw new AppError('invalid_operation', 'starts_on must not be after ends_on.');
  }
}

/** A milestone owner who is not the goal's owner becomes a contributor, so that they can see the goal. */
async function includeOwner(trx: Transaction<DB>, p: Principal, goal: GoalContext, ownerId: number) {
  if (ownerId === goal.owner_user_id) return false;
  await addContributor(trx, p, goal.id, ownerId);
  return true;
}

/** Creates a milestone inside a caller's transaction; the caller recomputes the goal's progress once. */
export async function insertMilestone(
  trx: Transaction<DB>,
  p: Principal,
  goal: GoalContext,
  input: NewMilestone,
) {
  const metric = resolveMetric(input, null);
  const owner = input.owner_user_id ?? goal.owner_user_id ?? p.userId;
  await assertExist(trx, p, 'users', [owner]);
  checkDates(input.starts_on, input.ends_on);
  const { id } = await trx
    .insertInto('milestones')
    .values({
      ...input,
      ...metric,
      owner_user_id: owner,
      position: input.position ?? (await nextPosition(trx, p, goal.id)),
      goal_id: goal.id,
      org_id: p.orgId,
      mode: p.mode,
      created_by: p.userId,
      updated_by: p.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contributorAdded = await includeOwner(trx, p, goal, owner);
  await recordChange(trx, p, 'milestone.created', id, {
    ...input,
    goal_id: goal.id,
    ...(contributorAdded && { contributor_added: owner }),
  });
  return id;
}

async function visibleMilestone(db: Kysely<DB>, p: Principal, id: number) {
  const milestone = await findMilestone(db, p, id);
  const goal = milestone && (await findVisibleGoal(db, p, milestone.goal_id));
  if (!milestone || !goal) throw notFound('milestone');
  return { milestone, goal };
}

export async function getMilestone(db: Kysely<DB>, p: Principal, id: number) {
  const { milestone, goal } = await visibleMilestone(db, p, id);
  return milestoneView(milestone, goal, new Date());
}

/**
 * The milestone as the caller sees it, once they may check in on it (its owner, or whoever may change its
 * goal): 404 when they cannot see it, 403 when they see it but may not update it. Other areas ask this
 * before acting on a milestone for someone (a metric webhook's creator).
 */
export async function writableMilestone(db: Kysely<DB>, p: Principal, id: number) {
  const { milestone, goal } = await visibleMilestone(db, p, id);
  await assertCanWriteMilestone(db, p, goal, milestone);
  return milestoneView(milestone, goal, new Date());
}

export async function listMilestones(db: Kysely<DB>, p: Principal, goalId: number) {
  const goal = await findVisibleGoal(db, p, goalId);
  if (!goal) throw notFound('goal');
  const now = new Date();
  return (await milestonesOf(db, p, [goalId])).map((m) => milestoneView(m, goal, now));
}

export async function createMilestone(db: Kysely<DB>, p: Principal, goalId: number, input: NewMilestone) {
  return db.transaction().execute(async (trx) => {
    const goal = await writableGoal(trx, p, goalId);
    const id = await insertMilestone(trx, p, goal, input);
    await recomputeProgress(trx, p, goalId);
    return getMilestone(trx, p, id);
  });
}

/** Metric changes recompute the milestone's progress and roll it up; the current value moves by check-in. */
export async function updateMilestone(db: Kysely<DB>, p: Principal, id: number, fields: MilestoneFields) {
  return db.transaction().execute(async (trx) => {
    const { milestone: before, goal } = await visibleMilestone(trx, p, id);
    await lockGoal(trx, p, goal.id);
    await assertCanWriteMilestone(trx, p, goal, before);
    const metric = resolveMetric(fields, before);
    if (fields.owner_user_id !== undefined && fields.owner_user_id !== before.owner_user_id) {
      // A new owner becomes a contributor who sees the goal: handing over is a write on the goal.
      await assertCanWriteGoal(trx, p, goal);
      await assertExist(trx, p, 'users', [fields.owner_user_id]);
    }
    checkDates(
      fields.starts_on !== undefined ? fields.starts_on : before.starts_on,
      fields.ends_on !== undefined ? fields.ends_on : before.ends_on,
    );
    const after: Partial<MilestoneRow> = { ...fields, ...metric };
    const changes = diff(before as unknown as Record<string, unknown>, after as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return getMilestone(trx, p, id);
    const columns = Object.fromEntries(Object.keys(changes).map((k) => [k, after[k as keyof MilestoneRow]]));
    await trx
      .updateTable('milestones')
      .set({ ...columns, updated_at: new Date(), updated_by: p.userId })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    if (changes.owner_user_id) await includeOwner(trx, p, goal, fields.owner_user_id as number);
    await recordChange(trx, p, 'milestone.updated', id, changes);
    if (changes.progress || changes.weight) await recomputeProgress(trx, p, goal.id);
    return getMilestone(trx, p, id);
  });
}

/** Soft delete: the milestone leaves the goal's progress; its check-ins stay in the history. */
export async function deleteMilestone(db: Kysely<DB>, p: Principal, id: number) {
  await db.transaction().execute(async (trx) => {
    const { goal } = await visibleMilestone(trx, p, id);
    await lockGoal(trx, p, goal.id);
    await assertCanWriteGoal(trx, p, goal);
    const now = new Date();
    await trx
      .updateTable('milestones')
      .set({ deleted_at: now, updated_at: now, updated_by: p.userId })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'milestone.deleted', id);
    await recomputeProgress(trx, p, goal.id);
  });
}
