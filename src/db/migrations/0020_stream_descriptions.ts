import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// What WorkBoard's `POST /stream` says about a stream besides its name: a description, the kind of numbers it
// carries, how often it is fed and a category (docs/webhooks.md). They describe the stream and change no rule;
// kept so that `GET /wb/apis/stream` answers them as they were given. Streams made on /v1 have none.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
alter table datastreams
  add column description text check (char_length(description) <= 1000),
  add column data_type text check (data_type in ('numbers', 'percentage', 'currency')),
  add column frequency text check (frequency in ('daily', 'weekly', 'monthly', 'quarterly')),
  add column category text check (char_length(category) <= 100);
`,
  );
}
