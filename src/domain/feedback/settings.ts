import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { inTenant, type Tenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';

/**
 * Pooled anonymous answers are shown only once this many providers answered (issue 14, item 5). Three is
 * the floor: with two, each of them knows the other's answers by taking away their own.
 */
export const MIN_ANONYMITY_THRESHOLD = 3;

export interface FeedbackSettings {
  anonymity_threshold: number;
}

export async function feedbackSettings(db: Kysely<DB>, t: Tenant): Promise<FeedbackSettings> {
  const row = await db
    .selectFrom('org_settings')
    .select('feedback_anonymity_threshold')
    .where(inTenant(t))
    .executeTakeFirst();
  return { anonymity_threshold: row?.feedback_anonymity_threshold ?? MIN_ANONYMITY_THRESHOLD };
}

/** The schema refuses a threshold below the floor; the table's check does too. */
export async function setFeedbackSettings(db: Kysely<DB>, p: Principal, input: FeedbackSettings) {
  pass(p, gates.manageFeedback);
  return inTransaction(db, async (trx) => {
    const before = await feedbackSettings(trx, p);
    const threshold = input.anonymity_threshold;
    await trx
      .insertInto('org_settings')
      .values({ org_id: p.orgId, mode: p.mode, feedback_anonymity_threshold: threshold })
      .onConflict((c) =>
        c
          .columns(['org_id', 'mode'])
          .doUpdateSet({ feedback_anonymity_threshold: threshold, updated_at: new Date() }),
      )
      .execute();
    // Recorded even when unchanged, as the assessment scale's PUT is: a settings PUT is an admin's act.
    await recordChange(trx, p, 'settings.feedback_changed', null, {
      anonymity_threshold: { from: before.anonymity_threshold, to: threshold },
    });
    return { anonymity_threshold: threshold };
  });
}
