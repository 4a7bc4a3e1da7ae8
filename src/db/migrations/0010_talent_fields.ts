import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Custom talent fields (issue 15 item 3): each cycle defines its own keys (text or number), fixed once it
// opens like its scales; each talent record holds its values by key. Both are JSON on the rows they belong
// to: at most 20 small values a record, always read and written with the record.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
alter table calibration_cycles add column talent_fields jsonb not null default '[]';
alter table calibration_talent_records add column custom_fields jsonb not null default '{}';
`,
  );
}
