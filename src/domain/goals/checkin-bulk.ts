import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import type { BulkUpload, RowError } from '../bulk.js';
import { AppError } from '../errors.js';
import { inTransaction } from '../transactions.js';
import { lockChains } from './chain-lock.js';
import { checkInMilestone } from './checkins.js';
import type { CheckInInput } from './types.js';

/** One row of a bulk check-in: a milestone and what a single check-in on it would take. */
export interface BulkCheckinInput extends CheckInInput {
  milestone_id: number;
}

export interface BulkCheckinResult {
  applied: number;
  failed: number;
  errors: RowError[];
  checkins: { row: number; id: number; milestone_id: number }[];
}

/**
 * One row as its own check-in through the goals service (the same rules, roll-up and audit as
 * POST /v1/milestones/{id}/checkins), inside a savepoint: a refused row leaves the others' work intact.
 */
async function applyRow(
  trx: Transaction<DB>,
  p: Principal,
  row: number,
  input: BulkCheckinInput,
): Promise<{ applied: BulkCheckinResult['checkins'][number] } | { refused: RowError }> {
  await sql`savepoint bulk_checkin_row`.execute(trx);
  try {
    const { milestone_id, ...given } = input;
    const { checkin } = await checkInMilestone(trx, p, milestone_id, given);
    await sql`release savepoint bulk_checkin_row`.execute(trx);
    return { applied: { row, id: checkin.id, milestone_id } };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await sql`rollback to savepoint bulk_checkin_row`.execute(trx);
    return { refused: { row, error: error.code, message: error.message } };
  }
}

/**
 * Many check-ins in one transaction, in the order sent (two rows on one milestone: the later wins).
 * all_or_nothing (the default) writes nothing when any row is refused (422 bulk_rejected with every row
 * error); partial keeps the rows that passed and lists the others.
 */
export function bulkCheckIn(db: Kysely<DB>, p: Principal, upload: BulkUpload<BulkCheckinInput>) {
  return inTransaction(db, async (trx): Promise<BulkCheckinResult> => {
    const errors: RowError[] = [...upload.invalid];
    const checkins: BulkCheckinResult['checkins'] = [];
    // Every row's chain locked up front in one global order: overlapping uploads queue, never deadlock.
    await lockChains(
      trx,
      p,
      upload.rows.map((r) => r.input.milestone_id),
    );
    for (const { row, input } of upload.rows) {
      const outcome = await applyRow(trx, p, row, input);
      if ('refused' in outcome) errors.push(outcome.refused);
      else checkins.push(outcome.applied);
    }
    errors.sort((a, b) => a.row - b.row);
    if (upload.mode === 'all_or_nothing' && errors.length > 0) {
      throw new AppError(
        'bulk_rejected',
        `${errors.length} of the rows were rejected; nothing was written.`,
        errors,
      );
    }
    return { applied: checkins.length, failed: errors.length, errors, checkins };
  });
}
