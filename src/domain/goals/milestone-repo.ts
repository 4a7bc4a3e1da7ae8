import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inTenant, type Tenant } from '../tenant.js';

export const milestoneColumns = [
  'id',
  'goal_id',
  'owner_user_id',
  'name',
  'description',
  'unit',
  'currency_code',
  'start_value',
  'target_value',
  'current_value',
  'direction',
  'range_yellow',
  'range_red',
  'weight',
  'update_interval',
  'confidence',
  'progress',
  'position',
  'status',
  'starts_on',
  'ends_on',
  'last_checkin_at',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
] as const;

/** Live (not deleted) milestones of the tenant. */
export function selectMilestones(db: Kysely<DB>, t: Tenant) {
  return db
    .selectFrom('milestones')
    .select(milestoneColumns)
    .where(inTenant(t))
    .where('deleted_at', 'is', null);
}

export type MilestoneRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectMilestones>['executeTakeFirst']>>
>;

export const findMilestone = (db: Kysely<DB>, t: Tenant, id: number) =>
  selectMilestones(db, t).where('id', '=', id).executeTakeFirst();

/** The live milestones of these goals, in their display order. */
export function milestonesOf(db: Kysely<DB>, t: Tenant, goalIds: number[]) {
  if (goalIds.length === 0) return Promise.resolve([] as MilestoneRow[]);
  return selectMilestones(db, t)
    .where('goal_id', 'in', goalIds)
    .orderBy('goal_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function nextPosition(db: Kysely<DB>, t: Tenant, goalId: number) {
  const row = await db
    .selectFrom('milestones')
    .select((eb) => eb.fn.max('position').as('last'))
    .where(inTenant(t))
    .where('goal_id', '=', goalId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row?.last == null ? 0 : Number(row.last) + 1;
}
