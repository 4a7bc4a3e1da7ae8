import { type Insertable, sql, type Transaction } from 'kysely';
import type { CheckinsTable, DB } from '../../db/schema.js';
import { inTenant, type Tenant } from '../tenant.js';
import { type CheckinRow, checkinColumns } from './checkin-repo.js';
import type { MilestoneRow } from './milestone-repo.js';
import { type RollUp, rolledUp, writeAndRollUp } from './rollup.js';

/** What a check-in sets on its milestone: its latest value and confidence by date, and the progress they give. */
export interface MilestoneAfter {
  current_value: number;
  progress: number;
  confidence: number | null;
  last_checkin_at: string;
}

const milestoneWritten = [
  'current_value',
  'progress',
  'confidence',
  'last_checkin_at',
  'updated_at',
] as const;
type Written = Pick<MilestoneRow, (typeof milestoneWritten)[number]>;

/** Each CTE's RETURNING columns under a prefix of its own, beside the walk's: `ck_id`, `ms_progress`. */
const prefixed = (cte: string, prefix: string, columns: readonly string[]) =>
  sql.join(columns.map((c) => sql`${sql.ref(`${cte}.${c}`)} as ${sql.ref(`${prefix}${c}`)}`));

function unprefixed<T>(row: Record<string, unknown>, prefix: string, columns: readonly string[]) {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c] = row[`${prefix}${c}`];
  return out as T;
}

/**
 * The check-in, the milestone it moves, the goal and the ancestors it rolls up to: one statement, so the
 * chain's locks are held for one round trip of writing (docs/goals.md, Roll-up). The walk reads the milestone's
 * new progress from `after`, since a statement does not see the rows its own CTEs change.
 */
export async function writeCheckin(
  trx: Transaction<DB>,
  t: Tenant,
  target: { goalId: number; milestoneId: number; at: Date },
  after: MilestoneAfter,
  checkin: Insertable<CheckinsTable>,
): Promise<{ checkin: CheckinRow; milestone: Written; rolled: RollUp }> {
  const applied = trx
    .updateTable('milestones')
    .set({ ...after, updated_at: new Date() })
    .where(inTenant(t))
    .where('id', '=', target.milestoneId)
    .returning(milestoneWritten);
  const inserted = trx.insertInto('checkins').values(checkin).returning(checkinColumns);
  const rows = await writeAndRollUp<Record<string, unknown>>(trx, t, {
    goalId: target.goalId,
    at: target.at,
    moved: { id: target.milestoneId, progress: after.progress },
    writes: sql`applied as (${applied}), inserted as (${inserted})`,
    from: sql`, applied, inserted`,
    returning: sql`, ${prefixed('inserted', 'ck_', checkinColumns)}, ${prefixed('applied', 'ms_', milestoneWritten)}`,
  });
  const first = rows[0];
  // The goal itself is always written by a check-in: no row means it was not there to write.
  if (!first) throw new Error(`goal ${target.goalId} was not written by its check-in`);
  return {
    checkin: unprefixed<CheckinRow>(first, 'ck_', checkinColumns),
    milestone: unprefixed<Written>(first, 'ms_', milestoneWritten),
    rolled: rolledUp(rows),
  };
}
