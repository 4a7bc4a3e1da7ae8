import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// A check-in that gives no confidence keeps the latest one given by date (docs/goals.md, Check-ins), found by
// walking the milestone's check-ins newest first to the first with a confidence. Most check-ins give none (a
// metric hook's `set`, a spreadsheet's value), so that walk read every check-in of the milestone, under the
// chain's lock: a milestone updated every minute for a year made each check-in slower than the last.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `create index checkins_milestone_confidence on checkins (org_id, mode, milestone_id, checked_in_at desc, id desc)
  where confidence is not null;`,
  );
}
