import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// WorkBoard's senders cannot sign (POST /wb/apis/hook/{hash}). A hook takes their unsigned form only when
// its owner says so: otherwise anyone who saw a signed hook's URL could post to it without its secret.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `alter table metric_hooks add column accepts_unsigned boolean not null default false;`,
  );
}
